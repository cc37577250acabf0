// 合作网络: the network around a node drawn with ECharts' force layout; clicking a node adds its
// neighbours. Readable at 500 nodes: names only on the center, its neighbours and hubs, sizes by degree.
import { chart, type Chart, type ChartOption, PALETTE } from "../charts";
import { h, link } from "../dom";
import { KINDS } from "../entities";
import { t } from "../i18n";
import { kindName, relationshipName } from "../labels";
import { EXPANSION_NODES, GrowingNetwork } from "./network-data";

export const RELATIONSHIP_KINDS = [
  "COOPERATES_WITH", "OFFERS", "DEMANDS", "MEMBER_OF", "PARTNERS_WITH", "HOSTED_BY", "MENTORS_AT", "EMPLOYED_BY",
  "EXPERT_IN", "TRAINS", "TEACHES", "SERVES", "IN_CHAIN", "NEEDS", "PART_OF", "LED_BY", "WITH", "AT_BASE",
  "OFFERED_BY", "CO_DEVELOPED_WITH",
];
const SIZES = [100, 200, 500];
const HUB_DEGREE = 12;

function option(network: GrowingNetwork, center: string): ChartOption {
  const degree = new Map<string, number>();
  for (const edge of network.edges.values()) {
    degree.set(edge.source, (degree.get(edge.source) ?? 0) + 1);
    degree.set(edge.target, (degree.get(edge.target) ?? 0) + 1);
  }
  const rings = new Map<number, number>();
  const nodes = [...network.nodes.values()].map((node) => {
    const hops = node.hops ?? 0;
    const index = rings.get(hops) ?? 0;
    rings.set(hops, index + 1);
    const links = degree.get(node.id) ?? 0;
    const labelled = node.id === center || hops <= 1 && network.nodes.size <= 150 || links >= HUB_DEGREE;
    return {
      id: node.id,
      name: node.name ?? node.key,
      category: Math.max(0, KINDS.indexOf(node.kind as (typeof KINDS)[number])),
      symbolSize: node.id === center ? 28 : Math.min(24, 5 + Math.sqrt(links) * 2.5),
      x: Math.cos(index * 2.4) * hops * 120,
      y: Math.sin(index * 2.4) * hops * 120,
      label: { show: labelled },
      value: links,
    };
  });
  const edges = [...network.edges.values()].map((edge) => ({ source: edge.source, target: edge.target, value: edge.type }));
  const large = nodes.length > 150;
  return {
    color: PALETTE,
    tooltip: { formatter: (item: { dataType: string; data: { name?: string; value: string | number } }) => (item.dataType === "edge" ? relationshipName(String(item.data.value)) : `${item.data.name} (${item.data.value})`) },
    // The force layout spreads nodes over the whole canvas: the legend gets a backdrop to stay readable above them.
    legend: { data: KINDS.map((kind) => kindName(kind)), type: "scroll", top: 4, backgroundColor: "rgba(255, 255, 255, 0.9)", borderRadius: 4 },
    animation: false,
    series: [{
      type: "graph",
      layout: "force",
      roam: true,
      draggable: !large,
      categories: KINDS.map((kind) => ({ name: kindName(kind) })),
      data: nodes,
      edges,
      label: { position: "right", fontSize: 11, color: "#222" },
      labelLayout: { hideOverlap: true },
      lineStyle: { color: "source", opacity: large ? 0.25 : 0.5, width: 0.8 },
      emphasis: { focus: "adjacency", label: { show: true } },
      force: { repulsion: large ? 60 : 140, edgeLength: large ? [20, 60] : [40, 110], gravity: 0.08, friction: 0.2, layoutAnimation: true },
    }],
  };
}

interface Choice {
  depth: number;
  size: number;
  relationships: string[] | null;
}

function readChoice(params: URLSearchParams): Choice {
  const relationships = params.get("rel")?.split(",").filter(Boolean) ?? [];
  return {
    depth: Math.min(4, Math.max(1, Number(params.get("depth") ?? 2) || 2)),
    size: SIZES.includes(Number(params.get("size"))) ? Number(params.get("size")) : SIZES[0],
    relationships: relationships.length ? relationships : null,
  };
}

function controls(id: string, choice: Choice): HTMLElement {
  const depth = h("select", { name: "depth" }, ...[1, 2, 3, 4].map((value) => h("option", { value, selected: value === choice.depth }, String(value))));
  const size = h("select", { name: "size" }, ...SIZES.map((value) => h("option", { value, selected: value === choice.size }, String(value))));
  const kinds = h("select", { name: "rel", multiple: true, size: 4 }, ...RELATIONSHIP_KINDS.map((kind) => h("option", { value: kind, selected: choice.relationships?.includes(kind) ?? false }, relationshipName(kind))));
  const draw = (event: Event) => {
    event.preventDefault();
    const chosen = [...kinds.selectedOptions].map((selected) => selected.value).join(",");
    location.hash = `#/network/${encodeURIComponent(id)}?depth=${depth.value}&size=${size.value}&rel=${chosen}`;
  };
  return h("form", { class: "controls", onsubmit: draw },
    h("label", {}, t("depth"), depth),
    h("label", {}, t("size"), size),
    h("label", {}, t("relationshipKinds") + t("allKinds").replace("{kinds}", ["LOCATED_IN", "COVERS"].map(relationshipName).join(t("listSeparator"))), kinds),
    h("button", { type: "submit", class: "draw" }, t("draw")));
}

export async function networkView(view: HTMLElement, id: string, params: URLSearchParams): Promise<void> {
  const choice = readChoice(params);
  const started = performance.now();
  const network = await GrowingNetwork.around(id, choice.depth, choice.relationships, choice.size);
  const fetched = performance.now();
  const center = network.nodes.get(id);
  const canvas = h("div", { class: "chart network", "data-chart": "network" });
  const summary = h("p", { class: "summary" });
  const selected = h("p", { class: "selected" }, t("expandHint"));
  view.replaceChildren(
    h("h1", {}, `${t("network")}: `, link(`#/entity/${encodeURIComponent(id)}`, center?.name ?? id)),
    controls(id, choice), summary, selected, canvas,
  );
  const describe = () => {
    summary.textContent = `${t("nodes")} ${network.nodes.size} · ${t("edges")} ${network.edges.size} ${network.truncated ? t("truncated") : ""}`;
    canvas.dataset.nodes = String(network.nodes.size);
    canvas.dataset.edges = String(network.edges.size);
  };
  const drawn: Chart = await chart(canvas, option(network, id));
  drawn.on("rendered", () => {
    if (canvas.dataset.drawnMs) return;
    canvas.dataset.fetchedMs = String(Math.round(fetched - started));
    canvas.dataset.drawnMs = String(Math.round(performance.now() - fetched));
  });
  describe();
  drawn.on("click", (event) => {
    if (event.dataType !== "node") return;
    const clicked = (event.data as { id: string; name: string }).id;
    const node = network.nodes.get(clicked);
    selected.replaceChildren(`${kindName(node?.kind ?? "")} ${node?.name ?? clicked} · `, link(`#/entity/${encodeURIComponent(clicked)}`, t("open"), { class: "open-selected" }));
    if (network.expanded.has(clicked)) return;
    void network.expand(clicked, network.nodes.size + EXPANSION_NODES).then(() => {
      drawn.setOption(option(network, id), { replaceMerge: ["series"] });
      describe();
    });
  });
}

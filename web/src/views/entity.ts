// An entity page: its facts and provenance, and its relationships (the network one step around it).
import { gql } from "../api";
import { formatNumber, h, link } from "../dom";
import { CODED_FACTS, factFragment, isSynthetic, kindOf, YEAR_FACTS } from "../entities";
import { lang, t } from "../i18n";
import { factName, kindName, relationshipName, valueName } from "../labels";
import { table } from "../table";
import { fetchNetwork, type NetworkEdge, type NetworkNode } from "./network-data";

interface Provenance {
  source: string | null;
  synthetic: boolean;
  loadedAt: string | null;
}

type Facts = Record<string, unknown> & { id: string; __typename: string; name: string; provenance: Provenance };

const NOT_FACTS = new Set(["id", "__typename", "provenance"]);
const MATCHABLE = new Set(["School", "Enterprise", "Discipline", "District"]);

interface Relation {
  type: string;
  outgoing: boolean;
  other: NetworkNode;
}

function factValue(name: string, value: unknown): Node | string {
  if (value && typeof value === "object" && "id" in value) {
    const related = value as { id: string; name?: string };
    return link(`#/entity/${encodeURIComponent(related.id)}`, related.name ?? related.id);
  }
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  if (typeof value === "number") return YEAR_FACTS.has(name) ? String(value) : formatNumber(value, 4);
  if (value === null || value === undefined || value === "") return "—";
  return CODED_FACTS.has(name) ? valueName(String(value)) : String(value);
}

/** A UTC timestamp of the API in the reader's time zone (Shanghai's, for its officials). */
function localTime(stamp: string): string {
  const time = new Date(stamp);
  return Number.isNaN(time.getTime()) ? stamp : time.toLocaleString(lang() === "zh" ? "zh-CN" : "en-GB", { hour12: false });
}

function relations(id: string, nodes: NetworkNode[], edges: NetworkEdge[]): Relation[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return edges
    .filter((edge) => edge.source === id || edge.target === id)
    .map((edge) => ({ type: edge.type, outgoing: edge.source === id, other: byId.get(edge.source === id ? edge.target : edge.source)! }))
    .filter((relation) => relation.other)
    .sort((a, b) => a.type.localeCompare(b.type) || (a.other.name ?? "").localeCompare(b.other.name ?? ""));
}

export async function entityView(view: HTMLElement, id: string): Promise<void> {
  const [{ node }, network] = await Promise.all([gql<{ node: Facts | null }>(`query Entity($id: ID!) { node(id: $id) { id __typename ${factFragment(kindOf(id))} } }`, { id }), fetchNetwork(id, 1, null, 100)]);
  if (!node) {
    view.replaceChildren(h("p", { class: "empty" }, t("noHits")));
    return;
  }
  const kind = node.__typename;
  // the API's provenance says; the 【示例】 mark in a name says so too
  const synthetic = node.provenance.synthetic || isSynthetic(node.name);
  const facts = Object.entries(node).filter(([name]) => !NOT_FACTS.has(name));
  const encoded = encodeURIComponent(id);
  view.replaceChildren(
    h("p", { class: "kind-badge" }, kindName(kind)),
    h("h1", { class: "entity-name" }, node.name),
    h("nav", { class: "actions" },
      link(`#/network/${encoded}`, t("network"), { class: "button open-network" }),
      MATCHABLE.has(kind) ? link(`#/matches/${encoded}`, t("recommendations"), { class: "button open-matches" }) : null),
    h("h2", {}, t("facts")),
    h("dl", { class: "facts" }, ...facts.flatMap(([name, value]) => [h("dt", {}, factName(name)), h("dd", {}, factValue(name, value))])),
    h("h2", {}, t("provenance")),
    h("dl", { class: "facts provenance" },
      h("dt", {}, t("source")), h("dd", {}, node.provenance.source ?? "—"),
      h("dt", {}, t("loadedAt")), h("dd", {}, node.provenance.loadedAt ? localTime(node.provenance.loadedAt) : "—"),
      h("dt", {}, t("nature")), h("dd", { class: synthetic ? "synthetic" : "real" }, synthetic ? t("synthetic") : t("real"))),
    h("h2", {}, `${t("relationships")} ${network.truncated ? t("truncated") : ""}`),
    table<Relation>(`relationships-${node.name}`, [
      { title: t("relationship"), value: (relation) => relationshipName(relation.type) },
      { title: t("direction"), value: (relation) => (relation.outgoing ? t("outgoing") : t("incoming")) },
      { title: t("kind"), value: (relation) => kindName(relation.other.kind) },
      { title: t("name"), value: (relation) => relation.other.name ?? relation.other.key, render: (relation) => link(`#/entity/${encodeURIComponent(relation.other.id)}`, relation.other.name ?? relation.other.key) },
    ], relations(id, network.nodes, network.edges)),
  );
}

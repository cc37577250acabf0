// 合作伙伴推荐: ranked partners; each one's components drawn as bars, with the evidence as text.
import { gql } from "../api";
import { chart } from "../charts";
import { h, link } from "../dom";
import { NAME_FRAGMENTS } from "../entities";
import { codeName, t } from "../i18n";
import { kindName } from "../labels";
import { table } from "../table";

interface Component {
  name: string;
  weight: number;
  value: number;
  evidence: string;
}

interface Match {
  score: number;
  existingPartner: boolean;
  components: Component[];
  partner: { id: string; __typename: string; name?: string };
}

const PARTNER_KINDS = ["ENTERPRISE", "SCHOOL", "MENTOR", "BASE"];  // the PartnerKind enum: a kind's name in capitals
const DEFAULT_KIND: Record<string, string> = { School: "ENTERPRISE", Enterprise: "SCHOOL", Discipline: "ENTERPRISE", District: "ENTERPRISE" };

const MATCHES = `query PartnerMatches($id: ID!, $kind: PartnerKind!) {
  node(id: $id) { id __typename ${NAME_FRAGMENTS} }
  partnerMatches(id: $id, kind: $kind, first: 20) {
    score existingPartner components { name weight value evidence } partner { id __typename ${NAME_FRAGMENTS} }
  }
}`;

function detail(match: Match): HTMLElement {
  const bars = h("div", { class: "chart components", "data-chart": "components" });
  const panel = h("section", { class: "match-detail" },
    h("h2", {}, link(`#/entity/${encodeURIComponent(match.partner.id)}`, match.partner.name ?? match.partner.id), ` · ${t("score")} ${match.score.toFixed(3)}`),
    bars,
    h("ul", { class: "evidence" }, ...match.components.map((component) => h("li", {}, h("strong", {}, `${codeName(component.name)} (${t("weight")} ${component.weight}, ${t("value")} ${component.value.toFixed(2)})`), ": ", component.evidence))));
  requestAnimationFrame(() => void chart(bars, {
    tooltip: {},
    legend: { data: [t("value"), t("weight")], top: 0 },
    grid: { left: 110, right: 30, top: 30, bottom: 30 },
    xAxis: { type: "value", max: 1 },
    yAxis: { type: "category", data: match.components.map((component) => codeName(component.name)) },
    series: [
      { name: t("value"), type: "bar", data: match.components.map((component) => Number(component.value.toFixed(3))) },
      { name: t("weight"), type: "bar", data: match.components.map((component) => component.weight) },
    ],
  }));
  return panel;
}

export async function matchesView(view: HTMLElement, id: string, params: URLSearchParams): Promise<void> {
  const { node } = await gql<{ node: { __typename: string; name?: string } | null }>(`query Subject($id: ID!) { node(id: $id) { __typename ${NAME_FRAGMENTS} } }`, { id });
  const kind = params.get("kind") ?? DEFAULT_KIND[node?.__typename ?? ""] ?? "ENTERPRISE";
  const { partnerMatches } = await gql<{ partnerMatches: Match[] }>(MATCHES, { id, kind });
  const chosen = Number(params.get("open") ?? -1);
  const base = `#/matches/${encodeURIComponent(id)}?kind=${kind}`;
  const kinds = h("select", { name: "kind", onchange: (event: Event) => { location.hash = `#/matches/${encodeURIComponent(id)}?kind=${(event.target as HTMLSelectElement).value}`; } },
    ...PARTNER_KINDS.map((value) => h("option", { value, selected: value === kind }, kindName(value.charAt(0) + value.slice(1).toLowerCase()))));
  const rows = partnerMatches.map((match, rank) => ({ ...match, rank: rank + 1 }));
  view.replaceChildren(
    h("h1", {}, `${t("recommendations")}: `, link(`#/entity/${encodeURIComponent(id)}`, node?.name ?? id)),
    h("label", { class: "controls" }, t("partnerKind"), kinds),
    ...(partnerMatches[chosen] ? [detail(partnerMatches[chosen])] : []),
    table(`partner-matches-${node?.name ?? id}-${kind}`, [
      { title: "#", value: (row) => row.rank },
      { title: t("partner"), value: (row) => row.partner.name ?? row.partner.id, render: (row) => link(`${base}&open=${row.rank - 1}`, row.partner.name ?? row.partner.id, { class: "open-match" }) },
      { title: t("kind"), value: (row) => kindName(row.partner.__typename) },
      { title: t("score"), value: (row) => Number(row.score.toFixed(3)) },
      ...["discipline_fit", "capacity", "proximity", "ties"].map((name) => ({ title: codeName(name), value: (row: Match) => Number((row.components.find((component) => component.name === name)?.value ?? 0).toFixed(3)) })),
      { title: t("existing"), value: (row) => (row.existingPartner ? "✓" : "") },
    ], rows),
  );
}

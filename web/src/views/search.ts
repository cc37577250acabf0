// 检索: the API's full-text search over names (Chinese, English names, abbreviations).
import { gql } from "../api";
import { h, link } from "../dom";
import { NAME_FRAGMENTS } from "../entities";
import { t } from "../i18n";
import { kindName } from "../labels";
import { table } from "../table";

interface Hit {
  score: number;
  node: { id: string; __typename: string; name?: string; nameEn?: string | null };
}

const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 20) { score node { id __typename ${NAME_FRAGMENTS} ... on School { nameEn } } }
}`;

export async function searchView(view: HTMLElement, text: string): Promise<void> {
  const input = h("input", { type: "search", name: "q", value: text, placeholder: t("searchPlaceholder"), autofocus: true });
  const form = h("form", { class: "search", onsubmit: (event: Event) => {
    event.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(input.value.trim())}`;
  } }, input, h("button", { type: "submit" }, t("searchButton")));
  view.replaceChildren(h("h1", {}, t("navSearch")), form);
  if (!text) return;
  const { search } = await gql<{ search: Hit[] }>(SEARCH, { text });
  if (!search.length) {
    view.append(h("p", { class: "empty" }, t("noHits")));
    return;
  }
  view.append(
    table<Hit>(`search-${text}`, [
      { title: t("name"), value: (hit) => hit.node.name ?? hit.node.id, render: (hit) => link(`#/entity/${encodeURIComponent(hit.node.id)}`, hit.node.name ?? hit.node.id, { class: "hit" }) },
      { title: "English", value: (hit) => hit.node.nameEn ?? null },
      { title: t("kind"), value: (hit) => kindName(hit.node.__typename) },
      { title: t("score"), value: (hit) => Number(hit.score.toFixed(3)) },
    ], search),
  );
}

// The explorer: a hash router over the views, the header with its language switch.
import "./style.css";
import { disposeCharts, preloadCharts } from "./charts";
import { h, link } from "./dom";
import { lang, setLang, t } from "./i18n";
import { loadLabels } from "./labels";
import { entityView } from "./views/entity";
import { gapsView } from "./views/gaps";
import { matchesView } from "./views/matches";
import { networkView } from "./views/network";
import { planView } from "./views/plan";
import { reportView } from "./views/report";
import { searchView } from "./views/search";

const main = document.getElementById("view")!;
const top = document.getElementById("top")!;

function header(): void {
  const other = lang() === "zh" ? "en" : "zh";
  top.replaceChildren(
    h("a", { href: "#/", class: "brand" }, h("strong", {}, t("title")), h("span", {}, t("subtitle"))),
    h("nav", {}, link("#/", t("navSearch")), link("#/gaps", t("navGaps"), { class: "nav-gaps" }), link("#/plan", t("navPlan")), link("#/report", t("navReport")), link("/graphql", t("navGraphiql"))),
    h("button", { type: "button", class: "lang", onclick: () => { setLang(other); void route(); } }, t("switchLang")),
  );
}

async function route(): Promise<void> {
  header();
  disposeCharts();
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const [, page = "", id = ""] = path.split("/");
  const entity = decodeURIComponent(id);
  if (page && page !== "entity" && page !== "search") preloadCharts();
  // each route draws into its own element: a slower earlier view then fills a detached one
  const view = h("div", { class: "page" }, h("p", { class: "loading" }, t("loading")));
  main.replaceChildren(view);
  main.dataset.state = "loading";
  try {
    await loadLabels();
    if (page === "entity") await entityView(view, entity);
    else if (page === "network") await networkView(view, entity, params);
    else if (page === "matches") await matchesView(view, entity, params);
    else if (page === "gaps") await gapsView(view, params);
    else if (page === "plan") await planView(view);
    else if (page === "report") await reportView(view);
    else await searchView(view, params.get("q") ?? "");
    if (view.isConnected) main.dataset.state = "ready";
  } catch (error) {
    if (view.isConnected) main.dataset.state = "error";
    view.replaceChildren(h("p", { class: "error" }, `${t("error")}: ${(error as Error).message}`));
  }
}

setLang(lang());
window.addEventListener("hashchange", () => void route());
void route();

// 年度报告: the annual report of a year the data covers, downloaded from the server's /report
// route (made from the same API answers) as PDF, HTML or XLSX, in Chinese or English.
import { gql } from "../api";
import { h } from "../dom";
import { lang, t } from "../i18n";

const YEARS = `{ dataCoverage { years { relationship years { year } } } }`;
const FORMATS = ["pdf", "html", "xlsx"] as const;

export async function reportView(view: HTMLElement): Promise<void> {
  const { dataCoverage } = await gql<{ dataCoverage: { years: { relationship: string; years: { year: number }[] }[] } }>(YEARS);
  const years = [...new Set(dataCoverage.years.flatMap((rel) => rel.years.map((item) => item.year)))].sort();
  const year = h("select", { name: "year" }, ...years.map((value) => h("option", { value, selected: value === years[years.length - 1] }, String(value))));
  const language = h("select", { name: "lang" }, h("option", { value: "zh", selected: lang() === "zh" }, "中文"), h("option", { value: "en", selected: lang() === "en" }, "English"));
  const links = FORMATS.map((format) => h("a", { class: "button", "data-format": format }, `${t("download")} ${format.toUpperCase()}`));
  const update = () => links.forEach((link) => {
    const query = new URLSearchParams({ year: year.value, format: link.dataset.format!, lang: language.value });
    link.href = `/report?${query}`;
    link.download = `chanjiao-report-${year.value}.${link.dataset.format}`;
  });
  year.addEventListener("change", update);
  language.addEventListener("change", update);
  update();
  view.replaceChildren(h("h1", {}, t("reportTitle")), h("p", {}, t("reportIntro")),
    h("div", { class: "controls" }, h("label", {}, t("year"), year), h("label", {}, t("language"), language)),
    h("p", { class: "actions" }, ...links));
}

// Tables as the explorer shows them, each with its CSV (UTF-8 with BOM, for Excel) and XLSX download.
import { h } from "./dom";
import { t } from "./i18n";

export type Cell = string | number | null;

export interface Column<Row> {
  title: string;
  value: (row: Row) => Cell;
  /** The cell as shown, when it differs from the value downloaded (a link, say). */
  render?: (row: Row) => Node | string;
}

export interface TableData {
  name: string;
  header: string[];
  rows: Cell[][];
}

export function tableData<Row>(name: string, columns: Column<Row>[], rows: Row[]): TableData {
  return { name, header: columns.map((column) => column.title), rows: rows.map((row) => columns.map((column) => column.value(row))) };
}

export function csvText(data: TableData): string {
  const quote = (cell: Cell): string => {
    const text = cell === null ? "" : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [data.header, ...data.rows].map((row) => row.map(quote).join(","));
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = h("a", { href: url, download: filename });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadCsv(data: TableData): void {
  save(new Blob([csvText(data)], { type: "text/csv;charset=utf-8" }), `${data.name}.csv`);
}

export async function downloadXlsx(data: TableData): Promise<void> {
  const sheet = [data.header.map((title) => ({ value: title, fontWeight: "bold" as const })), ...data.rows];
  const { default: writeXlsxFile } = await import("write-excel-file/browser");
  const blob = await writeXlsxFile(sheet, { sheet: data.name.slice(0, 31) }).toBlob();
  save(blob, `${data.name}.xlsx`);
}

/** A table with its two download buttons; `name` names the files (e.g. talent-gap-IC-2024). */
export function table<Row>(name: string, columns: Column<Row>[], rows: Row[]): HTMLElement {
  const data = tableData(name, columns, rows);
  const head = h("tr", {}, ...columns.map((column) => h("th", {}, column.title)));
  const body = rows.map((row) => h("tr", {}, ...columns.map((column) => h("td", {}, column.render ? column.render(row) : String(column.value(row) ?? "—")))));
  return h(
    "div",
    { class: "table", "data-table": name },
    h(
      "div",
      { class: "downloads" },
      h("button", { type: "button", class: "download-csv", onclick: () => downloadCsv(data) }, t("downloadCsv")),
      h("button", { type: "button", class: "download-xlsx", onclick: () => void downloadXlsx(data) }, t("downloadXlsx")),
      h("span", { class: "muted" }, `${rows.length}`),
    ),
    h("table", {}, h("thead", {}, head), h("tbody", {}, ...body)),
  );
}

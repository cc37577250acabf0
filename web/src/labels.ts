// Names for people from the API's one labels table (graph/labels.py, the `labels(lang:)` query):
// node kinds, relationship kinds, coded values and the columns that facts are named by. Read once
// per language and kept for the page's life; until then (or for a code the table lacks) a code
// shows as it is.
import { gql } from "./api";
import { codeName, lang, type Lang } from "./i18n";

type Table = "kind" | "relationship" | "value" | "column" | "heading";

interface Label {
  table: Table;
  code: string;
  label: string;
}

const LABELS = `query Labels($lang: Language!) { labels(lang: $lang) { table code label } }`;

const asked = new Map<Lang, Promise<void>>();
const tables = new Map<Lang, Map<string, string>>();

/** The labels of the current language, read once (a failed read is tried again next time). */
export function loadLabels(): Promise<void> {
  const wanted = lang();
  let pending = asked.get(wanted);
  if (!pending) {
    pending = gql<{ labels: Label[] }>(LABELS, { lang: wanted.toUpperCase() }).then(
      ({ labels }) => void tables.set(wanted, new Map(labels.map((entry) => [`${entry.table}:${entry.code}`, entry.label]))),
      (error: unknown) => {
        asked.delete(wanted);
        throw error;
      },
    );
    asked.set(wanted, pending);
  }
  return pending;
}

function named(table: Table, code: string): string {
  return tables.get(lang())?.get(`${table}:${code}`) ?? code;
}

/** A node kind's name (School → 学校). */
export function kindName(kind: string): string {
  return named("kind", kind);
}

/** A relationship kind's name (OFFERS → 开设（供给）). */
export function relationshipName(type: string): string {
  return named("relationship", type);
}

/** A coded value's name (national → 国家级); free text as it is. */
export function valueName(code: string): string {
  return named("value", code);
}

/** A talent gap's status as the CLI and the report name it (SHORTAGE → 紧缺); the explorer's own
 * name for what the table lacks (NO_DATA → 无数据). */
export function statusName(status: string): string {
  return tables.get(lang())?.get(`heading:${status}`) ?? codeName(status);
}

/** A fact's name by its GraphQL field (integrationLevel → 产教融合型企业等级): the field is the
 * file column in camel case; `key` is the natural key a kind's `id` column holds. */
export function factName(field: string): string {
  const column = field === "key" ? "id" : field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return named("column", column);
}

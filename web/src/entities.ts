// What the explorer reads of each kind: its facts (no personal data: a mentor's email and phone
// are never asked for) and how its name is read from any node.
export const KINDS = ["District", "Zone", "School", "Discipline", "Enterprise", "IndustryChain", "Mentor", "Base", "Alliance", "Project", "Course"] as const;

const FACTS: Record<string, string> = {
  District: "code name longitude latitude",
  Zone: "code name kind",
  School: "code name nameEn level ownership authority doubleFirstClass benchmark district { id name }",
  Discipline: "code name level category majorClass",
  Enterprise: "uscc name size ownership integrationLevel leading industryCode district { id name }",
  IndustryChain: "code name tier parent { id name }",
  Mentor: "key name tier inMunicipalPool employer { id name }",
  Base: "key name type program level capacity district { id name } host { id name }",
  Alliance: "key name founded",
  Project: "key name type status degreeLevel startYear endYear trained leadSchool { id name } base { id name }",
  Course: "key name level year school { id name }",
};

/** The facts whose values are codes of the model's choices (level: undergraduate → 本科), named by
 * the labels table; the others are free text, numbers or related nodes. */
export const CODED_FACTS = new Set(["level", "ownership", "size", "integrationLevel", "tier", "type", "program", "status", "degreeLevel", "kind"]);

/** Facts that are years: shown as they are (2021, not 2,021). */
export const YEAR_FACTS = new Set(["founded", "year", "startYear", "endYear"]);

/** `... on School { name }` for every kind: the name of any node. */
export const NAME_FRAGMENTS = KINDS.map((kind) => `... on ${kind} { name }`).join(" ");

/** The kind a global ID names (base64 of `Label:key`). */
export function kindOf(id: string): string {
  try {
    return atob(id).split(":")[0];
  } catch {
    return "";
  }
}

/** A kind's facts with its provenance (file or caller, synthetic or real, when), for the entity page (kinds disagree on fields' types, so
 * one kind per query). */
export function factFragment(kind: string): string {
  return FACTS[kind] ? `... on ${kind} { ${FACTS[kind]} provenance { source synthetic loadedAt } }` : "";
}

export const SYNTHETIC_MARK = "【示例】";

export function isSynthetic(name: string | null | undefined): boolean {
  return (name ?? "").startsWith(SYNTHETIC_MARK);
}

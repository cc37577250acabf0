"""The single source of truth for the domain model (DESIGN §2 and the table layout of §3).

Everything else derives from the declarations here: validation rules, Neo4j constraints and
indexes, the embedded store's indexes, file templates and GraphQL types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final


class PropType(StrEnum):
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STR_LIST = "str_list"


class KeyRule(StrEnum):
    """Format rules for natural keys; the checks live in `graph.validation`."""

    ADCODE = "adcode"
    SCHOOL_CODE = "school_code"
    DISCIPLINE_CODE = "discipline_code"
    USCC = "uscc"
    IDENTIFIER = "identifier"


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType = PropType.STR
    description: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    personal: bool = False


@dataclass(frozen=True)
class Reference:
    """A column of a node table that names other nodes and becomes relationships."""

    column: str
    rel_type: str
    target: str
    many: bool = False
    description: str = ""


@dataclass(frozen=True)
class NodeKind:
    label: str
    table: str
    key: str
    key_rule: KeyRule
    description: str
    properties: tuple[Prop, ...]
    references: tuple[Reference, ...] = ()

    @property
    def key_prop(self) -> Prop:
        return self.prop(self.key)

    def prop(self, name: str) -> Prop:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"{self.label} has no property {name!r}")

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(prop.name for prop in self.properties)


@dataclass(frozen=True)
class RelKind:
    type: str
    sources: tuple[str, ...]
    target: str
    description: str
    key: tuple[str, ...] = ()
    properties: tuple[Prop, ...] = ()

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(prop.name for prop in self.properties)

    def prop(self, name: str) -> Prop:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"{self.type} has no property {name!r}")


@dataclass(frozen=True)
class RelTable:
    """A file of relationships with properties (DESIGN §3): `offers`, `demands`, …"""

    table: str
    rel_type: str
    source_column: str
    target_column: str
    columns: tuple[str, ...] = field(default=())


# Short aliases keep the declarations below one line each.
S, I, F, B, L = PropType.STR, PropType.INT, PropType.FLOAT, PropType.BOOL, PropType.STR_LIST  # noqa: E741

SCHOOL_LEVELS = (
    "undergraduate", "higher_vocational", "vocational_undergraduate",
    "secondary_vocational", "technician", "open_university",
)
DISCIPLINE_LEVELS = (
    "undergraduate", "higher_vocational", "vocational_undergraduate",
    "graduate_academic", "graduate_professional", "secondary_vocational",
)
ZONE_KINDS = ("new_area", "new_town", "business_district", "chemical_park", "science_city")
INTEGRATION_LEVELS = ("national", "municipal", "cultivating", "none")
CHAIN_TIERS = ("leading", "key_cluster", "segment")
MENTOR_TIERS = ("industry_professor", "industry_mentor", "industry_lecturer")
BASE_TYPES = ("employment", "teaching", "practice")
BASE_PROGRAMS = (
    "joint_graduate_base", "modern_industry_college", "future_technology_college",
    "productive_training_center", "high_skill_base", "worldskills_base", "postdoc_workstation", "other",
)
BASE_LEVELS = ("national", "municipal", "district")
PROJECT_TYPES = (
    "order_training", "joint_enrollment", "joint_rd", "training_camp", "apprenticeship",
    "on_job_training", "other",
)
PROJECT_STATUSES = ("proposed", "approved", "running", "completed", "evaluated")
DEGREE_LEVELS = ("doctoral", "master", "bachelor", "vocational", "on_job")
COURSE_LEVELS = ("national", "municipal")
MEMBER_ROLES = ("lead", "member")
ENTERPRISE_SIZES = ("large", "medium", "small", "micro")


# Provenance every node and relationship carries besides the model's properties: `source` and
# `loaded_at` are stamped by each write; `synthetic` says whether the row was made up by the
# generator (true) or is a real fact (false). See `loaders.provenance` for how a load sets it.
PROVENANCE_PROPS: Final[tuple[Prop, ...]] = (
    Prop("source", S, "Provenance: the file (or the real source a dataset's manifest names) or API caller that last changed it"),
    Prop("loaded_at", S, "Provenance: when it last changed (ISO 8601, UTC)"),
    Prop("synthetic", B, "Provenance: made up by the generator (true) or a real record (false)"),
)
PROVENANCE: Final = tuple(prop.name for prop in PROVENANCE_PROPS)
# Stamped from the write's `Provenance`; `synthetic` may also come with each row (it overrides).
STAMPED: Final = ("source", "loaded_at")


def _name(description: str = "Name") -> Prop:
    return Prop("name", S, description, required=True)


def _year(name: str, description: str, required: bool = False) -> Prop:
    return Prop(name, I, description, required=required, minimum=1900, maximum=2100)


NODE_KINDS: Final[tuple[NodeKind, ...]] = (
    NodeKind("District", "districts", "code", KeyRule.ADCODE, "A district of Shanghai (区)", (
        Prop("code", S, "6-digit administrative division code (adcode)", required=True),
        _name("District name"),
        Prop("longitude", F, "Centroid longitude", minimum=-180, maximum=180),
        Prop("latitude", F, "Centroid latitude", minimum=-90, maximum=90),
    )),
    NodeKind("Zone", "zones", "code", KeyRule.IDENTIFIER, "A development zone the plan names", (
        Prop("code", S, "Zone code", required=True),
        _name("Zone name"),
        Prop("kind", S, "Zone kind", ZONE_KINDS, required=True),
    ), (Reference("districts", "COVERS", "District", many=True, description="Districts the zone covers"),)),
    NodeKind("School", "schools", "code", KeyRule.SCHOOL_CODE, "A school: university, college or vocational school", (
        Prop("code", S, "MoE 10-digit institution code (学校标识码); provisional codes start with 9", required=True),
        _name("School name"),
        Prop("name_en", S, "English name"),
        Prop("level", S, "School level", SCHOOL_LEVELS, required=True),
        Prop("ownership", S, "public, private or sino_foreign (中外合作)", ("public", "private", "sino_foreign")),
        Prop("authority", S, "Supervising authority (主管部门)"),
        Prop("double_first_class", B, "A Double First-Class university (双一流)"),
        Prop("benchmark", B, "An industry–education integration benchmark school (标杆学校)"),
    ), (Reference("district", "LOCATED_IN", "District", description="Main campus district (adcode)"),)),
    NodeKind("Discipline", "disciplines", "code", KeyRule.DISCIPLINE_CODE, "A major or graduate discipline", (
        Prop("code", S, "Major or discipline code, e.g. 080901, 510201, 0854", required=True),
        _name("Discipline name"),
        Prop("level", S, "Level of study", DISCIPLINE_LEVELS, required=True),
        Prop("category", S, "门类 or 大类"),
        Prop("major_class", S, "专业类"),
    )),
    NodeKind("Enterprise", "enterprises", "uscc", KeyRule.USCC, "An enterprise", (
        Prop("uscc", S, "Unified social credit code (GB 32100-2015)", required=True),
        _name("Enterprise name"),
        Prop("size", S, "Enterprise size", ENTERPRISE_SIZES),
        Prop("ownership", S, "Ownership, e.g. state, private, foreign"),
        Prop("integration_level", S, "Industry–education integration enterprise level", INTEGRATION_LEVELS),
        Prop("leading", B, "A leading enterprise of its industry (龙头企业)"),
        Prop("industry_code", S, "GB/T 4754 section letter or division digits"),
    ), (
        Reference("district", "LOCATED_IN", "District", description="District (adcode)"),
        Reference("chains", "IN_CHAIN", "IndustryChain", many=True, description="Industry chain codes"),
    )),
    NodeKind("IndustryChain", "industry_chains", "code", KeyRule.IDENTIFIER, "An industry chain or segment", (
        Prop("code", S, "Chain code", required=True),
        _name("Chain name"),
        Prop("tier", S, "leading, key_cluster or segment", CHAIN_TIERS, required=True),
    ), (Reference("parent", "PART_OF", "IndustryChain", description="Parent chain code"),)),
    NodeKind("Mentor", "mentors", "id", KeyRule.IDENTIFIER, "An industry professor, mentor or lecturer", (
        Prop("id", S, "Mentor identifier", required=True),
        _name("Mentor name"),
        Prop("tier", S, "Mentor tier (三级产业师资)", MENTOR_TIERS, required=True),
        Prop("in_municipal_pool", B, "In the municipal mentor pool (市级产教融合师资库)"),
        Prop("email", S, "E-mail address (personal data)", personal=True),
        Prop("phone", S, "Phone number (personal data)", personal=True),
    ), (
        Reference("employer", "EMPLOYED_BY", "Enterprise", description="Employer credit code"),
        Reference("disciplines", "EXPERT_IN", "Discipline", many=True, description="Discipline codes"),
    )),
    NodeKind("Base", "bases", "id", KeyRule.IDENTIFIER, "A collaborative training base (协同育人基地)", (
        Prop("id", S, "Base identifier", required=True),
        _name("Base name"),
        Prop("type", S, "employment, teaching or practice", BASE_TYPES, required=True),
        Prop("program", S, "Programme the base belongs to", BASE_PROGRAMS),
        Prop("level", S, "national, municipal or district", BASE_LEVELS),
        Prop("capacity", I, "Students a year", minimum=0),
    ), (
        Reference("district", "LOCATED_IN", "District", description="District (adcode)"),
        Reference("host", "HOSTED_BY", "Enterprise", description="Host enterprise credit code"),
        Reference("schools", "PARTNERS_WITH", "School", many=True, description="Partner school codes"),
        Reference("chains", "SERVES", "IndustryChain", many=True, description="Chain codes"),
        Reference("disciplines", "TRAINS", "Discipline", many=True, description="Discipline codes"),
    )),
    NodeKind("Alliance", "alliances", "id", KeyRule.IDENTIFIER, "An industry–education alliance (联盟)", (
        Prop("id", S, "Alliance identifier", required=True),
        _name("Alliance name"),
        _year("founded", "Year founded"),
    ), (Reference("chains", "SERVES", "IndustryChain", many=True, description="Chain codes"),)),
    NodeKind("Project", "projects", "id", KeyRule.IDENTIFIER, "A collaborative training project", (
        Prop("id", S, "Project identifier", required=True),
        _name("Project name"),
        Prop("type", S, "Project type", PROJECT_TYPES, required=True),
        Prop("status", S, "Project status", PROJECT_STATUSES),
        Prop("degree_level", S, "Degree level of the trainees", DEGREE_LEVELS),
        _year("start_year", "First year"),
        _year("end_year", "Last year"),
        Prop("trained", I, "People trained", minimum=0),
    ), (
        Reference("lead_school", "LED_BY", "School", description="Lead school code"),
        Reference("base", "AT_BASE", "Base", description="Base identifier"),
        Reference("enterprises", "WITH", "Enterprise", many=True, description="Enterprise credit codes"),
        Reference("chains", "SERVES", "IndustryChain", many=True, description="Chain codes"),
        Reference("disciplines", "TRAINS", "Discipline", many=True, description="Discipline codes"),
    )),
    NodeKind("Course", "courses", "id", KeyRule.IDENTIFIER, "A national or municipal quality course", (
        Prop("id", S, "Course identifier", required=True),
        _name("Course name"),
        Prop("level", S, "national or municipal", COURSE_LEVELS),
        _year("year", "Year recognised"),
    ), (
        Reference("school", "OFFERED_BY", "School", description="School code"),
        Reference("enterprises", "CO_DEVELOPED_WITH", "Enterprise", many=True, description="Enterprise credit codes"),
        Reference("disciplines", "TEACHES", "Discipline", many=True, description="Discipline codes"),
    )),
)

REL_KINDS: Final[tuple[RelKind, ...]] = (
    RelKind("LOCATED_IN", ("School", "Enterprise", "Base"), "District", "Located in a district"),
    RelKind("COVERS", ("Zone",), "District", "A zone covers a district"),
    RelKind("PART_OF", ("IndustryChain",), "IndustryChain", "A segment of a larger chain"),
    RelKind("IN_CHAIN", ("Enterprise",), "IndustryChain", "An enterprise works in a chain"),
    RelKind("NEEDS", ("IndustryChain",), "Discipline", "A chain needs a discipline (the crosswalk)", (), (
        Prop("weight", F, "Strength of the need, 0–1", minimum=0, maximum=1),
    )),
    RelKind("OFFERS", ("School",), "Discipline", "A school offers a discipline in a year (supply)", ("year",), (
        _year("year", "Year", required=True),
        Prop("enrollment", I, "Students enrolled", minimum=0),
        Prop("graduates", I, "Graduates", minimum=0),
    )),
    RelKind("DEMANDS", ("Enterprise",), "Discipline", "An enterprise demands a discipline in a year", ("year",), (
        _year("year", "Year", required=True),
        Prop("openings", I, "Openings", minimum=0),
        Prop("level", S, "Level of study wanted", DISCIPLINE_LEVELS),
    )),
    RelKind("COOPERATES_WITH", ("School",), "Enterprise", "A school cooperates with an enterprise", (), (
        _year("since", "Year the cooperation began"),
        Prop("kinds", L, "Kinds of cooperation, e.g. internship; joint_lab"),
    )),
    RelKind("EMPLOYED_BY", ("Mentor",), "Enterprise", "A mentor's employer"),
    RelKind("MENTORS_AT", ("Mentor",), "School", "A mentor teaches or supervises at a school", (), (
        _year("since", "Year since"),
        Prop("role", S, "Role at the school"),
    )),
    RelKind("EXPERT_IN", ("Mentor",), "Discipline", "A mentor's discipline"),
    RelKind("HOSTED_BY", ("Base",), "Enterprise", "A base is hosted by an enterprise"),
    RelKind("PARTNERS_WITH", ("Base",), "School", "A base partners with a school"),
    RelKind("TRAINS", ("Base", "Project"), "Discipline", "A base or project trains a discipline"),
    RelKind("SERVES", ("Base", "Alliance", "Project"), "IndustryChain", "Serves an industry chain"),
    RelKind("MEMBER_OF", ("School", "Enterprise"), "Alliance", "A member of an alliance", (), (
        Prop("role", S, "lead or member", MEMBER_ROLES),
    )),
    RelKind("LED_BY", ("Project",), "School", "A project's lead school"),
    RelKind("WITH", ("Project",), "Enterprise", "A project's enterprise partner"),
    RelKind("AT_BASE", ("Project",), "Base", "A project runs at a base"),
    RelKind("OFFERED_BY", ("Course",), "School", "A course's school"),
    RelKind("CO_DEVELOPED_WITH", ("Course",), "Enterprise", "A course co-developed with an enterprise"),
    RelKind("TEACHES", ("Course",), "Discipline", "A course teaches a discipline"),
)

REL_TABLES: Final[tuple[RelTable, ...]] = (
    RelTable("offers", "OFFERS", "school", "discipline", ("year", "enrollment", "graduates")),
    RelTable("demands", "DEMANDS", "enterprise", "discipline", ("year", "openings", "level")),
    RelTable("chain_needs", "NEEDS", "chain", "discipline", ("weight",)),
    RelTable("cooperations", "COOPERATES_WITH", "school", "enterprise", ("since", "kinds")),
    RelTable("memberships", "MEMBER_OF", "member", "alliance", ("role",)),
    RelTable("mentorships", "MENTORS_AT", "mentor", "school", ("since", "role")),
)

LOAD_RUN_LABEL: Final = "LoadRun"

NODES: Final[dict[str, NodeKind]] = {kind.label: kind for kind in NODE_KINDS}
RELS: Final[dict[str, RelKind]] = {kind.type: kind for kind in REL_KINDS}
NODES_BY_TABLE: Final[dict[str, NodeKind]] = {kind.table: kind for kind in NODE_KINDS}
REL_TABLES_BY_NAME: Final[dict[str, RelTable]] = {table.table: table for table in REL_TABLES}


def node_kind(label: str) -> NodeKind:
    """The node kind of `label`; raises ValueError naming the allowed labels otherwise."""
    try:
        return NODES[label]
    except KeyError:
        raise ValueError(f"unknown node kind {label!r}; expected one of {', '.join(NODES)}") from None


def rel_kind(rel_type: str) -> RelKind:
    """The relationship kind of `rel_type`; raises ValueError naming the allowed types otherwise."""
    try:
        return RELS[rel_type]
    except KeyError:
        raise ValueError(f"unknown relationship kind {rel_type!r}; expected one of {', '.join(RELS)}") from None


def single_reference(label: str, rel_type: str) -> Reference | None:
    """The column of `label`'s table naming the one node `label` has over `rel_type` (a school's
    `district`, a project's `lead_school`), or None when `label` may have many or none."""
    return next((ref for ref in node_kind(label).references if ref.rel_type == rel_type and not ref.many), None)


def check_endpoints(rel_type: str, source_label: str, target_label: str) -> RelKind:
    """The relationship kind, after checking that it may join these two labels."""
    kind = rel_kind(rel_type)
    if source_label not in kind.sources or target_label != kind.target:
        raise ValueError(
            f"{rel_type} joins {'/'.join(kind.sources)} → {kind.target}, not {source_label} → {target_label}"
        )
    return kind

"""The relationship fields of each GraphQL type, derived from `graph.model`.

Every relationship kind appears on both of its ends. An outgoing relationship that a node table
references (DESIGN §3) is named after that column (`school.district`, `enterprise.chains`); the
other ends need a name chosen for the API, which the two tables below hold. A relationship that
several kinds share at its source (`MEMBER_OF` from schools and enterprises) is one field on the
target whose nodes are any of them (`alliance.members`). A model change that adds a relationship
without a name here fails at import, so the API never silently lacks a field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from graph.model import NODE_KINDS, REL_KINDS, NodeKind, Prop, RelKind
from graph.records import Direction

# The key of OFFERS and DEMANDS: a field over relationships keyed by it takes it as an argument.
YEAR = "year"

OUTGOING_NAMES: dict[tuple[str, str], str] = {
    ("School", "OFFERS"): "disciplines",
    ("School", "COOPERATES_WITH"): "cooperations",
    ("School", "MEMBER_OF"): "alliances",
    ("Enterprise", "DEMANDS"): "demands",
    ("Enterprise", "MEMBER_OF"): "alliances",
    ("IndustryChain", "NEEDS"): "disciplines",
    ("Mentor", "MENTORS_AT"): "schools",
}

INCOMING_NAMES: dict[tuple[str, str], str] = {
    ("District", "LOCATED_IN"): "locatedHere",
    ("District", "COVERS"): "zones",
    ("IndustryChain", "PART_OF"): "segments",
    ("IndustryChain", "IN_CHAIN"): "enterprises",
    ("IndustryChain", "SERVES"): "servedBy",
    ("Discipline", "NEEDS"): "chains",
    ("Discipline", "OFFERS"): "schools",
    ("Discipline", "DEMANDS"): "enterprises",
    ("Discipline", "EXPERT_IN"): "mentors",
    ("Discipline", "TRAINS"): "trainedBy",
    ("Discipline", "TEACHES"): "courses",
    ("Enterprise", "COOPERATES_WITH"): "cooperations",
    ("Enterprise", "EMPLOYED_BY"): "mentors",
    ("Enterprise", "HOSTED_BY"): "bases",
    ("Enterprise", "WITH"): "projects",
    ("Enterprise", "CO_DEVELOPED_WITH"): "courses",
    ("School", "MENTORS_AT"): "mentors",
    ("School", "PARTNERS_WITH"): "bases",
    ("School", "LED_BY"): "projects",
    ("School", "OFFERED_BY"): "courses",
    ("Base", "AT_BASE"): "projects",
    ("Alliance", "MEMBER_OF"): "members",
}


@dataclass(frozen=True)
class RelationField:
    """One relationship end as a field of its owner's GraphQL type."""

    owner: str
    name: str
    rel: RelKind
    direction: Direction
    targets: tuple[str, ...]
    single: bool

    @property
    def mixed(self) -> bool:
        """Nodes at the other end may be of several kinds (typed as the `Node` interface)."""
        return len(self.targets) > 1

    @property
    def properties(self) -> tuple[Prop, ...]:
        return self.rel.properties

    @property
    def keyed(self) -> bool:
        """The relationship is keyed beyond its ends (`OFFERS` by year), so it may join the same
        two nodes several times: the field lists each related node once, with its `rows`."""
        return bool(self.rel.key)

    @property
    def by_year(self) -> bool:
        """The relationship is keyed by `year`: the field takes a `year:` argument."""
        return YEAR in self.rel.key


def graphql_name(prop_name: str) -> str:
    """The GraphQL spelling of a model property: camelCase; `id` keys become `key` because
    `id` is the global ID on every type."""
    if prop_name == "id":
        return "key"
    head, *rest = prop_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def python_name(prop_name: str) -> str:
    """The attribute name in generated Strawberry classes (Strawberry camel-cases it)."""
    return "key" if prop_name == "id" else prop_name


def pascal(name: str) -> str:
    """`COOPERATES_WITH` → `CooperatesWith`, `leadSchool` → `LeadSchool`."""
    if name.isupper() or "_" in name:
        return "".join(part.capitalize() for part in name.lower().split("_"))
    return name[0].upper() + name[1:]


def _outgoing(kind: NodeKind, rel: RelKind) -> RelationField:
    reference = next((ref for ref in kind.references if ref.rel_type == rel.type), None)
    if reference is not None:
        name, single = graphql_name(reference.column), not reference.many
    else:
        name, single = _named(OUTGOING_NAMES, kind.label, rel.type, "OUTGOING_NAMES"), False
    return RelationField(kind.label, name, rel, Direction.OUT, (rel.target,), single)


def _incoming(kind: NodeKind, rel: RelKind) -> RelationField:
    name = _named(INCOMING_NAMES, kind.label, rel.type, "INCOMING_NAMES")
    return RelationField(kind.label, name, rel, Direction.IN, rel.sources, False)


def _named(table: dict[tuple[str, str], str], label: str, rel_type: str, table_name: str) -> str:
    try:
        return table[(label, rel_type)]
    except KeyError:
        raise KeyError(f"api.entities.relations.{table_name} has no field name for {label} {rel_type}") from None


@cache
def relation_fields(label: str) -> tuple[RelationField, ...]:
    """The relationship fields of `label`'s type: outgoing first, in model order."""
    kind = next(kind for kind in NODE_KINDS if kind.label == label)
    outgoing = [_outgoing(kind, rel) for rel in REL_KINDS if label in rel.sources]
    incoming = [_incoming(kind, rel) for rel in REL_KINDS if rel.target == label]
    fields = (*outgoing, *incoming)
    _check_unique(kind, fields)
    return fields


def _check_unique(kind: NodeKind, fields: tuple[RelationField, ...]) -> None:
    names = [graphql_name(prop.name) for prop in kind.properties] + [field.name for field in fields]
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise ValueError(f"{kind.label}'s GraphQL fields clash: {', '.join(clashes)}")

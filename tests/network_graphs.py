"""Small graphs with hand-checkable shapes for the network, analytics and export tests.

Keys follow the model's formats: 10-digit school codes, 6-digit discipline and district codes,
credit codes with a valid GB 32100-2015 check character.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.model import NODES
from graph.records import NodeRef, Provenance, RelRow
from graph.store import GraphStore
from graph.validation import uscc_check_char

PROVENANCE = Provenance("tests", "2025-01-01T00:00:00Z")


def uscc(n: int) -> str:
    first17 = f"91310000{n:09d}"
    return first17 + uscc_check_char(first17)


def school(n: int) -> NodeRef:
    return NodeRef("School", f"31310{n:05d}")


def enterprise(n: int) -> NodeRef:
    return NodeRef("Enterprise", uscc(n))


def discipline(n: int) -> NodeRef:
    return NodeRef("Discipline", f"0809{n:02d}")


def mentor(n: int) -> NodeRef:
    return NodeRef("Mentor", f"M{n}")


def alliance(n: int) -> NodeRef:
    return NodeRef("Alliance", f"A{n}")


def district(n: int) -> NodeRef:
    return NodeRef("District", f"3101{n:02d}")


def chain(code: str) -> NodeRef:
    return NodeRef("IndustryChain", code)


def nid(ref: NodeRef) -> str:
    return f"{ref.label}:{ref.key}"


DEFAULTS: dict[str, dict[str, Any]] = {
    "School": {"level": "undergraduate"},
    "Discipline": {"level": "undergraduate"},
    "Mentor": {"tier": "industry_mentor"},
    "IndustryChain": {"tier": "leading"},
    "Enterprise": {},
    "Alliance": {},
    "District": {},
}


def add_nodes(store: GraphStore, *refs: NodeRef, extra: Mapping[str, Mapping[str, Any]] | None = None) -> None:
    """Writes the nodes, named after their keys; `extra` maps a key to more properties."""
    extra = extra or {}
    by_label: dict[str, list[dict[str, Any]]] = {}
    for ref in refs:
        key_prop = NODES[ref.label].key
        row = {key_prop: ref.key, "name": f"{ref.label} {ref.key}", **DEFAULTS.get(ref.label, {}), **extra.get(ref.key, {})}
        by_label.setdefault(ref.label, []).append(row)
    for label, rows in by_label.items():
        store.upsert_nodes(label, rows, PROVENANCE)


def link(rel_type: str, source: NodeRef, target: NodeRef, key: Mapping[str, Any] | None = None, **props: Any) -> RelRow:
    return RelRow(rel_type, source, target, dict(key or {}), props)


def add_rels(store: GraphStore, *rows: RelRow) -> None:
    store.upsert_relationships(list(rows), PROVENANCE)


def star(store: GraphStore, leaves: int = 5) -> NodeRef:
    """A school cooperating with `leaves` enterprises; returns the hub."""
    hub, spokes = school(0), [enterprise(i) for i in range(1, leaves + 1)]
    add_nodes(store, hub, *spokes)
    add_rels(store, *(link("COOPERATES_WITH", hub, spoke) for spoke in spokes))
    return hub


def clique(store: GraphStore, n: int) -> list[NodeRef]:
    """A 4-clique of a school, an enterprise, a mentor and a discipline (every pair linked)."""
    s, e, m, d = school(n), enterprise(n), mentor(n), discipline(n)
    add_nodes(store, s, e, m, d)
    add_rels(
        store,
        link("COOPERATES_WITH", s, e),
        link("MENTORS_AT", m, s),
        link("OFFERS", s, d, {"year": 2024}, graduates=10),
        link("EMPLOYED_BY", m, e),
        link("DEMANDS", e, d, {"year": 2024}, openings=5),
        link("EXPERT_IN", m, d),
    )
    return [s, e, m, d]


def two_cliques(store: GraphStore) -> tuple[list[NodeRef], list[NodeRef]]:
    """Two 4-cliques joined by one edge: school 1 cooperates with enterprise 2."""
    first, second = clique(store, 1), clique(store, 2)
    add_rels(store, link("COOPERATES_WITH", school(1), enterprise(2)))
    return first, second

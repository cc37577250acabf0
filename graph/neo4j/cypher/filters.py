"""Compile `graph.filters` trees and orderings to parameterised Cypher.

Field names are checked against the model (so nothing a caller sends reaches the query text)
and values always travel as parameters `$p0`, `$p1`, …

Cypher is three-valued: a comparison with a missing property is null, and `NOT null` is null,
whereas the filter language says a missing property never matches, so `NOT` of it matches. Null
and false filter alike everywhere except under an odd number of `NOT`s, so only comparisons
there are wrapped in `coalesce(…, false)`; elsewhere they stay bare so indexes still apply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.aliases import pinyin_ordered
from graph.filters import And, Compare, Filter, Not, Op, Or, Related, check_filter, check_rel_filter
from graph.model import LOAD_RUN_LABEL, PROVENANCE_PROPS, Prop, PropType, RelKind, check_endpoints, node_kind
from graph.neo4j.cypher.sort_names import key_expression
from graph.records import Direction, OrderBy

_OPERATORS = {Op.EQ: "=", Op.GT: ">", Op.GTE: ">=", Op.LT: "<", Op.LTE: "<="}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Fields:
    """The properties a filter or ordering over one label (or relationship type) may name.

    `props` None means free-form names: `LoadRun` declares no properties in the model, so any
    identifier-shaped name is accepted there (and quoted), nothing else.
    """

    owner: str
    props: Mapping[str, Prop] | None
    label: str | None = None  # None for a relationship's own properties

    def resolve(self, name: str) -> Prop:
        if self.props is None:
            if not isinstance(name, str) or not _IDENTIFIER.match(name):
                raise ValueError(f"{self.owner} property {name!r} is not a plain name (letters, digits, '_')")
            return Prop(name)
        if name not in self.props:
            raise ValueError(f"{self.owner} has no property {name!r}; expected one of {', '.join(self.props)}")
        return self.props[name]

    def ref(self, var: str, name: str) -> str:
        """`var.name` after checking the name; free-form names are quoted."""
        prop = self.resolve(name)
        return f"{var}.{prop.name}" if self.props is not None else f"{var}.`{prop.name}`"


def _with_provenance(props: tuple[Prop, ...]) -> dict[str, Prop]:
    allowed = {prop.name: prop for prop in props}
    allowed.update({prop.name: prop for prop in PROVENANCE_PROPS})
    return allowed


def node_fields(label: str) -> Fields:
    if label == LOAD_RUN_LABEL:
        return Fields(label, None, label)
    return Fields(label, _with_provenance(node_kind(label).properties), label)


def rel_fields(kind: RelKind) -> Fields:
    return Fields(kind.type, _with_provenance(kind.properties))


@dataclass
class Params:
    """Query parameters collected under generated names, plus a counter for fresh variables."""

    values: dict[str, Any] = field(default_factory=dict)
    variables: int = 0
    prefix: str = ""  # for statements that combine several queries' parameters

    def add(self, value: Any) -> str:
        name = f"{self.prefix}p{len(self.values)}"
        self.values[name] = value
        return f"${name}"

    def fresh(self) -> int:
        self.variables += 1
        return self.variables


def compile_filter(where: Filter, fields: Fields, var: str, params: Params) -> str:
    """A Cypher predicate over `var` (a node, or a relationship, described by `fields`); a filter
    no store could answer is a ValueError (`graph.filters`' checks), never a query."""
    if fields.label is None:
        check_rel_filter(where)
    else:
        check_filter(fields.label, where)
    return _compile(where, fields, var, params, negated=False)


def _compile(where: Filter, fields: Fields, var: str, params: Params, negated: bool) -> str:
    if isinstance(where, Compare):
        prop, ref = fields.resolve(where.field), fields.ref(var, where.field)
        if where.op is Op.CONTAINS and fields.props is None:  # a free-form property: text or list
            predicate = _contains_either(ref, where.value, params)
        else:
            predicate = _predicate(where.op, prop, ref, where.value, params)
        return f"coalesce({predicate}, false)" if negated else predicate
    if isinstance(where, And | Or):
        if not where.parts:
            return "true" if isinstance(where, And) else "false"
        joiner = " AND " if isinstance(where, And) else " OR "
        return "(" + joiner.join(_compile(part, fields, var, params, negated) for part in where.parts) + ")"
    if isinstance(where, Not):
        return f"NOT ({_compile(where.part, fields, var, params, not negated)})"
    if isinstance(where, Related) and fields.label is not None:
        return _related(where, fields.label, var, params)
    raise AssertionError(f"{where!r} was not checked first")


def _predicate(op: Op, prop: Prop, ref: str, value: Any, params: Params) -> str:
    if op in _OPERATORS:
        return f"{ref} {_OPERATORS[op]} {params.add(value)}"
    if op is Op.IN:
        return f"{ref} IN {params.add(list(value))}"
    if op is Op.CONTAINS and prop.type is PropType.STR_LIST:
        return f"{params.add(value)} IN {ref}"
    if op is Op.CONTAINS:
        return f"{ref} CONTAINS {params.add(str(value))}"
    if op is Op.STARTS_WITH:
        return f"{ref} STARTS WITH {params.add(str(value))}"
    raise AssertionError(f"filter on {prop.name!r}: operator {op!r} was not checked first")


def _contains_either(ref: str, value: Any, params: Params) -> str:
    """`contains` on a property of unknown type: an item of a list, or a substring of a text."""
    return f"CASE WHEN {ref} IS :: LIST<ANY> THEN {params.add(value)} IN {ref} ELSE {ref} CONTAINS {params.add(str(value))} END"


def _related(where: Related, label: str, var: str, params: Params) -> str:
    exists = f"EXISTS {{ {_match_chain(where, label, var, params)} }}"
    return f"NOT {exists}" if where.none else exists


def _match_chain(where: Related, label: str, var: str, params: Params) -> str:
    """`MATCH (var)-[r]->(m:Label) WHERE …` for one hop. A nested relationship filter that must
    hold (`some`, not `none`) becomes a further MATCH in the same subquery rather than an EXISTS
    inside the WHERE: the same meaning (clauses do not share relationship uniqueness), but the
    planner may start from the far end, e.g. from a chain found by index rather than from every
    offer of every school."""
    other = node_kind(where.label)
    direction = Direction(where.direction)
    if direction is Direction.OUT:
        rel = check_endpoints(where.rel_type, label, other.label)
    else:
        rel = check_endpoints(where.rel_type, other.label, label)
    number = params.fresh()
    rel_var, node_var = f"r{number}", f"m{number}"
    arrow = f"-[{rel_var}:{rel.type}]->" if direction is Direction.OUT else f"<-[{rel_var}:{rel.type}]-"
    nested = where.where if isinstance(where.where, Related) and not where.where.none else None
    conditions = []
    if where.rel_where is not None:
        conditions.append(_compile(where.rel_where, rel_fields(rel), rel_var, params, negated=False))
    if where.where is not None and nested is None:
        conditions.append(_compile(where.where, node_fields(other.label), node_var, params, negated=False))
    condition = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    clause = f"MATCH ({var}){arrow}({node_var}:{other.label}){condition}"
    return clause if nested is None else f"{clause} {_match_chain(nested, other.label, node_var, params)}"


def where_clause(where: Filter | None, fields: Fields, var: str, params: Params) -> str:
    """`WHERE …` plus a newline, or nothing for no filter."""
    return "" if where is None else f"WHERE {compile_filter(where, fields, var, params)}\n"


def check_compiles(kind: RelKind, where: Filter | None) -> None:
    """Raise ValueError for a filter on `kind`'s properties that could not be compiled."""
    if where is not None:
        compile_filter(where, rel_fields(kind), "r", Params())


def order_clause(label: str, key: str, order_by: Sequence[OrderBy], var: str) -> str:
    """`ORDER BY` the requested fields, missing values last either way (as the embedded store
    orders), then the key so pages are stable. A pinyin-ordered field (`graph.aliases`) sorts by
    its sort key, then by itself."""
    fields = node_fields(label)
    terms = []
    for order in order_by:
        ref = fields.ref(var, order.field)
        refs = [key_expression(var, order.field), ref] if pinyin_ordered(order.field) else [ref]
        terms += [f"{refs[0]} IS NULL", *(f"{term} DESC" for term in refs)] if order.descending else refs
    return "ORDER BY " + ", ".join([*terms, f"{var}.{key}"])

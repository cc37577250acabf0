"""Generated attacks on personal data (issue 11 #1), over real HTTP on both stores.

Hypothesis draws operations an attacker could send: a connection of any kind with a random
`where` (any input field of the served schema: property conditions, relationship filters with
`some`/`none`/`edge`, filters over several kinds, `AND`/`OR`/`NOT`, nested) and `orderBy`, given
as literals or as variables, beside `search` for pieces of the personal values and `analytics`
over random kinds and relationships. For anonymous callers and readers, every answer must be
below 500, hold no personal value, and be a FORBIDDEN refusal exactly when the operation names
a personal property (which properties are personal comes from the model)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLNonNull, GraphQLScalarType, get_named_type
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model import NODE_KINDS, REL_KINDS
from tests.api.conftest import Api
from tests.api.personal import (
    BELOW_EDITOR,
    PERSONAL_PROPS,
    PERSONAL_VALUES,
    SCHEMA,
    EnumValue,
    input_type,
    is_list,
    literal,
    refused,
)
from tests.api.secured import role_headers

EXAMPLES = 100  # per role and store: 600 generated operations per run
MAX_DEPTH = 4  # input objects nested inside one another
# Input fields and enum values that name a personal property, as the model says.
PERSONAL_INPUTS = {(f"{label}Where", prop) for label, prop in PERSONAL_PROPS} | {
    (f"{label}OrderField", prop.upper()) for label, prop in PERSONAL_PROPS}
PERSONAL_ENUMS = {name for name, _ in PERSONAL_INPUTS if isinstance(SCHEMA.type_map[name], GraphQLEnumType)}
PIECES = sorted({value[:end] for value in PERSONAL_VALUES for end in range(1, len(value) + 1)})
TEXT = st.one_of(st.sampled_from(PIECES), st.text(alphabet="az.@0138张伟 -", max_size=6))
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "String": TEXT,
    "ID": TEXT,
    "Int": st.integers(min_value=-5, max_value=3000),
    "Float": st.floats(min_value=-10, max_value=10, allow_nan=False),
    "Boolean": st.booleans(),
}
KINDS = list(NODE_KINDS)
KIND_VALUES = sorted(SCHEMA.type_map["Kind"].values)  # type: ignore[attr-defined]


def _distances() -> dict[str, int]:
    """Input type → how many input objects deep its nearest personal input lies (0: in itself)."""
    inputs = {name: item for name, item in SCHEMA.type_map.items() if isinstance(item, GraphQLInputObjectType)}
    enums = PERSONAL_ENUMS
    distance = {name: 0 for name, item in inputs.items()
                if any((name, f) in PERSONAL_INPUTS or get_named_type(t.type).name in enums for f, t in item.fields.items())}
    changed = True
    while changed:
        changed = False
        for name, item in inputs.items():
            inner = [distance[get_named_type(t.type).name] + 1 for t in item.fields.values() if get_named_type(t.type).name in distance]
            if inner and min(inner) < distance.get(name, len(inputs)):
                distance[name], changed = min(inner), True
    return distance


DISTANCE = _distances()


def _towards_personal(type_name: str, depth: int) -> list[str]:
    """Fields of `type_name` that are, or lead within `depth` to, a personal input: three times in four
    one of them is mostly drawn, so that generated attacks name personal data on many paths."""
    fields = input_type(type_name).fields
    return sorted(name for name, item in fields.items() if (type_name, name) in PERSONAL_INPUTS
                  or (isinstance(named := get_named_type(item.type), GraphQLInputObjectType) and DISTANCE.get(named.name, depth) < depth)
                  or get_named_type(item.type).name in PERSONAL_ENUMS)


@dataclass
class Drawn:
    """An operation's arguments as drawn, and whether they name a personal input anywhere."""

    personal: bool = False
    names: list[str] = field(default_factory=list)


def _value(draw: Any, field_type: Any, depth: int, drawn: Drawn) -> Any:
    named = get_named_type(field_type)
    inner: Any
    if isinstance(named, GraphQLInputObjectType):
        inner = _object(draw, named.name, depth - 1, drawn)
    elif isinstance(named, GraphQLEnumType):
        personal = sorted(value for enum, value in PERSONAL_INPUTS if enum == named.name)
        values = personal if personal and draw(st.booleans()) else sorted(named.values)
        inner = EnumValue(draw(st.sampled_from(values)))
        if (named.name, inner) in PERSONAL_INPUTS:
            drawn.personal = True
            drawn.names.append(f"{named.name}.{inner}")
    else:
        assert isinstance(named, GraphQLScalarType)
        inner = draw(SCALARS[named.name])
    if is_list(field_type):
        return draw(st.lists(st.just(inner), min_size=1, max_size=2)) if draw(st.booleans()) else inner
    return inner


def _object(draw: Any, type_name: str, depth: int, drawn: Drawn) -> dict[str, Any]:
    """A value of the input object `type_name`: its required fields and one or two others (only
    those that are not input objects once `depth` is spent)."""
    fields = input_type(type_name).fields
    required = [name for name, item in fields.items() if isinstance(item.type, GraphQLNonNull)]
    optional = sorted(name for name, item in fields.items() if name not in required
                      and (depth > 0 or not isinstance(get_named_type(item.type), GraphQLInputObjectType)))
    chosen = required + (draw(st.lists(st.sampled_from(optional), max_size=2, unique=True)) if optional else [])
    towards = [name for name in _towards_personal(type_name, depth) if name not in chosen]
    if towards and draw(st.integers(0, 3)):
        chosen.append(draw(st.sampled_from(towards)))
    value = {}
    for name in chosen:
        if (type_name, name) in PERSONAL_INPUTS:
            drawn.personal = True
            drawn.names.append(f"{type_name}.{name}")
        value[name] = _value(draw, fields[name].type, depth, drawn)
    return value


def _connection_field(label: str) -> str:
    assert SCHEMA.query_type is not None
    return next(name for name, item in SCHEMA.query_type.fields.items()
                if "where" in item.args and get_named_type(item.args["where"].type).name == f"{label}Where")


@st.composite
def attacks(draw: Any) -> tuple[str, dict[str, Any], Drawn]:
    """(document, variables, what the arguments name)."""
    kind = draw(st.sampled_from(KINDS))
    drawn = Drawn()
    where = _object(draw, f"{kind.label}Where", MAX_DEPTH, drawn)
    order = [_object(draw, f"{kind.label}OrderBy", 0, drawn) for _ in range(draw(st.integers(0, 2)))]
    in_variables = draw(st.booleans())
    arguments = "where: $w, orderBy: $o" if in_variables else f"where: {literal(where)}, orderBy: {literal(order)}"
    personal_fields = " email phone" if kind.label in {label for label, _ in PERSONAL_PROPS} else ""
    parts = [f"{_connection_field(kind.label)}({arguments}, first: 5) {{ totalCount nodes {{ id{personal_fields} }} }}"]
    if draw(st.booleans()):
        parts.append(f"search(text: {literal(draw(TEXT.filter(str.strip)))}) {{ score node {{ ... on Mentor {{ email phone }} }} }}")
    if draw(st.booleans()):
        kinds = draw(st.lists(st.sampled_from([EnumValue(name) for name in KIND_VALUES]), max_size=3, unique=True))
        rels = draw(st.lists(st.sampled_from([rel.type for rel in REL_KINDS] + ["email", "phone"]), max_size=2, unique=True))
        parts.append(f"analytics(kinds: {literal(kinds)}, relationships: {literal(rels)}) {{ centrality(measure: DEGREE, first: 3) "
                     "{ rows { node { key node { ... on Mentor { email phone } } } } } }")
    header = f"query($w: {kind.label}Where, $o: [{kind.label}OrderBy!])" if in_variables else "query"
    variables = {"w": where, "o": order} if in_variables else {}
    return f"{header} {{ {' '.join(parts)} }}", variables, drawn


def personal_fields_in(data: Any) -> list[Any]:
    """Every `email` and `phone` value anywhere in an answer."""
    if isinstance(data, list):
        return [found for item in data for found in personal_fields_in(item)]
    if not isinstance(data, dict):
        return []
    here = [value for key, value in data.items() if key in {prop for _, prop in PERSONAL_PROPS}]
    return here + [found for value in data.values() for found in personal_fields_in(value)]


@pytest.mark.parametrize("role", BELOW_EDITOR)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(attack=attacks())
def test_no_personal_value_is_learnt_below_editor(secured_api: Api, role: str, attack: tuple[str, dict[str, Any], Drawn]) -> None:
    query, variables, drawn = attack
    response = secured_api.post(query, variables, **role_headers(role))
    assert response.status_code < 500, response.text
    assert not any(value in response.text for value in PERSONAL_VALUES), response.text
    if drawn.personal:
        assert refused(response), (drawn.names, response.text)
        return
    body = response.json()
    assert "FORBIDDEN" not in {error.get("extensions", {}).get("code") for error in body.get("errors", [])}, response.text
    assert set(personal_fields_in(body.get("data"))) <= {None}, response.text

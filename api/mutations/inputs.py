"""Mutation inputs, generated from `graph.model`.

- `<Kind>Input` per node kind: the key (required), every property, and every reference column of
  the kind's file (`district`, `chains`, …) whose relationships it replaces when given.
- `<Rel>Input` per relationship kind: `from` and `to` (the endpoints' keys; `fromKind` when several
  kinds may start it), the relationship's key properties and its other properties.
- `<Rel>KeyInput` for the relationship kinds with properties beyond their key: what `disconnect`
  needs to name one relationship. Kinds without such properties use `<Rel>Input` for both.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from api.arguments import given
from api.entities.generate import define
from api.entities.relations import pascal, python_name
from api.entities.scalar_filters import SCALARS
from graph.model import NODE_KINDS, NODES, REL_KINDS, NodeKind, Prop, Reference, RelKind

MODULE = __name__
LEAVE_AS_IS = "omitted or null leaves the stored value as it is"

def node_input_name(label: str) -> str:
    return f"{label}Input"


def rel_input_name(rel: RelKind) -> str:
    return f"{pascal(rel.type)}Input"


def rel_key_input_name(rel: RelKind) -> str:
    return f"{pascal(rel.type)}KeyInput" if _extra_props(rel) else rel_input_name(rel)


def source_enum_name(rel: RelKind) -> str:
    return f"{pascal(rel.type)}Source"


def reference_attr(reference: Reference) -> str:
    return reference.column  # Strawberry camel-cases it: lead_school → leadSchool


def _extra_props(rel: RelKind) -> tuple[Prop, ...]:
    return tuple(prop for prop in rel.properties if prop.name not in rel.key)


def _upper_snake(label: str) -> str:
    return "".join(f"_{char}" if char.isupper() else char for char in label).lstrip("_").upper()


def _required(annotation: Any, description: str, name: str | None = None) -> tuple[Any, Any]:
    return annotation, strawberry.field(description=description, name=name)


def _optional(annotation: Any, description: str) -> tuple[Any, Any]:
    return annotation | None, strawberry.field(default=strawberry.UNSET, description=description)


def _define_input(name: str, description: str, fields: dict[str, tuple[Any, Any]]) -> Any:
    annotations = {attr: annotation for attr, (annotation, _) in fields.items()}
    attributes = {attr: default for attr, (_, default) in fields.items()}
    return define(MODULE, name, annotations, attributes, strawberry.input(name=name, description=description))


def _property_help(prop: Prop) -> str:
    text = prop.description
    if prop.choices and not all(choice in text for choice in prop.choices):
        text += f"; one of: {', '.join(prop.choices)}"
    return text


def _define_node_input(kind: NodeKind) -> Any:
    fields = {python_name(kind.key): _required(str, f"{_property_help(kind.key_prop)} (the natural key)")}
    for prop in kind.properties:
        if prop.name != kind.key:
            fields[python_name(prop.name)] = _optional(SCALARS[prop.type], f"{_property_help(prop)}; {LEAVE_AS_IS}")
    for reference in kind.references:
        target = NODES[reference.target]
        keys = f"{target.label} {target.key}s; [] removes them all" if reference.many else f"{target.label} {target.key}"
        help_text = (f"{reference.description} ({keys}): replaces the node's {reference.rel_type} relationships; "
                     "omitted or null leaves them as they are")
        fields[reference_attr(reference)] = _optional(list[str] if reference.many else str, help_text)
    description = f"A {kind.label} to create or update, found by its key; properties not given keep their stored values"
    return _define_input(node_input_name(kind.label), description, fields)


def _define_source_enum(rel: RelKind) -> Any:
    members = {_upper_snake(label): label for label in rel.sources}
    description = f"The kinds a {rel.type} relationship may start from"
    return strawberry.enum(Enum(source_enum_name(rel), members), description=description)  # type: ignore[call-overload]


def _endpoint_fields(rel: RelKind) -> dict[str, tuple[Any, Any]]:
    sources = " or ".join(f"{label} {NODES[label].key}" for label in rel.sources)
    target = NODES[rel.target]
    fields = {"from_": _required(str, f"Key of the node it starts from: {sources}", name="from")}
    if len(rel.sources) > 1:
        fields["from_kind"] = _required(SOURCE_ENUMS[rel.type], "Kind of the node it starts from")
    fields["to"] = _required(str, f"Key of the node it ends at: {target.label} {target.key}")
    for name in rel.key:
        prop = rel.prop(name)
        fields[python_name(name)] = _required(SCALARS[prop.type], f"{_property_help(prop)} (part of the relationship's key)")
    return fields


def _define_rel_inputs(rel: RelKind) -> None:
    fields = _endpoint_fields(rel)
    extra = {python_name(prop.name): _optional(SCALARS[prop.type], f"{_property_help(prop)}; {LEAVE_AS_IS}")
             for prop in _extra_props(rel)}
    _define_input(rel_input_name(rel), f"A {rel.type} relationship to create or update: {rel.description}", {**fields, **extra})
    if extra:
        _define_input(rel_key_input_name(rel), f"Which {rel.type} relationship: its endpoints and key", fields)


SOURCE_ENUMS: dict[str, Any] = {rel.type: _define_source_enum(rel) for rel in REL_KINDS if len(rel.sources) > 1}
NODE_INPUTS: dict[str, Any] = {kind.label: _define_node_input(kind) for kind in NODE_KINDS}
for _rel in REL_KINDS:
    _define_rel_inputs(_rel)


def input_class(name: str) -> Any:
    return globals()[name]


# ---- reading inputs --------------------------------------------------------------------------


def node_values(kind: NodeKind, data: Any) -> dict[str, Any]:
    """The properties a `<Kind>Input` sets (the key included), by model name."""
    values = {prop.name: given(getattr(data, python_name(prop.name))) for prop in kind.properties}
    return {name: value for name, value in values.items() if value is not None}


def reference_values(kind: NodeKind, data: Any) -> dict[Reference, list[str]]:
    """The reference columns a `<Kind>Input` sets, each as a list of keys."""
    found: dict[Reference, list[str]] = {}
    for reference in kind.references:
        value = given(getattr(data, reference_attr(reference)))
        if value is not None:
            found[reference] = list(value) if reference.many else [value]
    return found


def source_label(rel: RelKind, data: Any) -> str:
    """The label the relationship starts from (`fromKind`, or the only possible one)."""
    chosen = getattr(data, "from_kind", None)
    return str(chosen.value) if chosen is not None else rel.sources[0]


def rel_values(rel: RelKind, data: Any, props: tuple[Prop, ...]) -> dict[str, Any]:
    values = {prop.name: given(getattr(data, python_name(prop.name), None)) for prop in props}
    return {name: value for name, value in values.items() if value is not None}

"""Checking mutation input with the loaders' rules (`graph.validation`, the model's endpoints)
and turning it into one `ChangeSet`.

Every problem is collected with the input field it concerns (`input.level`, `input.chains[1]`),
so one answer lists them all; `InvalidInput` carries them to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.entities.relations import graphql_name
from api.errors import UserInputError
from graph.model import NODES, NodeKind, Prop, Reference, RelKind, check_endpoints
from graph.records import Neighbour, Node, NodeRef, RelRow
from graph.validation import check_key, coerce, validate_node

INPUT = "input"


class InvalidInput(UserInputError):
    """Input that breaks a rule; nothing was written. `extensions.fields` maps each input field
    to what is wrong with it."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("invalid input, nothing was written: " + "; ".join(f"{where}: {what}" for where, what in self.problems.items()))
        self.extensions = {"code": "BAD_USER_INPUT", "fields": self.problems}


def field_path(name: str) -> str:
    """`input.<field>` in the caller's spelling (camelCase; `id` keys are `key`)."""
    return f"{INPUT}.{graphql_name(name)}"


def checked_key(kind: NodeKind, raw: Any, where: str) -> str:
    try:
        return check_key(kind.key_rule, raw)
    except ValueError as error:
        raise InvalidInput({where: str(error)}) from None


def node_props(kind: NodeKind, values: Mapping[str, Any], stored: Node | None) -> dict[str, Any]:
    """The given properties, valid for `kind`. Stored values stand in for the ones not given, so
    updating a node does not mean repeating its required properties."""
    merged = {**(stored.props if stored else {}), **values}
    clean, errors = validate_node(kind, merged)
    problems = {field_path(name): message for name, message in errors.items() if name in values or stored is None}
    if problems:
        raise InvalidInput(problems)
    return {name: clean[name] for name in values if name in clean}


def reference_keys(references: Mapping[Reference, list[str]]) -> dict[Reference, list[str]]:
    """Each reference's keys in the target kind's key format."""
    found: dict[Reference, list[str]] = {}
    problems: dict[str, str] = {}
    for reference, raws in references.items():
        target = NODES[reference.target]
        found[reference] = []
        for index, raw in enumerate(raws):
            where = f"{field_path(reference.column)}[{index}]" if reference.many else field_path(reference.column)
            try:
                found[reference].append(check_key(target.key_rule, raw))
            except ValueError as error:
                problems[where] = str(error)
    if problems:
        raise InvalidInput(problems)
    return found


def missing_references(references: Mapping[Reference, list[str]], existing: Mapping[Reference, set[str]]) -> None:
    """InvalidInput naming every referenced node that does not exist (none are created)."""
    problems = {}
    for reference, keys in references.items():
        absent = [key for key in keys if key not in existing[reference]]
        if absent:
            listed = ", ".join(repr(key) for key in absent)
            problems[field_path(reference.column)] = f"{reference.target} {listed} does not exist (create it first)"
    if problems:
        raise InvalidInput(problems)


def reference_changes(ref: NodeRef, references: Mapping[Reference, list[str]],
                      current: Mapping[Reference, list[Neighbour]]) -> tuple[list[RelRow], list[RelRow]]:
    """Relationships to write and to remove so that each given reference holds exactly its keys."""
    upserts: list[RelRow] = []
    deletes: list[RelRow] = []
    for reference, keys in references.items():
        upserts += [RelRow(reference.rel_type, ref, NodeRef(reference.target, key)) for key in keys]
        deletes += [RelRow(reference.rel_type, ref, item.node.ref) for item in current.get(reference, ())
                    if item.node.label == reference.target and item.node.key not in keys]
    return upserts, deletes


def relationship(rel: RelKind, source: str, from_key: Any, to_key: Any, values: Mapping[str, Any],
                 with_props: bool) -> RelRow:
    """A valid `RelRow` of `rel` from `source`: endpoint keys in their formats, key properties and
    (when `with_props`) the other properties coerced and within their ranges."""
    check_endpoints(rel.type, source, rel.target)
    problems: dict[str, str] = {}
    ends = [_endpoint(NODES[source], from_key, f"{INPUT}.from", problems),
            _endpoint(NODES[rel.target], to_key, f"{INPUT}.to", problems)]
    wanted = rel.properties if with_props else tuple(rel.prop(name) for name in rel.key)
    props = {prop.name: _coerced(prop, values.get(prop.name), problems) for prop in wanted}
    if problems:
        raise InvalidInput(problems)
    key = {name: props.pop(name) for name in rel.key}
    props = {name: value for name, value in props.items() if value is not None}
    return RelRow(rel.type, NodeRef(source, ends[0]), NodeRef(rel.target, ends[1]), key, props)


def _endpoint(kind: NodeKind, raw: Any, where: str, problems: dict[str, str]) -> str:
    try:
        return check_key(kind.key_rule, raw)
    except ValueError as error:
        problems[where] = f"{kind.label} key: {error}"
        return ""


def _coerced(prop: Prop, raw: Any, problems: dict[str, str]) -> Any:
    try:
        return coerce(prop, raw)
    except ValueError as error:
        problems[field_path(prop.name)] = str(error)
        return None


def missing_endpoints(row: RelRow, found: Mapping[NodeRef, Node | None]) -> None:
    problems = {}
    for where, ref in ((f"{INPUT}.from", row.source), (f"{INPUT}.to", row.target)):
        if found.get(ref) is None:
            problems[where] = f"{ref.label} {ref.key!r} does not exist (create it first)"
    if problems:
        raise InvalidInput(problems)

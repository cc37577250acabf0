"""The entity part of the root `Mutation`, generated from `graph.model` (editors and admins only):

- `upsert<Kind>(input: <Kind>Input!)` and `delete<Kind>(key: String!)` per node kind;
- `connect<Rel>(input: <Rel>Input!)` and `disconnect<Rel>(input: <Rel>KeyInput!)` per relationship
  kind (`connectOffers`, `disconnectMemberOf`).

Each mutation is one atomic write: when any part of the input is invalid or names a node that does
not exist, nothing is written and the error names every bad field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry import Info

from api.auth import EditorsOnly
from api.entities.generate import define
from api.entities.relations import pascal
from api.mutations import writes
from api.mutations.inputs import (
    NODE_INPUTS,
    input_class,
    node_values,
    reference_values,
    rel_input_name,
    rel_key_input_name,
    rel_values,
    source_label,
)
from api.mutations.payloads import UPSERT_PAYLOADS, DeletePayload, RelationshipPayload
from graph.model import NODE_KINDS, REL_KINDS, NodeKind, RelKind


def _upsert(kind: NodeKind) -> Callable[..., Any]:
    payload = UPSERT_PAYLOADS[kind.label]

    async def resolve(info: Info, input: Any, replace_synthetic: bool = False) -> Any:
        node, written = await writes.upsert_node(info, kind, node_values(kind, input), reference_values(kind, input),
                                                 replace_synthetic)
        return payload(node=node, info=written)

    help_text = f"The {kind.label}: created when its key is new, updated otherwise"
    replace_help = "Update a synthetic node of this key and make it real (refused otherwise)"
    resolve.__annotations__.update(input=Annotated[NODE_INPUTS[kind.label], strawberry.argument(description=help_text)],
                                   replace_synthetic=Annotated[bool, strawberry.argument(description=replace_help)],
                                   info=Info, **{"return": payload})
    return resolve


def _delete(kind: NodeKind) -> Callable[..., Any]:
    async def resolve(info: Info, key: str) -> DeletePayload:
        return await writes.delete_node(info, kind, key)

    help_text = f"The {kind.label}'s natural key ({kind.key})"
    resolve.__annotations__.update(key=Annotated[str, strawberry.argument(description=help_text)], info=Info,
                                   **{"return": DeletePayload})
    return resolve


def _connect(rel: RelKind) -> Callable[..., Any]:
    async def resolve(info: Info, input: Any) -> RelationshipPayload:
        values = rel_values(rel, input, rel.properties)
        return await writes.connect(info, rel, source_label(rel, input), input, values)

    help_text = "The endpoints, key and properties"
    resolve.__annotations__.update(input=Annotated[input_class(rel_input_name(rel)), strawberry.argument(description=help_text)],
                                   info=Info, **{"return": RelationshipPayload})
    return resolve


def _disconnect(rel: RelKind) -> Callable[..., Any]:
    async def resolve(info: Info, input: Any) -> RelationshipPayload:
        values = rel_values(rel, input, tuple(rel.prop(name) for name in rel.key))
        return await writes.disconnect(info, rel, source_label(rel, input), input, values)

    help_text = "The endpoints and key of the relationship"
    resolve.__annotations__.update(input=Annotated[input_class(rel_key_input_name(rel)), strawberry.argument(description=help_text)],
                                   info=Info, **{"return": RelationshipPayload})
    return resolve


def _mutation(name: str, resolver: Callable[..., Any], description: str) -> tuple[str, Any]:
    field = strawberry.mutation(resolver=resolver, name=name, description=description, permission_classes=[EditorsOnly])
    return name, field


def _node_mutations(kind: NodeKind) -> dict[str, Any]:
    return dict((
        _mutation(f"upsert{kind.label}", _upsert(kind), f"Create or update the {kind.label} node with the given key ({kind.description}); replaces the references given"),
        _mutation(f"delete{kind.label}", _delete(kind), f"Delete the {kind.label} node with this key, with all its relationships"),
    ))


def _rel_mutations(rel: RelKind) -> dict[str, Any]:
    ends = f"{'/'.join(rel.sources)} → {rel.target}"
    return dict((
        _mutation(f"connect{pascal(rel.type)}", _connect(rel), f"Create or update a {rel.type} relationship ({ends}): {rel.description}"),
        _mutation(f"disconnect{pascal(rel.type)}", _disconnect(rel), f"Remove a {rel.type} relationship ({ends})"),
    ))


def _fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for kind in NODE_KINDS:
        fields.update(_node_mutations(kind))
    for rel in REL_KINDS:
        fields.update(_rel_mutations(rel))
    return fields


EntityMutation: Any = define(__name__, "EntityMutation", {}, _fields(), strawberry.type(name="EntityMutation"))

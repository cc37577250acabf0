"""What mutations answer: the node or relationship's endpoints as they are now, and what changed."""

from __future__ import annotations

from typing import Any

import strawberry

from api.entities.generate import define, lazy
from api.entities.types import Node
from graph.model import NODE_KINDS
from graph.store import ChangeCounts

MODULE = __name__


@strawberry.type(description="What one mutation changed in the store")
class WriteInfo:
    nodes_created: int = strawberry.field(description="Nodes created")
    nodes_updated: int = strawberry.field(description="Nodes whose properties changed")
    nodes_unchanged: int = strawberry.field(description="Nodes written with the values they already had")
    nodes_deleted: int = strawberry.field(description="Nodes deleted (their relationships went with them)")
    relationships_created: int = strawberry.field(description="Relationships created")
    relationships_updated: int = strawberry.field(description="Relationships whose properties changed")
    relationships_unchanged: int = strawberry.field(description="Relationships written with the values they already had")
    relationships_deleted: int = strawberry.field(description="Relationships deleted explicitly")


def write_info(counts: ChangeCounts) -> WriteInfo:
    nodes, rels = counts.nodes, counts.rels
    return WriteInfo(
        nodes_created=nodes.created, nodes_updated=nodes.updated, nodes_unchanged=nodes.unchanged, nodes_deleted=nodes.deleted,
        relationships_created=rels.created, relationships_updated=rels.updated,
        relationships_unchanged=rels.unchanged, relationships_deleted=rels.deleted,
    )


@strawberry.type(description="The answer to a delete mutation")
class DeletePayload:
    id: strawberry.ID = strawberry.field(description="Global ID of the node named")
    deleted: bool = strawberry.field(description="Whether the node existed (and is now gone)")
    info: WriteInfo = strawberry.field(description="What changed")


@strawberry.type(description="The answer to a connect or disconnect mutation: the endpoints and what changed")
class RelationshipPayload:
    from_: Node | None = strawberry.field(name="from", description="The node the relationship starts from (null if it does not exist)")
    to: Node | None = strawberry.field(description="The node it ends at (null if it does not exist)")
    info: WriteInfo = strawberry.field(description="What changed")


def upsert_payload_name(label: str) -> str:
    return f"Upsert{label}Payload"


def _define_upsert_payload(label: str) -> Any:
    name = upsert_payload_name(label)
    annotations = {"node": lazy(label, "api.entities.types"), "info": WriteInfo}
    fields = {"node": strawberry.field(description=f"The {label} as stored now"),
              "info": strawberry.field(description="What changed")}
    return define(MODULE, name, annotations, fields, strawberry.type(name=name, description=f"The answer to upsert{label}"))


UPSERT_PAYLOADS: dict[str, Any] = {kind.label: _define_upsert_payload(kind.label) for kind in NODE_KINDS}

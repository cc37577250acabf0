"""The unit of work of each mutation: read what the checks need, validate, then one
`GraphStore.apply` (all of it or nothing), stamped with the caller as provenance."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry import Info

from api.auth import caller_of
from api.dataloaders import Loaders
from api.entities.pages import wrap
from api.mutations import changes
from api.mutations.changes import InvalidInput
from api.mutations.payloads import DeletePayload, RelationshipPayload, write_info
from api.relay import to_global_id
from api.store_access import RequestStore
from graph.model import NodeKind, Reference, RelKind
from graph.records import Direction, Neighbour, Node, NodeRef, Provenance, RelRow
from graph.store import ChangeCounts, ChangeSet

API_SOURCE_PREFIX = "api:"


def _store(info: Info) -> RequestStore:
    store: RequestStore = info.context.store
    return store


def provenance(info: Info) -> Provenance:
    """`source` names the caller (`api:key:<name>`, `api:jwt:<sub>`), never a secret."""
    return Provenance(f"{API_SOURCE_PREFIX}{caller_of(info).subject}", datetime.now(UTC).isoformat(timespec="milliseconds"))


async def apply(info: Info, change_set: ChangeSet) -> ChangeCounts:
    """One atomic write. The store refuses a write that became invalid since the checks (say, an
    endpoint deleted meanwhile) as a whole; that is the caller's news, not an internal error."""
    try:
        counts: ChangeCounts = await _store(info).call("apply", change_set, provenance(info))
    except ValueError as error:
        raise InvalidInput({"input": str(error)}) from None
    info.context.loaders = Loaders(_store(info))  # what this request read before the write is stale now
    return counts


async def upsert_node(info: Info, kind: NodeKind, values: Mapping[str, Any],
                      references: Mapping[Reference, list[str]], replace_synthetic: bool = False) -> tuple[Any, Any]:
    key = changes.checked_key(kind, values.get(kind.key), changes.field_path(kind.key))
    store = _store(info)
    stored = (await store.get_nodes(kind.label, [key])).get(key)
    if stored is not None and stored.props.get("synthetic") is True and not replace_synthetic:
        raise InvalidInput({changes.field_path(kind.key): (
            f"{kind.label} {key!r} is a synthetic node (source {stored.props.get('source')}); an edit is real data and "
            "does not merge onto made-up data: delete the node first, or pass replaceSynthetic: true to make it real")})
    props = changes.node_props(kind, {**values, kind.key: key}, stored)
    keys = changes.reference_keys(references)
    existing, current = await asyncio.gather(_existing(store, keys), _current(store, NodeRef(kind.label, key), keys, stored))
    changes.missing_references(keys, existing)
    upserts, deletes = changes.reference_changes(NodeRef(kind.label, key), keys, current)
    counts = await apply(info, ChangeSet(nodes=[(kind.label, props)], rels=upserts, delete_rels=deletes))
    return wrap(counts.written[NodeRef(kind.label, key)]), write_info(counts)


async def _existing(store: RequestStore, references: Mapping[Reference, list[str]]) -> dict[Reference, set[str]]:
    found = await asyncio.gather(*(store.get_nodes(ref.target, keys) for ref, keys in references.items()))
    return {ref: set(nodes) for ref, nodes in zip(references, found, strict=True)}


async def _current(store: RequestStore, node: NodeRef, references: Mapping[Reference, list[str]],
                   stored: Node | None) -> dict[Reference, list[Neighbour]]:
    """The relationships the given references replace (none when the node is new)."""
    if stored is None:
        return {}
    found = await asyncio.gather(*(store.neighbours([node], ref.rel_type, Direction.OUT, None, 0, None) for ref in references))
    return {ref: by_node.get(node, []) for ref, by_node in zip(references, found, strict=True)}


async def delete_node(info: Info, kind: NodeKind, key: str) -> DeletePayload:
    checked = changes.checked_key(kind, key, "key")
    counts = await apply(info, ChangeSet(delete_nodes=[NodeRef(kind.label, checked)]))
    return DeletePayload(id=strawberry.ID(to_global_id(kind.label, checked)), deleted=counts.nodes.deleted > 0, info=write_info(counts))


async def connect(info: Info, rel: RelKind, source: str, data: Any, values: Mapping[str, Any]) -> RelationshipPayload:
    row = changes.relationship(rel, source, data.from_, data.to, values, with_props=True)
    ends = await _endpoints(info, row)
    changes.missing_endpoints(row, ends)
    counts = await apply(info, ChangeSet(rels=[row]))
    return _relationship_payload(row, ends, counts)


async def disconnect(info: Info, rel: RelKind, source: str, data: Any, values: Mapping[str, Any]) -> RelationshipPayload:
    row = changes.relationship(rel, source, data.from_, data.to, values, with_props=False)
    ends = await _endpoints(info, row)
    counts = await apply(info, ChangeSet(delete_rels=[row]))
    return _relationship_payload(row, ends, counts)


async def _endpoints(info: Info, row: RelRow) -> dict[NodeRef, Node | None]:
    store = _store(info)
    if row.source.label == row.target.label:
        found = await store.get_nodes(row.source.label, sorted({row.source.key, row.target.key}))
        return {ref: found.get(ref.key) for ref in (row.source, row.target)}
    sources, targets = await asyncio.gather(store.get_nodes(row.source.label, [row.source.key]),
                                            store.get_nodes(row.target.label, [row.target.key]))
    return {row.source: sources.get(row.source.key), row.target: targets.get(row.target.key)}


def _relationship_payload(row: RelRow, ends: Mapping[NodeRef, Node | None], counts: ChangeCounts) -> RelationshipPayload:
    source, target = ends.get(row.source), ends.get(row.target)
    return RelationshipPayload(
        from_=wrap(source) if source else None, to=wrap(target) if target else None, info=write_info(counts)
    )


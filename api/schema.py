"""The root schema, composed from the parts (netbox style): each concern contributes query and
mutation classes, merged here into the root `Query` and `Mutation`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.printer import print_schema
from strawberry.tools import merge_types

from api.analytics import AnalyticsQuery
from api.entities.schema import EntityQuery
from api.entities.types import NODE_TYPES
from api.gaps import GapQuery
from api.matching import MatchingQuery
from api.mutations import EntityMutation
from api.network import NetworkQuery

QUERY_PARTS: tuple[type, ...] = (EntityQuery, NetworkQuery, AnalyticsQuery, GapQuery, MatchingQuery)
MUTATION_PARTS: tuple[type, ...] = (EntityMutation,)

ExtensionFactory = type[SchemaExtension] | SchemaExtension | Callable[[], SchemaExtension]


def build_schema(extensions: Sequence[Any] = ()) -> strawberry.Schema:
    """The schema; `extensions` are Strawberry extensions (classes or factories built from settings)."""
    query = merge_types("Query", QUERY_PARTS)
    mutation = merge_types("Mutation", MUTATION_PARTS) if MUTATION_PARTS else None
    return strawberry.Schema(query=query, mutation=mutation, types=list(NODE_TYPES.values()), extensions=list(extensions))


def schema_sdl() -> str:
    """The schema in SDL, as checked in at `schema.graphql`."""
    return print_schema(build_schema()) + "\n"

"""The root schema, composed from the parts (netbox style): each concern contributes query and
mutation classes, merged here into the root `Query` and `Mutation`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.printer import print_schema
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from api.analytics import AnalyticsQuery
from api.data_coverage import DataCoverageQuery
from api.entities.filters import SingleRelationHints
from api.entities.personal import PersonalArguments
from api.entities.schema import EntityQuery
from api.entities.types import NODE_TYPES
from api.execution import LeanExecutionContext, mark_plain_leaves
from api.gaps import GapQuery
from api.guards.extensions import is_internal_error
from api.indicators import IndicatorQuery
from api.matching import MatchingQuery
from api.mutations import EntityMutation
from api.network import NetworkQuery

QUERY_PARTS: tuple[type, ...] = (EntityQuery, NetworkQuery, AnalyticsQuery, GapQuery, MatchingQuery, DataCoverageQuery,
                                 IndicatorQuery)
MUTATION_PARTS: tuple[type, ...] = (EntityMutation,)

log = logging.getLogger(__name__)
ExtensionFactory = type[SchemaExtension] | SchemaExtension | Callable[[], SchemaExtension]


class ChanjiaoSchema(strawberry.Schema):
    """Strawberry logs every error at ERROR with its traceback. A caller's mistakes and refusals
    (bad arguments, FORBIDDEN, TIMEOUT, limits: what `is_internal_error` lets through unmasked)
    are logged at INFO in one line; only internal errors keep ERROR and the traceback."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if is_internal_error(error):
                StrawberryLogger.error(error, execution_context)
            else:
                code = (error.extensions or {}).get("code", "GRAPHQL_ERROR")
                log.info("refused (%s) at %s: %s", code, error.path or "the document", error.message)


class CachedNameConverter(NameConverter):
    """Strawberry camel-cases Python names again on every request (for each argument and input
    field it converts, per parent of a list); the answer never changes, so it is kept."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = super().apply_naming_config(name)
        return found


def build_schema(extensions: Sequence[Any] = ()) -> strawberry.Schema:
    """The schema; `extensions` are Strawberry extensions (classes or factories built from settings).
    Refusing personal data in the arguments of callers below editor is part of every schema."""
    query = merge_types("Query", QUERY_PARTS)
    mutation = merge_types("Mutation", MUTATION_PARTS) if MUTATION_PARTS else None
    schema = ChanjiaoSchema(
        query=query, mutation=mutation, types=list(NODE_TYPES.values()), extensions=[PersonalArguments, SingleRelationHints, *extensions],
        config=StrawberryConfig(name_converter=CachedNameConverter()), execution_context_class=LeanExecutionContext,
    )
    mark_plain_leaves(schema._schema)
    return schema


def schema_sdl() -> str:
    """The schema in SDL, as checked in at `schema.graphql`."""
    return print_schema(build_schema()) + "\n"

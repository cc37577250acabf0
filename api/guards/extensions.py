"""Strawberry extensions that bound what one operation may do and what its errors reveal.

`schema_extensions(settings)` gives them as factories, so each request gets fresh instances built
from the settings: depth, alias and token limits, the page-size and cost budget, suggestions
hidden from anonymous callers, internal errors masked, and introspection when disabled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from graphql import FragmentDefinitionNode, GraphQLError, get_operation_ast
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from api.auth import ANONYMOUS, Caller
from api.errors import UserInputError
from api.guards.cost import estimate
from chanjiao.settings import Settings

INTERNAL_ERROR_MESSAGE = "Internal server error (it has been logged)"
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")

ExtensionFactory = Callable[[], SchemaExtension]


def schema_extensions(settings: Settings) -> list[ExtensionFactory]:
    """The guardrails of `settings` as extension factories for `strawberry.Schema`."""
    factories: list[ExtensionFactory] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: QueryBudget(settings.max_cost, settings.max_page_size, settings.max_expensive_fields, settings.max_network_nodes),
        HideSuggestionsFromAnonymous,
        lambda: MaskErrors(should_mask_error=is_internal_error, error_message=INTERNAL_ERROR_MESSAGE),
    ]
    if not settings.introspection:
        factories.append(DisableIntrospection)
    return factories


def is_internal_error(error: GraphQLError) -> bool:
    """Errors GraphQL itself reports (syntax, validation, variables) and errors raised on purpose
    (`UserInputError`, `GraphQLError`: permissions, limits, bad input) keep their message;
    anything else is a bug or an outage whose details are for the logs, not the caller."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | UserInputError)


class QueryBudget(SchemaExtension):
    """Refuses, before execution, an operation with a page larger than the maximum (literal or
    variable), more expensive fields than the maximum, or an estimated cost above the maximum
    (see `api.guards.cost`)."""

    def __init__(self, max_cost: int, max_page_size: int, max_expensive_fields: int, max_network_nodes: int) -> None:
        self.max_cost = max_cost
        self.max_page_size = max_page_size
        self.max_expensive_fields = max_expensive_fields
        self.max_network_nodes = max_network_nodes
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        yield
        context = self.execution_context
        document = context.graphql_document
        if context.pre_execution_errors or document is None:
            return
        operation = get_operation_ast(document, context.operation_name)
        if operation is None:
            return  # graphql-core reports the missing or ambiguous operation
        fragments = {node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)}
        found = estimate(context.schema._schema, operation, fragments, context.variables, self.max_page_size, self.max_network_nodes)
        self.cost = found.cost
        if found.oversized:
            raise GraphQLError(
                f"page size above the maximum of {self.max_page_size}: {', '.join(found.oversized)}; "
                "page through the list with `after` instead",
                extensions={"code": "PAGE_SIZE_LIMIT_EXCEEDED", "maxPageSize": self.max_page_size},
            )
        if found.too_many_nodes:
            raise GraphQLError(
                f"network above the maximum of {self.max_network_nodes} nodes: {', '.join(found.too_many_nodes)}; "
                "ask for fewer nodes or a smaller depth",
                extensions={"code": "NETWORK_LIMIT_EXCEEDED", "maxNetworkNodes": self.max_network_nodes},
            )
        if len(found.expensive) > self.max_expensive_fields:
            raise GraphQLError(
                f"{len(found.expensive)} expensive fields (analyses, networks, paths, gaps, matches) in one operation; "
                f"at most {self.max_expensive_fields} may run: {', '.join(found.expensive[:10])}"
                f"{' …' if len(found.expensive) > 10 else ''}; send the others in separate requests",
                extensions={"code": "EXPENSIVE_FIELD_LIMIT_EXCEEDED", "expensiveFields": len(found.expensive),
                            "maxExpensiveFields": self.max_expensive_fields},
            )
        if found.cost > self.max_cost:
            raise GraphQLError(
                f"estimated query cost {found.cost} is above the maximum of {self.max_cost} (every field costs 1, "
                "and a field with `first: n` multiplies its selection's cost by n); ask for smaller pages or fewer nested lists",
                extensions={"code": "COST_LIMIT_EXCEEDED", "cost": found.cost, "maxCost": self.max_cost},
            )


class HideSuggestionsFromAnonymous(SchemaExtension):
    """"Did you mean …?" hints map the schema for whoever probes it; only known callers get them."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors and _caller(self.execution_context.context).anonymous:
            result.errors = [_without_suggestions(error) for error in errors]  # type: ignore[union-attr]


def _caller(context: Any) -> Caller:
    caller = getattr(context, "caller", None)
    return caller if isinstance(caller, Caller) else ANONYMOUS


def _without_suggestions(error: GraphQLError) -> GraphQLError:
    message = SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path, error.original_error, error.extensions)

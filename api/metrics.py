"""Prometheus metrics of the API: operations by name, type and outcome, their latency, and the
store round trips they cost. One registry per app, so several apps (tests) can share a process."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from strawberry.extensions import SchemaExtension

OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_OPERATION_NAMES = 200  # operation names come from clients: cap the label's cardinality
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
STORE_CALLS_HEADER = "X-Store-Calls"
STORE_CALL_DETAIL_HEADER = "X-Store-Call-Detail"


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.operations = Counter(
            "chanjiao_graphql_operations", "GraphQL operations handled",
            ["operation", "type", "outcome"], registry=self.registry,
        )
        self.latency = Histogram(
            "chanjiao_graphql_operation_seconds", "Time to handle a GraphQL operation",
            ["operation", "type"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.store_calls = Counter(
            "chanjiao_store_calls", "GraphStore calls made by GraphQL operations",
            ["operation", "method"], registry=self.registry,
        )
        self._names: set[str] = set()

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not OPERATION_NAME.match(name):
            return "invalid"
        if name not in self._names and len(self._names) >= MAX_OPERATION_NAMES:
            return "other"
        self._names.add(name)
        return name

    def observe(self, name: str | None, kind: str, failed: bool, seconds: float, calls: dict[str, int]) -> None:
        operation = self.operation_label(name)
        self.operations.labels(operation, kind, "error" if failed else "ok").inc()
        self.latency.labels(operation, kind).observe(seconds)
        for method, count in calls.items():
            self.store_calls.labels(operation, method).inc(count)


class OperationMetrics(SchemaExtension):
    """Times each operation and reports its store round trips (metrics and response headers)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        execution = self.execution_context
        context: Any = execution.context
        calls = dict(context.store.calls)
        failed = bool(execution.result and execution.result.errors) or bool(execution.pre_execution_errors)
        if context.metrics is not None:
            context.metrics.observe(execution.operation_name, _operation_type(execution), failed, elapsed, calls)
        if context.response is not None:
            context.response.headers[STORE_CALLS_HEADER] = str(sum(calls.values()))
            context.response.headers[STORE_CALL_DETAIL_HEADER] = ", ".join(f"{m}={n}" for m, n in sorted(calls.items()))


def _operation_type(execution: Any) -> str:
    try:
        return str(execution.operation_type.value)
    except (RuntimeError, AttributeError):  # the document did not parse
        return "unknown"

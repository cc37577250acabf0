"""ASGI middleware in front of the app: a request body limit (413), the caller's identity (401 for
credentials that do not check out) and a per-client rate limit (429 with `Retry-After`).

Refusals are JSON in the GraphQL response shape, so clients show them like any other error.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import ANONYMOUS, CALLER_STATE, AuthenticationError, Authenticator, Caller
from api.errors import error_body
from chanjiao.settings import Settings

MAX_TRACKED_CLIENTS = 10_000  # buckets kept; the least recently seen client is forgotten first
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})  # probes and scrapers poll on a schedule


async def refuse(send: Send, status: int, message: str, code: str, headers: dict[str, str] | None = None) -> None:
    body = error_body(message, code)
    extra = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (headers or {}).items()]
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra],
    })
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Reads at most `max_bytes` of a request body before the app sees it; more is refused with 413,
    whether the client declared the length or streamed the body in chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, "content-length")
        if declared is not None and not declared.isdigit():
            await refuse(send, 400, f"Content-Length {declared!r} is not a number of bytes", "BAD_REQUEST")
            return
        if declared is not None and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        body = await self._read(receive)
        if body is None:
            await self._too_large(send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app will see the disconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _too_large(self, send: Send) -> None:
        await refuse(send, 413, f"request body larger than the maximum of {self.max_bytes} bytes", "PAYLOAD_TOO_LARGE")


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class TokenBuckets:
    """One token bucket per client: `burst` requests at once, refilled at `per_second`."""

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client → (tokens, when)

    def take(self, client: str) -> float:
        """0 when the request may go ahead; otherwise the seconds until a token is back."""
        now = self.clock()
        tokens, then = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.per_second
        self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
        if len(self._buckets) > MAX_TRACKED_CLIENTS:
            self._buckets.popitem(last=False)
        return wait


class CallerGuard:
    """Authenticates every HTTP request, rate-limits all but the probes per client (the
    authenticated subject, else the client address) and leaves the caller in the scope's state.
    Failed authentication counts against the client address, so guessing keys is rate-limited too.
    WebSocket connections are refused: the API has no subscriptions, and a socket would bypass
    the body and rate limits."""

    def __init__(self, app: ASGIApp, settings: Settings, unlimited: frozenset[str] = UNLIMITED_PATHS) -> None:
        self.app = app
        self.authenticator = Authenticator(settings)
        self.unlimited = unlimited
        per_second = settings.rate_limit_per_minute / 60
        self.buckets = TokenBuckets(per_second, settings.rate_limit_burst) if per_second > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "WebSocket transport is not offered; use HTTP"})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        caller, failure = self._authenticate(scope)
        if await self._over_limit(scope, caller, send):
            return
        if failure is not None:
            description = failure.replace('"', "'").replace("\n", " ")
            challenge = f'Bearer error="invalid_token", error_description="{description}"'
            await refuse(send, 401, failure, "UNAUTHENTICATED", {"WWW-Authenticate": challenge})
            return
        scope.setdefault("state", {})[CALLER_STATE] = caller
        await self.app(scope, receive, send)

    def _authenticate(self, scope: Scope) -> tuple[Caller, str | None]:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        try:
            return self.authenticator.authenticate(headers), None
        except AuthenticationError as error:
            return ANONYMOUS, str(error)

    async def _over_limit(self, scope: Scope, caller: Caller, send: Send) -> bool:
        if self.buckets is None or scope["path"] in self.unlimited:
            return False
        wait = self.buckets.take(caller.subject if not caller.anonymous else f"ip:{_client_address(scope)}")
        if wait == 0:
            return False
        retry = max(1, math.ceil(wait))
        await refuse(send, 429, f"rate limit exceeded; retry in {retry} s", "RATE_LIMITED", {"Retry-After": str(retry)})
        return True


def _client_address(scope: Scope) -> str:
    """The peer address; behind a proxy, run uvicorn with `--forwarded-allow-ips` so this is the client's."""
    client: Any = scope.get("client")
    return str(client[0]) if client else "unknown"


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode("latin-1")
    for key, value in scope["headers"]:
        if key.lower() == wanted:
            return str(value.decode("latin-1")).strip()
    return None

"""A real server with auth configured: three API keys (reader, editor, admin; stored as sha256
digests) and HS256 JWTs, plus whatever limits a test sets. Keys and tokens are minted here."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import jwt

from api.app import create_app
from chanjiao.settings import Settings
from graph.store import GraphStore
from tests.api.conftest import Api, ServerThread, free_port

READER_KEY = "reader-key-2b7e151628aed2a6abf71588"
EDITOR_KEY = "editor-key-09cf4f3c762e71609b2b7e15"
ADMIN_KEY = "admin-key-abf7158809cf4f3c2b7e1516"
JWT_SECRET = "tests-only-hs256-secret-of-more-than-32-bytes"
AUDIENCE, ISSUER = "chanjiao-graph-tests", "https://login.example.org"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def settings(store_uri: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "CHANJIAO_STORE": store_uri,
        "CHANJIAO_API_KEYS": {
            digest(READER_KEY): "reader",
            digest(EDITOR_KEY): {"role": "editor", "name": "xuhui-office"},
            digest(ADMIN_KEY): "admin",
        },
        "CHANJIAO_JWT_ENABLED": True,
        "CHANJIAO_JWT_SECRET": JWT_SECRET,
        "CHANJIAO_JWT_AUDIENCE": AUDIENCE,
        "CHANJIAO_JWT_ISSUER": ISSUER,
        "CHANJIAO_JWT_LEEWAY": 0,
        "CHANJIAO_RATE_LIMIT": 0,  # tests of other things send many requests
    }
    return Settings.model_validate({**values, **overrides})


def token(role: str | list[str] | None = "editor", subject: str = "alice", expires_in: int = 86_400, audience: str = AUDIENCE,
          issuer: str = ISSUER, algorithm: str = "HS256", secret: str | None = JWT_SECRET) -> str:
    # Tokens in parametrize lists are minted at collection, so they must outlive a slow session
    # (one on a busy machine took more than the former ten minutes to reach them).
    now = int(time.time())
    claims: dict[str, Any] = {"sub": subject, "aud": audience, "iss": issuer, "iat": now, "exp": now + expires_in}
    if role is not None:
        claims["role"] = role
    return jwt.encode(claims, secret or "", algorithm=algorithm)  # "" is no key, for alg none


def key_header(key: str) -> dict[str, str]:
    return {"x-api-key": key}


def bearer(credential: str) -> dict[str, str]:
    return {"authorization": f"Bearer {credential}"}


READER, EDITOR, ADMIN = key_header(READER_KEY), key_header(EDITOR_KEY), key_header(ADMIN_KEY)


@contextmanager
def serve(store: GraphStore, store_uri: str, **overrides: Any) -> Iterator[Api]:
    """The API over `store` on a real uvicorn server, configured by `settings(...)`."""
    app = create_app(settings(store_uri, **overrides), store=store)
    with ServerThread(app, free_port()) as running, httpx.Client(base_url=running.url, timeout=30) as client:
        yield Api(client)


def errors(response: httpx.Response) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = response.json().get("errors", [])
    return found


def role_headers(role: str) -> dict[str, str]:
    """Credentials of a role by name ("anonymous", "reader key", "reader jwt", "editor key", "admin
    jwt"), minted when asked so that a token never expires during a long run."""
    minted: dict[str, dict[str, str] | None] = {
        "anonymous": {}, "reader key": READER, "reader jwt": None, "editor key": EDITOR, "admin jwt": None,
    }
    found = minted[role]
    return found if found is not None else bearer(token(role.split()[0]))

"""Guardrails of the public API (issue 4): limits on what one operation may ask for, on request
bodies and request rates, who may see what, and which errors keep their message. Every limit is
a `Settings` field."""

from __future__ import annotations

from fastapi import FastAPI

from api.guards.extensions import schema_extensions
from api.guards.middleware import BodySizeLimit, CallerGuard
from chanjiao.settings import Settings

__all__ = ["install_middleware", "schema_extensions"]


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """The caller guard (auth, rate limit) outermost, then the body limit."""
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(CallerGuard, settings=settings)

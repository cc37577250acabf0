"""What the API serves to browsers: the explorer and the product's GraphiQL, both built from web/
at install time (`make web`) and served from `Settings.web_dir`, never from a CDN; `/` leads to the
explorer; and CORS for browser apps on the origins `Settings.cors_origins` allows."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from chanjiao.settings import Settings

EXPLORER_PATH = "/explorer"
GRAPHIQL_PAGE = "graphiql.html"
EXPLORER_PAGE = "index.html"
CORS_METHODS = ("GET", "POST")
CORS_HEADERS = ("accept", "content-type", "authorization", "x-api-key")
CORS_EXPOSED = ("retry-after",)
CORS_MAX_AGE_SECONDS = 600


def not_built(web_dir: Path) -> str:
    return (
        f"The explorer and GraphiQL are not built: {web_dir} holds no {EXPLORER_PAGE}. "
        "Run `make web` (npm ci and vite build in web/), or set CHANJIAO_WEB_DIR to a built copy."
    )


def graphiql_page(web_dir: Path) -> HTMLResponse:
    """The product's GraphiQL page (its scripts under /explorer/assets), or 503 saying how to build it."""
    page = web_dir / GRAPHIQL_PAGE
    if not page.is_file():
        return HTMLResponse(f"<!doctype html><title>产教图谱 GraphQL</title><p>{escape(not_built(web_dir))}</p>", status_code=503)
    return HTMLResponse(page.read_text(encoding="utf-8"))


class BuiltAssets(StaticFiles):
    """The built web/ folder; until it is built, every path answers 503 with how to build it."""

    def __init__(self, web_dir: Path) -> None:
        super().__init__(directory=web_dir, html=True, check_dir=False)
        self.web_dir = web_dir

    async def check_config(self) -> None:
        if self.web_dir.is_dir():  # a missing folder is answered in get_response, not raised
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not (self.web_dir / EXPLORER_PAGE).is_file():
            return PlainTextResponse(not_built(self.web_dir), status_code=503)
        return await super().get_response(path, scope)


def install_pages(app: FastAPI, settings: Settings) -> None:
    async def to_explorer() -> RedirectResponse:
        return RedirectResponse(f"{EXPLORER_PATH}/")

    app.add_api_route("/", to_explorer, methods=["GET"], include_in_schema=False)
    app.mount(EXPLORER_PATH, BuiltAssets(settings.web_dir), name="explorer")


def origin_pattern(origins: list[str]) -> str:
    """One regular expression for the allowed origins; `:*` stands for any port."""
    alternatives = (re.escape(origin).replace(r":\*", r":\d{1,5}") for origin in origins)
    return "^(?:" + "|".join(alternatives) + ")$"


class Cors(CORSMiddleware):
    """Starlette's CORS, except that an origin not allowed gets no CORS headers at all (Starlette
    would still name the allowed methods and headers, and the exposed ones)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if not self.is_allowed_origin(request_headers["origin"]):
            for name in [name for name in response.headers if name.startswith("access-control-")]:
                del response.headers[name]
        return response


    async def simple_response(self, scope: Scope, receive: Receive, send: Send, request_headers: Headers) -> None:
        """Responses to other origins carry no CORS headers either (Starlette would expose headers)."""
        origin = request_headers.get("origin")
        if origin is None or not self.is_allowed_origin(origin):
            await self.app(scope, receive, send)
            return
        await super().simple_response(scope, receive, send, request_headers)


def install_cors(app: FastAPI, settings: Settings) -> None:
    """CORS in front of everything else, so that refusals (401, 413, 429) reach the calling page
    too; no origins, no middleware."""
    origins = settings.allowed_cors_origins
    if not origins:
        return
    any_origin = "*" in origins
    app.add_middleware(
        Cors,
        allow_origins=["*"] if any_origin else [],
        allow_origin_regex=None if any_origin else origin_pattern(origins),
        allow_methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        expose_headers=CORS_EXPOSED,
        max_age=CORS_MAX_AGE_SECONDS,
    )

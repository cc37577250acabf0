"""What the API serves browsers, over a real server: `/` leads to the explorer, the explorer and
GraphiQL come from the built web/ folder with no address outside the server, and CORS answers
the allowed origins only (preflight included); a server without the build says how to build it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from api.app import create_app
from chanjiao.settings import DEFAULT_WEB_DIR, Settings
from tests.api.conftest import ServerThread, free_port

PREFLIGHT = {"access-control-request-method": "POST", "access-control-request-headers": "content-type, x-api-key"}
COUNT = {"query": "{ districts { totalCount } }"}
ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')


def serve(tmp_path: Path, **environment: str) -> ServerThread:
    settings = Settings.model_validate({"CHANJIAO_STORE": f"embedded:{tmp_path / 'store'}", **environment})
    return ServerThread(create_app(settings), free_port())


@pytest.fixture
def client(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """A client of a server with the settings the test's `environment` marker-free param gives."""
    environment: dict[str, str] = getattr(request, "param", {})
    with serve(tmp_path, **environment) as server, httpx.Client(base_url=server.url, timeout=30) as opened:
        yield opened


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name.startswith("access-control-")}


def test_root_leads_to_the_explorer(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 307 and response.headers["location"] == "/explorer/"


@pytest.mark.parametrize(("path", "title"), [("/explorer/", "产教图谱"), ("/graphql", "产教图谱 GraphQL")])
def test_pages_load_everything_from_this_server(client: httpx.Client, path: str, title: str) -> None:
    if not (DEFAULT_WEB_DIR / "index.html").is_file():
        pytest.fail(f"the explorer is not built ({DEFAULT_WEB_DIR}): run `make web`")
    page = client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f"<title>{title}</title>" in page.text
    assets = ASSET.findall(page.text)
    assert assets and all(asset.startswith("/explorer/assets/") for asset in assets), assets
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 0, asset
        assert not re.search(r"(unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.(googleapis|gstatic)\.com)", served.text), f"{asset} names a CDN"


@pytest.mark.parametrize("client", [{"CHANJIAO_WEB_DIR": "/nonexistent/chanjiao-web"}], indirect=True)
def test_unbuilt_pages_say_how_to_build_them(client: httpx.Client) -> None:
    for path in ("/explorer/", "/graphql"):
        response = client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 503 and "make web" in response.text, path


def test_development_allows_local_origins_on_any_port(client: httpx.Client) -> None:
    preflight = client.options("/graphql", headers={"origin": "http://localhost:5173", **PREFLIGHT})
    assert preflight.status_code == 200
    headers = cors_headers(preflight)
    assert headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "POST" in headers["access-control-allow-methods"]
    assert {"content-type", "x-api-key"} <= {name.strip() for name in headers["access-control-allow-headers"].lower().split(",")}
    answered = client.post("/graphql", json=COUNT, headers={"origin": "http://127.0.0.1:3000"})
    assert answered.status_code == 200 and answered.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example:5173", "https://localhost:5173", "null"])
def test_other_origins_get_no_cors_headers(client: httpx.Client, origin: str) -> None:
    preflight = client.options("/graphql", headers={"origin": origin, **PREFLIGHT})
    assert preflight.status_code >= 400 and cors_headers(preflight) == {}
    answered = client.post("/graphql", json=COUNT, headers={"origin": origin})
    assert answered.status_code == 200 and cors_headers(answered) == {}


@pytest.mark.parametrize("client", [{"CHANJIAO_ENV": "production"}], indirect=True)
def test_production_allows_no_origin_by_default(client: httpx.Client) -> None:
    preflight = client.options("/graphql", headers={"origin": "http://localhost:5173", **PREFLIGHT})
    assert preflight.status_code == 405 and cors_headers(preflight) == {}


@pytest.mark.parametrize("client", [{"CHANJIAO_ENV": "production", "CHANJIAO_CORS_ORIGINS": "https://portal.example.gov.cn, http://localhost:*"}], indirect=True)
def test_production_allows_the_configured_origins(client: httpx.Client) -> None:
    allowed = client.options("/graphql", headers={"origin": "https://portal.example.gov.cn", **PREFLIGHT})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "https://portal.example.gov.cn"
    assert client.options("/graphql", headers={"origin": "http://localhost:8080", **PREFLIGHT}).status_code == 200
    refused = client.options("/graphql", headers={"origin": "https://other.example.gov.cn", **PREFLIGHT})
    assert refused.status_code == 400 and cors_headers(refused) == {}


@pytest.mark.parametrize("client", [{"CHANJIAO_CORS_ORIGINS": "*"}], indirect=True)
def test_any_origin_when_asked(client: httpx.Client) -> None:
    preflight = client.options("/graphql", headers={"origin": "https://anyone.example", **PREFLIGHT})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("client", [{"CHANJIAO_RATE_LIMIT": "1", "CHANJIAO_RATE_BURST": "1"}], indirect=True)
def test_refusals_reach_the_calling_page(client: httpx.Client) -> None:
    """CORS sits outside the guards: a page on an allowed origin can read its 429 and Retry-After."""
    origin = {"origin": "http://localhost:5173"}
    client.post("/graphql", json=COUNT, headers=origin)
    limited = client.post("/graphql", json=COUNT, headers=origin)
    assert limited.status_code == 429
    assert limited.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "retry-after" in limited.headers["access-control-expose-headers"].lower()


@pytest.mark.parametrize("given", ["https://portal.example.gov.cn/", "portal.example.gov.cn", "https://x.example/path", "ftp://x.example", "https://*.example"])
def test_origins_that_are_not_origins_are_refused(given: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings.model_validate({"CHANJIAO_CORS_ORIGINS": given})
    message: Any = str(raised.value)
    assert "CHANJIAO_CORS_ORIGINS" in message and given.split(",")[0] in message

"""The explorer in a real headless Chromium (Debian's, driven by Playwright; no browser is
downloaded), against a real uvicorn serving the bundled Shanghai dataset from an embedded store.

Every request a page makes is recorded; any that would leave 127.0.0.1 is aborted (the network
is offline for the page) and fails the test. Screenshots go to var/screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from api.app import create_app
from chanjiao.commands.serve import load_demo_dataset
from chanjiao.settings import DEFAULT_WEB_DIR, Settings
from tests.api.conftest import ServerThread, free_port

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# As the machine's notes ask: without the background-networking flags Chromium calls Google's hosts
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
LOCAL_SCHEMES = ("data", "blob", "about")


@pytest.fixture(scope="session")
def web_dir() -> Path:
    if not (DEFAULT_WEB_DIR / "index.html").is_file():
        pytest.fail(f"the explorer is not built ({DEFAULT_WEB_DIR} holds no index.html): run `make web`")
    return DEFAULT_WEB_DIR


@pytest.fixture(scope="session")
def demo_url(web_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled dataset in a fresh embedded store, served as `chanjiao demo` serves it."""
    settings = Settings.model_validate({"CHANJIAO_STORE": f"embedded:{tmp_path_factory.mktemp('web-store') / 'store'}", "CHANJIAO_WEB_DIR": str(web_dir)})
    load_demo_dataset(settings)
    with ServerThread(create_app(settings), free_port()) as server:
        yield server.url


@pytest.fixture(scope="session")
def api_client(demo_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_url, timeout=60) as client:
        yield client


def api_data(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Requests:
    """Every URL the page asked for, and those it was refused for leaving this machine."""

    seen: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1"


@pytest.fixture
def requests() -> Requests:
    return Requests()


@pytest.fixture
def page(browser: Any, requests: Requests) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000}, accept_downloads=True)

    def offline(route: Any) -> None:
        url = route.request.url
        requests.seen.append(url)
        if is_local(url):
            route.continue_()
        else:
            requests.outside.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", offline)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()
    assert requests.seen, "the page made no request at all: the recorder is not recording"
    assert not requests.outside, f"requests left 127.0.0.1: {requests.outside}"


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"
    return path


CANVAS_STATISTICS = """(selector) => {
  const canvas = document.querySelector(selector + " canvas");
  if (!canvas) return null;
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0, squares = 0, inked = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    const luminance = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    sum += luminance; squares += luminance * luminance;
    if (data[i + 3] > 0 && luminance < 250) inked += 1;
    if (i % 16 === 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  const pixels = data.length / 4, mean = sum / pixels;
  return { pixels, variance: squares / pixels - mean * mean, inked: inked / pixels, colours: colours.size };
}"""


def assert_drawn(page: Any, selector: str) -> dict[str, float]:
    """The chart's canvas holds a drawing: pixels of many colours, not one flat fill."""
    page.wait_for_selector(f"{selector} canvas")
    page.wait_for_timeout(400)  # the first animation frames
    statistics: dict[str, float] | None = page.evaluate(CANVAS_STATISTICS, selector)
    assert statistics is not None, f"no canvas in {selector}"
    assert statistics["variance"] > 50 and statistics["inked"] > 0.005 and statistics["colours"] > 8, (selector, statistics)
    return statistics

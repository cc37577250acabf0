"""The package as a user gets it: the wheel built from this tree, installed into a fresh venv
outside the repository, runs `chanjiao demo` and `chanjiao neo4j start|stop` from a folder
outside it, with the bundled dataset and the Neo4j launcher it carries. Also: the packages
pyproject.toml lists are the tree's, and the CLI's default output folders are under the data
directory, never the current folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from chanjiao.neo4j_local import free_port

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
PACKAGE_ROOTS = ("graph", "loaders", "queries", "reports", "api", "chanjiao")
BUNDLED_SCHOOLS = 70  # data/shanghai/schools.csv
DEMO_SECONDS = 180.0
BUILD_LEFTOVERS = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "var")

pytestmark = pytest.mark.wheel


def run(command: list[str | Path], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def outside_env() -> dict[str, str]:
    """The environment without anything pointing back into the repository."""
    return {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The `bin/` of a fresh venv holding only the wheel (and its dependencies)."""
    work = tmp_path_factory.mktemp("wheel")
    # built from a copy: an in-tree build would write into the repository and could pick up stale files of build/
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*BUILD_LEFTOVERS))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", work / "dist", source], work, 600)
    (wheel,) = (work / "dist").glob("chanjiao_graph-*.whl")
    run([sys.executable, "-m", "venv", work / "venv"], work, 300)
    bin_dir = work / "venv" / "bin"
    run([bin_dir / "pip", "install", "--quiet", wheel], work, 900, outside_env())
    yield bin_dir


def test_the_listed_packages_are_the_tree(tmp_path: Path) -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for root in PACKAGE_ROOTS for init in (ROOT / root).rglob("__init__.py")
    }
    bundled = {"loaders.bundled_data", *(f"loaders.bundled_data.{part.name}" for part in (ROOT / "data").iterdir() if part.is_dir())}
    assert listed == found | bundled


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    code = "import chanjiao, loaders.bundled as b; print(chanjiao.__file__); print(b.DATA_DIR)"
    package, data = run([installed / "python", "-c", code], tmp_path, 60, outside_env()).split()
    assert "site-packages" in package and not Path(package).is_relative_to(ROOT)
    assert Path(data).name == "bundled_data" and (Path(data) / "shanghai" / "schools.csv").is_file()


def _answer(port: int, query: str) -> dict[str, object]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": query}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, object] = json.loads(response.read())
        return answer


def _wait_for_health(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + DEMO_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"chanjiao demo exited {server.returncode}:\n{log.read_text(encoding='utf-8')}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"chanjiao demo did not answer /healthz in {DEMO_SECONDS:g} s:\n{log.read_text(encoding='utf-8')}")


def test_the_installed_demo_serves_the_bundled_dataset(installed: Path, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "demo.log"
    command = [str(installed / "chanjiao"), "demo", "--store", f"embedded:{tmp_path / 'store'}", "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=tmp_path, env=outside_env(), stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_health(port, server, log)
        answer = _answer(port, "{ schools(first: 1) { totalCount } }")
        assert answer == {"data": {"schools": {"totalCount": BUNDLED_SCHOOLS}}}
    finally:
        server.terminate()
        server.wait(60)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["demo.log", "store"]


def test_the_installed_cli_starts_and_stops_neo4j(installed: Path, tmp_path: Path) -> None:
    if shutil.which("java") is None or shutil.which("mvn") is None:
        if IN_CI:
            pytest.fail("Neo4j needs java and mvn under CI=true")
        pytest.skip("Neo4j needs java and mvn")
    package = Path(run([installed / "python", "-c", "import chanjiao.neo4j_local as n; print(n.PACKAGE_DIR)"],
                       tmp_path, 60, outside_env()).strip())
    shipped = sorted(path.name for path in package.iterdir() if path.name != "__pycache__")
    assert shipped == ["Launcher.java", "__init__.py", "pom.xml"]
    data_dir, cwd = tmp_path / "neo4j", tmp_path / "elsewhere"
    cwd.mkdir()
    chanjiao, port = installed / "chanjiao", free_port()
    try:
        started = run([chanjiao, "neo4j", "start", "--data-dir", data_dir, "--port", str(port), "--heap", "512m"],
                      cwd, 300, outside_env())
        assert f"Neo4j is ready at bolt://127.0.0.1:{port}" in started
    finally:
        stopped = run([chanjiao, "neo4j", "stop", "--data-dir", data_dir], cwd, 120, outside_env())
    assert stopped.strip() == "Neo4j stopped"
    assert sorted(path.name for path in package.iterdir() if path.name != "__pycache__") == shipped
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize(("command", "made"), [(["template"], "templates"), (["load", "bad/schools.csv"], "rejects")])
def test_default_output_folders_are_under_the_data_directory(command: list[str], made: str, tmp_path: Path) -> None:
    """`chanjiao template` and `chanjiao load` write their folders under ~/.local/share/chanjiao
    (here a fresh home), never into the folder they run from."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    (cwd / "bad").mkdir(parents=True)
    (cwd / "bad" / "schools.csv").write_text("code,name,level\n123,too short a code,undergraduate\n", encoding="utf-8")
    env = {**os.environ, "HOME": str(home), "CHANJIAO_STORE": f"embedded:{tmp_path / 'store'}"}
    subprocess.run([str(Path(sys.executable).parent / "chanjiao"), *command], cwd=cwd, env=env, capture_output=True,
                   timeout=300, check=False)
    assert [path.name for path in cwd.iterdir()] == ["bad"]
    assert any((home / ".local" / "share" / "chanjiao" / made).iterdir())

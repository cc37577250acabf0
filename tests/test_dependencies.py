"""Dependencies: every third-party module the code imports is declared in pyproject.toml (runtime
code's in the runtime dependencies, tests' and benchmarks' there or in the test extra); nothing is
declared that nothing uses; and the lock files pin each declared distribution inside its range."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_PACKAGES = sorted({name.split(".")[0] for name in PROJECT["tool"]["setuptools"]["packages"]})
ALL_PACKAGES = PROJECT["tool"]["mypy"]["packages"]  # runtime code, tests and benchmarks
RUNTIME = [Requirement(text) for text in PROJECT["project"]["dependencies"]]
TEST = [Requirement(text) for text in PROJECT["project"]["optional-dependencies"]["test"]]

# Declared distributions that nothing imports by name, and why they are needed all the same.
USED_WITHOUT_IMPORT = {
    "neo4j-rust-ext": "installs the neo4j driver's Rust codec in place of the Python one",
    "defusedxml": "openpyxl parses workbooks with it when it is installed (tests/test_loaders_cli.py)",
    "cryptography": "PyJWT verifies RS*/PS*/ES*/EdDSA tokens with it (tests/api/test_jwt_keys.py)",
    "pytest-timeout": "a pytest plugin (--timeout in pytest's addopts)",
    "ruff": "a command in `make test`",
    "mypy": "a command in `make test`",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def third_party_modules(packages: Iterable[str]) -> dict[str, set[str]]:
    """Top-level modules imported from outside the project and the standard library → the files
    importing them."""
    local = set(ALL_PACKAGES)
    found: dict[str, set[str]] = {}
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            for module in _imported(ast.parse(path.read_text(encoding="utf-8"))):
                top = module.split(".")[0]
                if top not in local and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _imported(tree: ast.AST) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def undeclared(packages: Iterable[str], declared: list[Requirement]) -> dict[str, str]:
    """Imported modules whose distribution is not among `declared` → where they are imported."""
    names = {canonical(requirement.name) for requirement in declared}
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module, files in third_party_modules(packages).items():
        providers = {canonical(name) for name in distributions.get(module, [])}
        if not providers & names:
            missing[module] = f"{sorted(providers) or 'not installed'}, imported by {sorted(files)[:3]}"
    return missing


def locked(lock_file: str, here_only: bool = False) -> dict[str, str]:
    """Distribution → pinned version in one of the exported lock files (`here_only`: those whose
    environment marker holds on this machine)."""
    text = (ROOT / "requirements" / lock_file).read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;]+)(?: ; ([^\\\n]+))?", text, re.M)
    return {
        canonical(name): version
        for name, version, marker in pins
        if not (here_only and marker and not Marker(marker.strip()).evaluate())
    }


def test_every_module_the_runtime_code_imports_is_a_runtime_dependency() -> None:
    assert undeclared(RUNTIME_PACKAGES, RUNTIME) == {}


def test_every_module_tests_and_benchmarks_import_is_declared() -> None:
    assert undeclared(ALL_PACKAGES, RUNTIME + TEST) == {}


def test_every_declared_distribution_is_imported_or_has_a_reason() -> None:
    distributions = importlib.metadata.packages_distributions()
    imported = {
        canonical(name) for module in third_party_modules(ALL_PACKAGES) for name in distributions.get(module, [])
    }
    unused = {canonical(requirement.name) for requirement in RUNTIME + TEST} - imported - set(USED_WITHOUT_IMPORT)
    assert unused == set()


def test_test_only_distributions_are_not_runtime_dependencies() -> None:
    runtime_only = third_party_modules(RUNTIME_PACKAGES)
    distributions = importlib.metadata.packages_distributions()
    runtime_imported = {canonical(name) for module in runtime_only for name in distributions.get(module, [])}
    misplaced = {
        canonical(requirement.name) for requirement in RUNTIME
    } - runtime_imported - set(USED_WITHOUT_IMPORT)
    assert misplaced == set()


def test_the_lock_files_pin_every_declared_distribution_inside_its_range() -> None:
    for lock_file, declared in (("runtime.txt", RUNTIME), ("test.txt", RUNTIME + TEST)):
        pins = locked(lock_file)
        for requirement in declared:
            version = pins.get(canonical(requirement.name))
            assert version is not None, f"{requirement.name} is not pinned in requirements/{lock_file}"
            assert requirement.specifier.contains(version), f"{lock_file}: {requirement.name}=={version}"


def test_the_lock_files_agree_with_uv_lock_and_each_other() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    uv_pins = {canonical(package["name"]): package["version"] for package in lock["package"] if "version" in package}
    runtime, test = locked("runtime.txt"), locked("test.txt")
    assert runtime.items() <= test.items()
    assert {name: uv_pins.get(name) for name in test} == test


def test_the_environment_runs_the_locked_releases() -> None:
    installed = {canonical(dist.metadata["Name"]): dist.version for dist in importlib.metadata.distributions()}
    differing = {name: (version, installed.get(name)) for name, version in locked("test.txt", here_only=True).items()}
    assert {name: pair for name, pair in differing.items() if pair[0] != pair[1]} == {}

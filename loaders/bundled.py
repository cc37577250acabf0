"""Where the bundled dataset is (`data/` of the repository: `shanghai/` the demo ecosystem,
`plan/` and `reference/` the curated and real tables behind it, `samples/` official open data in
its publishers' layouts; provenance in `data/README.md`).

A wheel carries it as package data, `loaders/bundled_data/` (pyproject.toml maps `data/` there),
so an installed `chanjiao demo` or `chanjiao generate` finds it without the repository; a
checkout, editable installs included, reads `data/` itself."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "bundled_data"
_CHECKOUT = Path(__file__).resolve().parent.parent / "data"

DATA_DIR = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
SHANGHAI_DIR = DATA_DIR / "shanghai"
REFERENCE_DIR = DATA_DIR / "reference"
PLAN_DIR = DATA_DIR / "plan"

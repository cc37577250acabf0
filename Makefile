# The README's two commands: `make demo` (install, load the bundled dataset, serve it) and
# `make test` (install, lint, type-check, run every test on both stores).
# Both install the exact, hash-checked releases of the lock (requirements/*.txt, exported from
# uv.lock), then the project itself, editable, without resolving anything again.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9

.PHONY: demo test install lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Runtime releases and the project: enough for `make demo`.
$(VENV)/runtime.installed: $(BIN)/python requirements/runtime.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/runtime.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

# The test extra on top: `make test` (and `make install`).
$(VENV)/test.installed: $(VENV)/runtime.installed requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	$(BIN)/pip check
	touch $@

install: $(VENV)/test.installed

demo: $(VENV)/runtime.installed
	$(BIN)/chanjiao demo

test: $(VENV)/test.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# After changing dependencies in pyproject.toml: resolve again and export both lock files.
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv lock
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev --format requirements-txt -o requirements/runtime.txt
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev --extra test --format requirements-txt -o requirements/test.txt

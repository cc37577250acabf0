# The README's two commands: `make demo` (install, load the bundled dataset, serve it) and
# `make test` (install, lint, type-check, run every test on both stores).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install

$(BIN)/chanjiao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/chanjiao

install: $(BIN)/chanjiao

demo: install
	$(BIN)/chanjiao demo

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# The README's two commands: `make demo` (install, build the explorer, load the bundled dataset,
# serve it) and `make test` (install, build the explorer, install the test browser, lint,
# type-check, run every test on both stores).
# Both install the exact, hash-checked releases of the lock (requirements/*.txt, exported from
# uv.lock), then the project itself, editable, without resolving anything again.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
# The explorer and GraphiQL (web/): npm packages from the committed lock, built by Vite into
# web/dist, which the API serves; rebuilt only when a source, the lock or the config changes
WEB := web
WEB_BUILT := $(WEB)/dist/index.html
WEB_INSTALLED := $(WEB)/node_modules/.package-lock.json
WEB_SOURCES := $(shell find $(WEB)/src -type f) $(WEB)/index.html $(WEB)/graphiql.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json
# The browser tests drive Debian's Chromium (never a downloaded one) with CJK fonts; CI starts bare,
# as root, so they are installed when missing (waiting up to 5 minutes for another apt's lock)
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk
APT := apt-get -o DPkg::Lock::Timeout=300 -qq
# The annual report's PDF sets Chinese in Debian's fonts-noto-cjk; its tests render the PDF with
# poppler-utils (pdfinfo, pdftoppm, pdftotext): installed the same way when missing
REPORT_PACKAGES := fonts-noto-cjk poppler-utils

.PHONY: demo test install lock web browser report-tools fonts

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

$(WEB_INSTALLED): $(WEB)/package-lock.json $(WEB)/package.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

$(WEB_BUILT): $(WEB_INSTALLED) $(WEB_SOURCES)
	cd $(WEB) && npm run build
	touch $@

web: $(WEB_BUILT)

browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && dpkg -s fonts-noto-cjk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(APT) update && DEBIAN_FRONTEND=noninteractive $(APT) install -y --no-install-recommends $(BROWSER_PACKAGES); \
	else echo "the browser tests need Debian's $(BROWSER_PACKAGES): run 'sudo apt-get install $(BROWSER_PACKAGES)'" >&2; exit 1; fi

report-tools:
	@if dpkg -s $(REPORT_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(APT) update && DEBIAN_FRONTEND=noninteractive $(APT) install -y --no-install-recommends $(REPORT_PACKAGES); \
	else echo "the report's PDF and its tests need Debian's $(REPORT_PACKAGES): run 'sudo apt-get install $(REPORT_PACKAGES)'" >&2; exit 1; fi

# The demo's PDF report draws Chinese with Noto CJK; without it (and without root to install it)
# everything else still works and the PDF download says what to install.
fonts:
	@if dpkg -s fonts-noto-cjk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(APT) update && DEBIAN_FRONTEND=noninteractive $(APT) install -y --no-install-recommends fonts-noto-cjk; \
	else echo "the PDF report needs Debian's fonts-noto-cjk: run 'sudo apt-get install fonts-noto-cjk'" >&2; fi

demo: $(VENV)/runtime.installed web fonts
	$(BIN)/chanjiao demo

test: $(VENV)/test.installed web browser report-tools
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# After changing dependencies in pyproject.toml: resolve again and export both lock files.
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv lock
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev --format requirements-txt -o requirements/runtime.txt
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev --extra test --format requirements-txt -o requirements/test.txt

# The README's two commands: `make demo` (install, build the explorer, load the bundled dataset,
# serve it) and `make test` (install, build the explorer, install the test browser, lint,
# type-check, run every test on both stores).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
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

.PHONY: demo test install web browser

$(BIN)/chanjiao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/chanjiao

install: $(BIN)/chanjiao

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

demo: install web
	$(BIN)/chanjiao demo

test: install web browser
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

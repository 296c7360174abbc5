# Attune: `make run` serves it with demo data, `make test` runs the suite.
# Both set up everything they need on a fresh clone and reuse it afterwards.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

export HOST PORT

.PHONY: run test lint fmt install frontend clean messages

install: $(VENV)/.installed

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Attune needs Python 3.11 (set PYTHON=...)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

# Builds the live apps when the frontend has sources (npm, with its lockfile): type-checks them, bundles each
# app into frontend/dist/live/<app>.js and .css, and prints their gzipped sizes (the participant app's budget
# is 60 KB; over it the build fails).
frontend:
	@if [ -f frontend/package.json ]; then \
		if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.installed ]; then \
			(cd frontend && npm ci --no-audit --no-fund && touch node_modules/.installed); fi; \
		(cd frontend && npm run --silent build); \
	fi

run: install frontend
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v 0
	@# The demo's first e-mails (printed on the console) link to where this server will be: serve's PUBLIC_BASE_URL.
	@PUBLIC_BASE_URL="$$($(PY) manage.py serve --print-base-url)" $(PY) manage.py load_demo
	@$(PY) manage.py serve

# The browser tests (tests/e2e) drive Debian's Chromium: installed here when missing (as root, as on CI).
CHROMIUM := /usr/bin/chromium
# tests/platform/test_container.py builds platform/Dockerfile with podman (runc; debootstrap makes stand-in base
# images where none can be pulled): installed here when missing, as Chromium is.
CONTAINER_TOOLS := podman runc debootstrap slirp4netns

test: install frontend
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing ($(CHROMIUM)): the browser tests are skipped. Install it: apt-get install chromium"; fi; \
	fi
	@if ! command -v podman >/dev/null || [ ! -x /usr/sbin/runc ] || [ ! -x /usr/sbin/debootstrap ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CONTAINER_TOOLS) >/dev/null; \
		else echo "podman is missing: the container test is skipped. Install it: apt-get install $(CONTAINER_TOOLS)"; fi; \
	fi
	@# gettext's tools: tests/config/test_catalogs.py runs makemessages and msgfmt over the catalogs.
	@if ! command -v xgettext >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else echo "gettext is missing: the catalog tests fail. Install it: apt-get install gettext"; fi; \
	fi
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

# After changing any text: collects every marked text into locale/*/LC_MESSAGES/*.po (README, "Languages"), then
# compiles the catalogs (the .mo files are committed, so a deploy needs no gettext tools).
messages: install
	$(PY) manage.py makemessages --all
	$(PY) manage.py compilemessages --ignore .venv --ignore node_modules --ignore var

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var frontend/node_modules frontend/dist

# Fan-out benchmark (docs/performance.md): N couples (default 1000) on a real server against bare broadcasts,
# Daphne and uvicorn, interleaved; needs PostgreSQL and Redis; writes bench-results.json and prints a table.
.PHONY: bench
bench: install
	@mkdir -p var
	$(PY) -m bench.run

# A phone's first screen on a slow venue network (bench/phone.py, docs/performance.md): the participant app in a
# throttled Chromium against make run's server and the production settings; the figures as JSON. Part of make bench;
# needs PostgreSQL and Redis (for the production settings), node and Chromium.
.PHONY: bench-phone
bench-phone: install frontend
	@mkdir -p var
	$(PY) -m bench.phone

# Faults on the production topology (bench/chaos.py, docs/operations.md): two uvicorn processes behind nginx,
# PostgreSQL, a Redis of its own; 20 couples and a facilitator at work; SIGKILL each process, Redis down 60 s, a
# lossy proxy, the fuzz. Prints one table; fails on any loss, double application, abnormal close or 5xx.
.PHONY: chaos
chaos: install frontend
	@mkdir -p var
	$(PY) -m bench.chaos

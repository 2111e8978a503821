# Local Development Atlas — every target sets up what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
DB     ?= demo.duckdb

.PHONY: setup demo serve test test-fast browser postgres lint lock bench acceptance clean

## The exact versions of requirements.lock (what CI tested), then the project itself.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

## Build the demo workspace into demo.duckdb and open the dashboard on it.
demo: setup
	$(BIN)/ldatlas demo --db $(DB) --port $(PORT)

serve: setup
	$(BIN)/ldatlas serve --db $(DB) --port $(PORT)

## Debian's chromium for the browser tests (root installs it with apt-get when missing).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## Debian's postgresql for the DuckLake tests: its programs only; the tests start their own server on 127.0.0.1.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the DuckLake tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

## The whole test suite (unit, ETL, DuckLake on PostgreSQL, dashboard AppTest, browser).
test: setup browser postgres
	$(BIN)/python -m pytest

## Everything but the browser and the slow tests (each over ~5 s): the quick loop while working.
test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

## Style, imports, types, and the workspace key reference in docs/workspace.md.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m etl.workspace.reference --check

## Pin the versions pyproject.toml allows today into requirements.lock (needs the package index).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[dev]"
	{ echo "# Exact versions CI tested: \`make\` installs these, then the project itself (pip install --no-deps -e .)."; \
	  echo "# Regenerate with \`make lock\` after changing dependencies in pyproject.toml."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v -i "^local.development.atlas"; } > requirements.lock
	rm -rf .lock-venv

## Speed figures beside naive baselines (needs ../shared/data, or LDATLAS_SHARED_DATA).
bench: setup browser postgres
	$(BIN)/python -m etl.tools.bench
	$(BIN)/python -m etl.tools.table_bench
	$(BIN)/python -m etl.tools.dashboard_bench
	$(BIN)/python -m etl.tools.page_bench
	$(BIN)/python -m etl.tools.scale_bench
	$(BIN)/python -m etl.tools.large_map_bench

## Loads real public data beside the project and checks the results.
acceptance: setup
	$(BIN)/python tests/acceptance/run.py

clean:
	rm -rf $(VENV) .pytest_cache artifacts *.duckdb

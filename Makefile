# Local Development Atlas — every target sets up what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
DB     ?= demo.duckdb

.PHONY: setup demo serve test test-fast browser lint bench acceptance clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
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

## The whole test suite (unit, ETL, dashboard AppTest, browser).
test: setup browser
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: setup
	$(BIN)/ruff check .

## Speed figures beside naive baselines (needs ../shared/data, or LDATLAS_SHARED_DATA).
bench: setup
	$(BIN)/python -m etl.tools.bench
	$(BIN)/python -m etl.tools.dashboard_bench

## Loads real public data beside the project and checks the results.
acceptance: setup
	$(BIN)/python tests/acceptance/run.py

clean:
	rm -rf $(VENV) .pytest_cache artifacts *.duckdb

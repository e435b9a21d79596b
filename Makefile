# perp-track: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: install run serve migrate demo test test-fast lint format bench clean postgres

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The embedded SQLite database under ./var, migrated, with the demo data, served on $(PORT).
run: install
	$(BIN)/perp-track migrate
	$(BIN)/perp-track demo
	PORT=$(PORT) $(BIN)/perp-track serve

serve: install
	PORT=$(PORT) $(BIN)/perp-track serve

migrate: install
	$(BIN)/perp-track migrate

demo: install
	$(BIN)/perp-track demo

## Starts the local PostgreSQL if it is installed but down (CI machines, fresh sessions).
postgres:
	@bash .ci/ensure-postgres

## Lint, types, and every test on SQLite and PostgreSQL (PostgreSQL is required).
test: install postgres lint
	$(BIN)/mypy
	$(BIN)/pytest

## The quick loop without PostgreSQL: SQLite only.
test-fast: install
	SKIP_POSTGRES=1 $(BIN)/pytest -x -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install postgres
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

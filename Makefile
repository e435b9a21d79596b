# perp-track: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# The address in the links of e-mails: the one `make run` answers on, unless set otherwise.
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
# Three pytest-xdist workers: the suite waits on browsers, servers and subprocesses often enough
# that a third worker fills two CPUs (8 min 42 s against 22 min on one). PYTEST_ARGS= runs it in
# one process; add options, e.g. PYTEST_ARGS="-n 3 --dist loadgroup --durations=20".
PYTEST_ARGS ?= -n 3 --dist loadgroup
STAMP  := $(VENV)/.installed
AXE    := tests/browser/node_modules/axe-core/axe.min.js
# apt needs root; elsewhere sudo.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run serve migrate demo test test-full test-fast lint format bench clean postgres browser-deps messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The embedded SQLite database under ./var, migrated, with the demo data, served on $(PORT).
## Plain http on 127.0.0.1: the session cookie cannot be Secure there.
run: install
	$(BIN)/perp-track migrate
	$(BIN)/perp-track demo
	PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(BIN)/perp-track dispatch --once  # the in-app inbox; SMS and e-mail stay queued unconfigured
	SESSION_COOKIE_SECURE=false PORT=$(PORT) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(BIN)/perp-track serve

serve: install
	SESSION_COOKIE_SECURE=false PORT=$(PORT) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(BIN)/perp-track serve

migrate: install
	$(BIN)/perp-track migrate

demo: install
	$(BIN)/perp-track demo

## Starts the local PostgreSQL if it is installed but down (CI machines, fresh sessions).
postgres:
	@bash .ci/ensure-postgres

## Debian's chromium (never a browser download) and axe-core from npm, for tests/browser.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || $(SUDO) apt-get install -y chromium \
		|| ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)
	@test -f $(AXE) || npm ci --prefix tests/browser --no-audit --no-fund

## Re-extract the strings of the pages and merge them into the fr, nl and en catalogs.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k NC_:1c,2 -k gettext:2 --no-location --sort-output \
		--omit-header -o src/perp_track/ui/locale/messages.pot .
	$(BIN)/pybabel update -i src/perp_track/ui/locale/messages.pot -d src/perp_track/ui/locale \
		--ignore-obsolete --width=100

## Lint, types, and every test on SQLite and PostgreSQL (PostgreSQL is required),
## the browser tests included; the schemathesis fuzz and the month-of-demo walk at a bounded size.
test: install postgres browser-deps lint
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

## The same with the fuzz and the month-of-demo walk at full size (before a release).
test-full: install postgres browser-deps lint
	$(BIN)/mypy
	FUZZ_EXAMPLES=6 DEMO_WALK_STEP_HOURS=2 $(BIN)/pytest $(PYTEST_ARGS)

## The quick loop without PostgreSQL: SQLite only.
test-fast: install browser-deps
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

# Kintsugi: `make run` to try it, `make test` to test it. Needs only Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and Slack messages point where `make run` serves, unless already set.
KINTSUGI_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-postgres test-browser lint format bench load eval clean venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kintsugi needs Python >= 3.11 (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	KINTSUGI_ENV=development $(BIN)/kintsugi migrate --noinput
	KINTSUGI_ENV=development $(BIN)/kintsugi demo
	@echo ""
	@echo "  Kintsugi: http://$(HOST):$(PORT)/   (log in as demo / kintsugi-demo)"
	@echo ""
	@# The workers (reminders, weekly reviews, deliveries; large alert deliveries) run beside
	@# the web server and stop with it.
	KINTSUGI_ENV=development KINTSUGI_BASE_URL='$(KINTSUGI_BASE_URL)' $(BIN)/kintsugi worker & worker=$$!; \
	KINTSUGI_ENV=development $(BIN)/kintsugi source work & capture=$$!; \
	trap 'kill $$worker $$capture 2>/dev/null' EXIT INT TERM; \
	KINTSUGI_ENV=development KINTSUGI_BASE_URL='$(KINTSUGI_BASE_URL)' $(BIN)/kintsugi serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	KINTSUGI_ENV=test $(BIN)/pytest

test-postgres: $(STAMP)
	KINTSUGI_ENV=test DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m "not browser"

test-browser: $(STAMP)
	KINTSUGI_ENV=test KINTSUGI_REQUIRE_BROWSER=1 $(BIN)/pytest -m browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	KINTSUGI_ENV=test $(BIN)/python -m bench

# 50 users for 5 minutes against `kintsugi serve` (docs/operations.md, "Load test"); not part
# of `make test`. LOAD_SECONDS=60 for a quick run, LOAD_DATABASE_URL=postgres://... for
# PostgreSQL, LOAD_ARGS='--users 20 --spawn-rate 2' for the rest.
load: $(STAMP)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

# Every evaluation runs even when an earlier one is below its bar (exit 1 at the end).
eval: $(STAMP)
	@status=0; \
	$(BIN)/python -m kintsugi.core.language.evaluate || status=1; \
	$(BIN)/python -m kintsugi.core.five_whys.evaluate || status=1; \
	$(BIN)/python -m kintsugi.core.markdown.evaluate || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) var build *.egg-info

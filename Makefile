# The two commands of the README: `make run` and `make test`. Both need only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
FLASK  := $(BIN)/flask --app badges
HOST   ?= 127.0.0.1
PORT   ?= 5000
# What credentials and share links name: by default the address `make run` serves.
BADGES_PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install setup-db bench clean interop lint lock axe

# constraints.txt pins every package to the version that was tested, so a fresh clone installs the same.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,serve,dev]"
	@touch $(STAMP)

install: $(STAMP)

# Re-resolves the newest versions pyproject.toml allows, in a throwaway environment, and pins them.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[test,serve,dev]"
	.venv-lock/bin/python -m pip freeze --exclude-editable > constraints.txt
	rm -rf .venv-lock

# ruff format --check comes last: the codebase gets its one format pass after issue 9's branches merge.
lint: install
	$(BIN)/ruff check badges tests bench
	$(BIN)/mypy badges
	$(BIN)/lint-imports
	$(BIN)/ruff format --check badges tests bench

# Builds or upgrades the schema, loads the framework and the demo district; safe to repeat.
setup-db: install
	$(FLASK) db upgrade
	$(FLASK) framework load seed_frameworks/cbe-educator-competencies.json
	$(FLASK) framework load seed_frameworks/leadership-rubric.json
	$(FLASK) demo seed

run: setup-db
	@echo "Serving on http://$(HOST):$(PORT); links name $(BADGES_PUBLIC_URL)  (Ctrl-C to stop)"
	BADGES_PUBLIC_URL=$(BADGES_PUBLIC_URL) FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

# One pytest worker per core (pytest-xdist), each on a database of its own; TEST_WORKERS=0 runs in one process,
# PYTEST_ARGS passes anything else to pytest (make test PYTEST_ARGS="-x tests/test_goals.py").
TEST_WORKERS ?= auto
test: install axe
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# axe-core for the accessibility browser tests, pinned by tests/browser/axe/package-lock.json (the tests inject
# it from node_modules: nothing from a CDN). Without npm this only says so, and those tests skip (fail under CI=true).
AXE_DIR := tests/browser/axe
$(AXE_DIR)/node_modules/.installed: $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	cd $(AXE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
axe:
	@if ! command -v npm >/dev/null 2>&1; then echo "npm not found: the accessibility (axe-core) browser tests will skip"; \
	elif ! $(MAKE) --no-print-directory $(AXE_DIR)/node_modules/.installed; then \
	  if [ "$${CI:-}" = true ]; then exit 1; fi; echo "npm ci failed (offline?): the axe-core browser tests will skip"; fi

# The independent verifiers the interop tests use (CI installs them; on a laptop those tests skip):
# @digitalcredentials/verifier-core on Node, and the Open Badges 2.0 validator on Python 3.9 (its pinned
# pycryptodome 3.6.6 builds from source, and needs setuptools to use the standard library's distutils).
# A real interpreter, not pyenv's shim (which refuses when 3.9 is not the selected version); PYTHON39=... overrides.
PYTHON39 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.9*/bin/python3.9 /usr/bin/python3.9 /usr/local/bin/python3.9) python3.9)
interop:
	cd interop/node && npm ci --no-audit --no-fund --loglevel=error
	@if [ -f interop/ob2/requirements.txt ]; then \
	  $(PYTHON39) -m venv interop/ob2/.venv && \
	  interop/ob2/.venv/bin/python -m pip install --quiet --upgrade pip && \
	  SETUPTOOLS_USE_DISTUTILS=stdlib interop/ob2/.venv/bin/python -m pip install --quiet --no-cache-dir \
	    -r interop/ob2/requirements.txt; fi

bench: install
	$(BIN)/python bench/roster_import.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/readiness.py
	$(BIN)/python bench/people.py

clean:
	rm -rf $(VENV) .venv-lock instance .pytest_cache .mypy_cache .ruff_cache test-artifacts

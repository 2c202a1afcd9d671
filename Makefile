# The two commands of the README: `make run` and `make test`. Both need only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
FLASK  := $(BIN)/flask --app badges
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install setup-db bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,serve]"
	@touch $(STAMP)

install: $(STAMP)

# Builds or upgrades the schema, loads the framework and the demo district; safe to repeat.
setup-db: install
	$(FLASK) db upgrade
	$(FLASK) framework load seed_frameworks/cbe-educator-competencies.json
	$(FLASK) demo seed

run: setup-db
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/roster_import.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts

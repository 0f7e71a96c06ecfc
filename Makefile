# Two commands for a newcomer: `make rehearse` (set up, then run the whole training day offline) and
# `make test` (set up, then run the tests). `make run` runs the real bot (needs a token).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup run rehearse migrate test lint bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) -m bot run

rehearse: setup
	$(PY) -m bot rehearse

bench: setup
	$(PY) -m bench

migrate: setup
	$(PY) -m bot migrate

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: setup
	$(PY) -m pytest
	$(MAKE) --no-print-directory lint

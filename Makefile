# Two commands for a newcomer: `make rehearse` (set up, then run the whole training day offline) and
# `make test` (set up, then run the tests). `make run` runs the real bot (needs a token).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup run rehearse migrate test lint bench lock

# Installs exactly the versions in requirements.lock (every package, transitive ones included), then the
# project itself without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
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
	$(VENV)/bin/lint-imports --no-cache

# The tests run in $(TEST_WORKERS) processes (pytest-xdist; most of a test's time is spent waiting on the
# bot, so more processes than cores still pays) while the linters run alongside; their output is shown
# after the tests', and `make test` fails if either failed.
TEST_WORKERS ?= 4
PYTEST_ARGS ?=

test: setup
	@lint_log=$$(mktemp); \
	$(MAKE) --no-print-directory lint >"$$lint_log" 2>&1 & lint_pid=$$!; \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS); tests_status=$$?; \
	wait $$lint_pid; lint_status=$$?; \
	cat "$$lint_log"; rm -f "$$lint_log"; \
	[ $$tests_status -eq 0 ] && [ $$lint_status -eq 0 ]

# After changing a dependency in pyproject.toml: pin the whole tree again (pip-tools' pip-compile).
lock: setup
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

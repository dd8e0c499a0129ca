# The two commands of the README:
#   make run   -> set up, load the lists from $(SHARED_DATA), show their status (later: serve)
#   make test  -> set up, run the whole test suite
SHARED_DATA ?= $(abspath ../shared/data)
export CLEARANCE_SHARED_DATA ?= $(SHARED_DATA)
PY := .venv/bin/python

.PHONY: setup run test check lint lock bench

setup:
	@scripts/bootstrap.sh

run: setup
	@scripts/run.sh

test: setup
	@scripts/test.sh

lint: setup
	$(PY) -m ruff check src tests bench
	$(PY) -m mypy

check: lint test

lock:
	.venv/bin/uv pip compile pyproject.toml --extra dev --extra bench --extra spark -o requirements.lock --quiet

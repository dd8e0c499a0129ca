#!/usr/bin/env bash
# The whole test suite (README's test command runs this through `make test`).
# Runs the real PostgreSQL tests: starts a server when none answers on 127.0.0.1:5432.
set -uo pipefail
cd "$(dirname "$0")/.."
export CLEARANCE_SHARED_DATA=${CLEARANCE_SHARED_DATA:-$(cd .. && pwd)/shared/data}
if [ ! -f "$CLEARANCE_SHARED_DATA/MANIFEST.md" ]; then
  echo "test: shared data not found at $CLEARANCE_SHARED_DATA (set CLEARANCE_SHARED_DATA)" >&2
  exit 2
fi
if url=$(scripts/postgres.sh); then
  export CLEARANCE_TEST_PG_URL=$url
else
  echo "test: PostgreSQL could not be started; the postgres tests will fail" >&2
fi
if [ $# -eq 0 ]; then   # the whole suite: lint and types first (fast, and a failure is a failure)
  .venv/bin/python -m ruff check src tests bench || exit 1
  .venv/bin/python -m mypy || exit 1
fi
.venv/bin/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "test: pytest collected no tests — treated as a failure" >&2
  exit 1
fi
exit $rc

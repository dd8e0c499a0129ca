#!/usr/bin/env bash
# The main job: load every full list from the shared data folder into the store and show status.
set -euo pipefail
cd "$(dirname "$0")/.."
export CLEARANCE_SHARED_DATA=${CLEARANCE_SHARED_DATA:-$(cd .. && pwd)/shared/data}
.venv/bin/clearance lists load --catalog
.venv/bin/clearance lists status

#!/usr/bin/env bash
# The main job: load every full list from the shared data folder (skipping files already
# loaded), show their status, create a local admin API key and a workbench admin user on first
# run, and serve the HTTP API and the analyst workbench (/ui) on http://127.0.0.1:8000
# (CLEARANCE_PORT to change). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CLEARANCE_SHARED_DATA=${CLEARANCE_SHARED_DATA:-$(cd .. && pwd)/shared/data}
export CLEARANCE_HOME=${CLEARANCE_HOME:-$HOME/.clearance}
mkdir -p "$CLEARANCE_HOME"
bin=.venv/bin/clearance
"$bin" lists load --catalog
"$bin" lists status
keyfile="$CLEARANCE_HOME/local-admin.key"
if [ ! -s "$keyfile" ]; then
  umask 077
  "$bin" keys create local-admin --role admin > "$keyfile"
fi
echo "API key for local use: $keyfile  (curl -H \"Authorization: Bearer \$(cat $keyfile)\" ...)"
pwfile="$CLEARANCE_HOME/ui-admin.password"
if [ ! -s "$pwfile" ]; then
  umask 077
  .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(18))" > "$pwfile"
  "$bin" users add admin --role admin --display-name "Local administrator" --password-stdin < "$pwfile"
fi
echo "Workbench: http://127.0.0.1:${CLEARANCE_PORT:-8000}/ui/  user admin, password in $pwfile"
exec "$bin" serve --host 127.0.0.1 --port "${CLEARANCE_PORT:-8000}"

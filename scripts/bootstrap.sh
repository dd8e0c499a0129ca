#!/usr/bin/env bash
# Sets up everything clearance needs on a fresh Debian machine; safe to run again (fast when done).
#   - Debian packages: ICU headers (pyicu builds against them), pkg-config, a JDK (Spark),
#     chromium (UI tests), poppler-utils (PDF checks), PostgreSQL server if missing.
#   - .venv with the locked Python dependencies (requirements.lock) and clearance itself.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in libicu-dev pkg-config libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# Spark needs a Java runtime (17 or newer); use the machine's if it has one
command -v java >/dev/null 2>&1 || need_apt+=("openjdk-17-jre-headless")
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

stamp=.venv/.lock-stamp
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp"; then
  echo "bootstrap: installing locked Python dependencies"
  .venv/bin/python -m pip install -q --upgrade pip uv
  .venv/bin/uv pip install -q --python .venv/bin/python -r requirements.lock
  cp requirements.lock "$stamp"
fi
.venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
# the matcher compiled with mypyc (same source, ~1/3 faster); the source runs if this fails
.venv/bin/python scripts/build_native.py || echo "bootstrap: WARNING compiled matcher not built; the Python source runs (slower)" >&2

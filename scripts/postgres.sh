#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (starting or installing one if not)
# and that the test database exists. Prints the SQLAlchemy URL of the test database.
set -euo pipefail
PGHOST=127.0.0.1; PGPORT=5432; DB=${CLEARANCE_TEST_PG_DB:-clearance_test}
answers() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }
if ! command -v pg_isready >/dev/null || ! answers; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "postgres: installing the PostgreSQL server" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  ver=$(ls /etc/postgresql | sort -n | tail -1)
  if [ -z "$ver" ]; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$ver" main >&2
  fi
  conf=/etc/postgresql/$ver/main
  grep -q "^listen_addresses" "$conf/postgresql.conf" || echo "listen_addresses = '127.0.0.1'" >> "$conf/postgresql.conf"
  grep -q "clearance-ci" "$conf/pg_hba.conf" || sed -i '1i host all all 127.0.0.1/32 trust # clearance-ci' "$conf/pg_hba.conf"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 || true
  for _ in $(seq 1 30); do answers && break; sleep 1; done
  answers || { echo "postgres: server did not come up on $PGHOST:$PGPORT" >&2; exit 1; }
fi
USER_=postgres
psql -h "$PGHOST" -p "$PGPORT" -U "$USER_" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
  || psql -h "$PGHOST" -p "$PGPORT" -U "$USER_" -d postgres -qc "CREATE DATABASE $DB" >&2
echo "postgresql+psycopg://$USER_@$PGHOST:$PGPORT/$DB"

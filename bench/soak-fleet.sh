#!/usr/bin/env bash
# The soak on a fleet: two gateway nodes on one PostgreSQL catalog (issue 22), 64 clients, random admin changes sent
# to either node, checked by the soak's grant ledger with the cross-node bound (--revoke-allowance, 2 s by default:
# a node applies a change made on the other when its announcement arrives, or at its next poll when the channel is down).
#
#   bench/soak-fleet.sh [DURATION] [extra soak options]      e.g. bench/soak-fleet.sh 2m --markdown soak-fleet.md
#
# PostgreSQL 15 (Debian's package, installed here if missing) runs as a throwaway cluster under bench/data/pg-fleet on
# port 5498 and is stopped and removed at the end. Not part of CI (docs/TESTING.md, "Soak and load").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-2m}
shift || true
PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="$ROOT/bench/data/pg-fleet"
PG_PORT=5498
if [[ ! -x $PG_BIN/postgres ]]; then
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15 >/dev/null
fi
pg_as() { if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup() {
  pg_as "$PG_BIN/pg_ctl -D '$PG_DIR' -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap cleanup EXIT
rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"; [[ $(id -u) -eq 0 ]] && chown postgres "$PG_DIR"
PASSWORD=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$PASSWORD" > "$PG_DIR.pw"; [[ $(id -u) -eq 0 ]] && chown postgres "$PG_DIR.pw"
pg_as "$PG_BIN/initdb -D '$PG_DIR' -U datamesh --pwfile='$PG_DIR.pw' --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
rm -f "$PG_DIR.pw"
pg_as "$PG_BIN/pg_ctl -D '$PG_DIR' -l '$PG_DIR/server.log' -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200' -w start" >/dev/null
pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U datamesh -d postgres -c 'CREATE DATABASE catalog'" >/dev/null

echo "== building (Release)"
dotnet build -c Release bench/DataMesh.Gateway.Soak -nologo -v q >/dev/null
export DATAMESH_CATALOG_PASSWORD="$PASSWORD"
nice -n 10 dotnet bench/DataMesh.Gateway.Soak/bin/Release/net10.0/DataMesh.Gateway.Soak.dll --duration "$DURATION" --clients 64 \
  --catalog "postgresql://datamesh@127.0.0.1:$PG_PORT/catalog" --nodes 2 "$@"

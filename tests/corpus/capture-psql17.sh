#!/usr/bin/env bash
# Captures the catalog queries psql 17 sends to the gateway itself (server_version 16.4), through the logging wire
# proxy capture/wirelog.py, as the demo consumer bob in ml_research. Not run in CI. Bookworm packages psql 15 only:
# pass a psql 17 binary (e.g. Debian trixie's postgresql-client-17, unpacked with its own libc6/libpq5 and run through
# that libc's ld-linux-x86-64.so.2 in a wrapper script). Output: the raw log, one '-- @@' entry per frontend Query;
# keep in ClientCorpus/psql-16-17.sql the entries whose text differs from psql-15.sql (OIDs as {{oid:schema.table}}).
# Usage: tests/corpus/capture-psql17.sh PSQL17 [log]   (starts a demo gateway on 127.0.0.1:55499, proxy on 55498)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
psql17=$1
log=${2:-/tmp/psql17-capture.log}
work=$(mktemp -d /tmp/psql17-capture.XXXXXX)
dotnet run -c Release --project "$repo/src/DataMesh.Gateway" -- serve --demo --listen 127.0.0.1:55499 --data-dir "$work/data" > "$work/gateway.log" 2>&1 &
gateway=$!
python3 "$here/capture/wirelog.py" 55498 55499 "$log" psql17 &
proxy=$!
trap 'kill $proxy $gateway 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 120); do PGPASSWORD=bob "$psql17" -X "host=127.0.0.1 port=55499 user=bob dbname=ml_research sslmode=disable" -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
: > "$log"
for cmd in '\l' '\dn' '\dt' '\dt marketing.*' '\d mkt_sls_table' '\d+ mkt_sls_table' '\d marketing.mkt_sls_table' '\dt+' \
           '\dv' '\dm' '\di' '\ds' '\dE' '\df' '\dT' '\du' '\drg' '\dx' '\dn+' '\d' '\d+ campaigns' '\dp' '\dconfig' '\l+' \
           '\db+' '\dc' '\dd' '\des+' '\det+' '\deu+' '\dew+' '\dF+' '\dFd+' '\dFp+' '\dFt+' '\dl' '\dL+' '\dO+' '\dRs+' '\dRp+' \
           '\dX' '\ddp' '\dA+' '\dAc' '\dAf' '\dAo' '\dAp' '\dconfig+' '\drds' '\dD+' '\dC+' '\do+' '\dy+' '\dP+' '\dg+'; do
  printf '\n#CMD %s\n' "$cmd" >> "$log"
  PGPASSWORD=bob "$psql17" -X "host=127.0.0.1 port=55498 user=bob dbname=ml_research sslmode=disable application_name=psql" \
    -c "set search_path = marketing, public" -c "$cmd" >/dev/null || echo "failed: $cmd" >&2
done
"$psql17" --version
echo "log: $log"

#!/usr/bin/env bash
# Regenerates src/DataMesh.Gateway.Engine/CatalogData/pg15-{types,procs,ranges}.tsv: PostgreSQL 15's built-in types
# (pg_catalog's pg_type rows, without the row types of its own catalog tables and their arrays), the pg_proc rows of
# their input, output, receive, send, typmod, analyze and subscript functions, and pg_range for the range types. The
# pg_catalog emulation serves them, so clients that look types up by name or OID (asyncpg, ruby-pg, ActiveRecord,
# pgjdbc, Npgsql) find PostgreSQL's own rows. Not run in CI: rerun when the PostgreSQL major changes, review the diff.
# Needs Debian's postgresql-15. Run as root: the server runs as the 'postgres' user.
# Usage: tests/corpus/pg-types.sh [port]   (default 55434; loopback only)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
port=${1:-55434}
work=$(mktemp -d /tmp/pg-types.XXXXXX)
chown postgres "$work"
bin=/usr/lib/postgresql/15/bin
out="$repo/src/DataMesh.Gateway.Engine/CatalogData"
trap 'runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" stop -m fast >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
runuser -u postgres -- "$bin/initdb" -D "$work/data" -A trust -U postgres --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
q() { psql -X -At -F $'\t' -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "$1"; }
types="SELECT * FROM pg_type t WHERE t.typnamespace = 'pg_catalog'::regnamespace AND t.typtype <> 'c'
       AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typtype = 'c')"
{
  echo "# oid	typname	typlen	typbyval	typtype	typcategory	typispreferred	typdelim	typelem	typarray	typinput	typoutput	typreceive	typsend	typmodin	typmodout	typanalyze	typsubscript	typbasetype	typtypmod	typndims	typcollation	typalign	typstorage"
  q "SELECT oid, typname, typlen, typbyval, typtype, typcategory, typispreferred, typdelim, typelem, typarray, typinput::oid,
       typoutput::oid, typreceive::oid, typsend::oid, typmodin::oid, typmodout::oid, typanalyze::oid, typsubscript::oid,
       typbasetype, typtypmod, typndims, typcollation, typalign, typstorage FROM ($types) t ORDER BY oid"
} > "$out/pg15-types.tsv"
{
  echo "# oid	proname	prorettype	proargtypes	pronargs	prokind	provolatile	proisstrict	prosrc"
  q "SELECT p.oid, p.proname, p.prorettype, p.proargtypes::text, p.pronargs, p.prokind, p.provolatile, p.proisstrict, p.prosrc
     FROM pg_proc p WHERE p.oid IN (SELECT unnest(ARRAY[typinput::oid, typoutput::oid, typreceive::oid, typsend::oid,
       typmodin::oid, typmodout::oid, typanalyze::oid, typsubscript::oid]) FROM ($types) t) ORDER BY p.oid"
} > "$out/pg15-procs.tsv"
{
  echo "# rngtypid	rngsubtype	rngmultitypid	rngcollation	rngsubopc	rngcanonical	rngsubdiff"
  q "SELECT rngtypid, rngsubtype, rngmultitypid, rngcollation, rngsubopc, rngcanonical::oid, rngsubdiff::oid FROM pg_range ORDER BY 1"
} > "$out/pg15-ranges.tsv"
wc -l "$out"/pg15-*.tsv

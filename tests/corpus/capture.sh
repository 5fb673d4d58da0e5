#!/usr/bin/env bash
# Captures the catalog queries real clients send, from a private PostgreSQL 15 server with log_statement=all.
# Not run in CI: CI replays the committed corpus (tests/DataMesh.Gateway.Tests/ClientCorpus/*.sql). Rerun this when a
# client version changes, then review the diff of the corpus files.
#
# Needs (Debian bookworm): postgresql-15, libpostgresql-jdbc-java, openjdk-17-jdk-headless, python3-psycopg2,
# python3-sqlalchemy, odbc-postgresql, unixodbc, python3-pyodbc, the .NET SDK (for Npgsql). Run as root: the server runs as the 'postgres' user.
# Usage: tests/corpus/capture.sh [port]   (default 55432; the server listens on loopback only)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
port=${1:-55432}
work=$(mktemp -d /tmp/corpus-capture.XXXXXX)
chown postgres "$work"
bin=/usr/lib/postgresql/15/bin
out="$repo/tests/DataMesh.Gateway.Tests/ClientCorpus"
trap 'su postgres -c "$bin/pg_ctl -D $work/data stop -m fast" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

su postgres -c "$bin/initdb -D $work/data -A trust -U postgres >/dev/null"
# %a: application_name, so each client's statements can be told apart in one log.
su postgres -c "$bin/pg_ctl -D $work/data -l $work/server.log -w -o \"-p $port -k $work -c listen_addresses=127.0.0.1 -c log_statement=all -c log_line_prefix='%a|' -c log_min_error_statement=panic\" start >/dev/null"
psql_ref() { PGAPPNAME=setup psql -X -q -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_ref -d postgres -c "CREATE DATABASE marketing"
psql_ref -d marketing -f "$here/reference-schema.sql" >/dev/null

# psql 15: the \d family, \l, \conninfo (psql's own queries carry the application name psql).
psql --version
for cmd in '\l' '\dn' '\dt' '\dt marketing.*' '\d mkt_sls_table' '\d+ mkt_sls_table' '\d marketing.mkt_sls_table' \
           '\dt+' '\dv' '\dm' '\di' '\ds' '\dE' '\df' '\dT' '\du' '\dx' '\dn+' '\d' '\d+ campaigns' \
           '\db+' '\dc' '\dd' '\des+' '\det+' '\deu+' '\dew+' '\dF+' '\dFd+' '\dFp+' '\dFt+' '\dl' '\dL+' '\dO+' '\dRs+' '\dRp+' \
           '\dX' '\ddp' '\dA+' '\dAc' '\dAf' '\dAo' '\dAp' '\dconfig+' '\drds' '\dD+' '\dC+' '\do+' '\dy+' '\dP+' '\dg+'; do
  PGAPPNAME=psql psql -X -h 127.0.0.1 -p "$port" -U postgres -d marketing -c "set search_path = marketing, public" -c "$cmd" >/dev/null
done

# psql 15's tab completion: its catalog queries, typed into a pseudo-terminal.
/usr/bin/python3 "$here/capture/psql_tab_complete.py" "host=127.0.0.1 port=$port user=postgres dbname=marketing"

# pgjdbc (Debian's 42.5.5): DatabaseMetaData calls a JDBC tool makes when it connects and syncs.
mkdir -p "$work/java"
javac -d "$work/java" "$here/capture/JdbcMetadata.java"
java -cp "$work/java:/usr/share/java/postgresql.jar" JdbcMetadata "jdbc:postgresql://127.0.0.1:$port/marketing?user=postgres&ApplicationName=pgjdbc"

# psycopg2 + SQLAlchemy 1.4: dialect initialisation and inspector reflection.
/usr/bin/python3 "$here/capture/sqlalchemy_reflect.py" "postgresql+psycopg2://postgres@127.0.0.1:$port/marketing?application_name=sqlalchemy"

# psqlODBC through pyodbc: SQLTables, SQLColumns and friends.
/usr/bin/python3 "$here/capture/odbc_catalog.py" 127.0.0.1 "$port" marketing

# Npgsql (the test project's version): type loading on open, GetSchema("Tables"/"Columns").
dotnet run --project "$here/capture/NpgsqlCapture" -c Release -- "Host=127.0.0.1;Port=$port;Username=postgres;Database=marketing;Application Name=npgsql"

# The reference server's OIDs of the reference tables: the corpus names them {{oid:schema.table}} instead, and the
# replay puts in the gateway's OID (or 0 for an asset the consumer cannot see).
psql_ref -d marketing -At -F ' ' -c "SELECT c.oid, n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'marketing'" > "$work/oids.txt"
su postgres -c "$bin/pg_ctl -D $work/data stop -m fast" >/dev/null
/usr/bin/python3 "$here/capture/extract.py" "$work/server.log" "$out" "$work/oids.txt"

#!/usr/bin/env bash
# Regenerates src/DataMesh.Gateway.Policy/Settings/pg15-settings.tsv: every run-time parameter of a stock
# PostgreSQL 15 (name, context, type, unit, range, enum values, and the value SHOW gives on a fresh server), the data
# the gateway's SET/SHOW/RESET, current_setting() and pg_settings answer from. Not run in CI: rerun it when the
# PostgreSQL major the gateway reports changes, then review the diff.
#
# Values that describe one installation rather than PostgreSQL (paths, the port, the locale initdb chose, the log
# time zone) are replaced by what the gateway reports; the sed lines below list them.
# Needs Debian's postgresql-15. Run as root: the server runs as the 'postgres' user.
# Usage: tests/corpus/pg-settings.sh [port]   (default 55433; loopback only)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
port=${1:-55433}
work=$(mktemp -d /tmp/pg-settings.XXXXXX)
chown postgres "$work"
bin=/usr/lib/postgresql/15/bin
out="$repo/src/DataMesh.Gateway.Policy/Settings/pg15-settings.tsv"
trap 'runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" stop -m fast >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

runuser -u postgres -- "$bin/initdb" -D "$work/data" -A trust -U postgres --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
# Settings only a superuser may read are marked: SHOW of one is 42501 for everybody else.
runuser -u postgres -- psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE ROLE reader LOGIN"
visible=$(psql -X -At -h 127.0.0.1 -p "$port" -U reader -d postgres -c "SELECT string_agg(name, ' ') FROM pg_settings")
{
  echo "# name	context	type	unit	min	max	enum values	default (as SHOW gives it)	superuser-only read"
  psql -X -At -F $'\t' -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "
    SELECT name, context, vartype, coalesce(unit, ''), coalesce(min_val, ''), coalesce(max_val, ''),
           coalesce(array_to_string(enumvals, ','), ''), current_setting(name),
           CASE WHEN name = ANY(string_to_array('$visible', ' ')) THEN '' ELSE 'superuser-only' END
    FROM pg_settings ORDER BY lower(name)"
} | sed -E \
  -e 's#^(config_file|data_directory|hba_file|ident_file|external_pid_file|krb_server_keyfile)\t([^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\t\2\t#' \
  -e 's#^(unix_socket_directories\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\t/var/run/postgresql#' \
  -e 's#^(port\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\t5432#' \
  -e 's#^(listen_addresses\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\tlocalhost#' \
  -e 's#^(application_name\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\t#' \
  -e 's#^((TimeZone|log_timezone)\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\tUTC#' \
  -e 's#^(server_version\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\tGATEWAY#' \
  -e 's#^(server_version_num\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\tGATEWAY#' \
  -e 's#^((shared_memory_size|shared_memory_size_in_huge_pages)\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*)\t[^\t]*#\1\t0#' \
  > "$out"
echo "wrote $(grep -vc '^#' "$out") settings to $out"

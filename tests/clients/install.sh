#!/usr/bin/env bash
# Installs the real client drivers the client-compatibility tests drive (tests/DataMesh.Gateway.Tests/Clients):
# Debian packages for pgjdbc, psqlODBC, psycopg2/3, SQLAlchemy, pandas and Jupyter, and npm's pg + pg-cursor into
# tests/clients/node. Idempotent: when everything is present it only checks and returns (well under a second).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# One entry per package: "debian-package|check" — the check is a shell test that succeeds when it is installed.
# Debian's Python modules live under /usr/bin/python3 (a pyenv python3 on PATH would not see them).
py() { /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }
checks=(
  "postgresql-client|command -v psql"
  "default-jdk-headless|command -v javac"
  "libpostgresql-jdbc-java|test -f /usr/share/java/postgresql.jar"
  "unixodbc|command -v odbcinst"
  "odbc-postgresql|test -f /usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so -o -f /usr/lib/$(uname -m)-linux-gnu/odbc/psqlodbcw.so"
  "python3-pyodbc|py pyodbc"
  "python3-psycopg2|py psycopg2"
  "python3-psycopg|py psycopg"
  "python3-sqlalchemy|py sqlalchemy"
  "python3-pandas|py pandas"
  "python3-matplotlib|py matplotlib"
  "python3-nbclient|py nbclient"
  "python3-nbconvert|py nbconvert"
  "python3-nbformat|py nbformat"
  "python3-ipykernel|py ipykernel"
  "nodejs|command -v node"
  "npm|command -v npm"
)
need=()
for entry in "${checks[@]}"; do
  pkg="${entry%%|*}"; check="${entry#*|}"
  eval "$check" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} (Debian packages) ..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# node-postgres: pinned by tests/clients/node/package-lock.json; reinstalled only when the lockfile changed.
node_dir="$here/node"
stamp="$node_dir/node_modules/.lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$node_dir/package-lock.json" "$stamp"; then
  echo "Installing node-postgres (npm ci) ..."
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$node_dir/package-lock.json" "$stamp"
fi

#!/usr/bin/env bash
# Installs the real client drivers the client-compatibility tests drive (tests/DataMesh.Gateway.Tests/Clients):
# Debian packages for pgjdbc, psqlODBC, psycopg2/3, asyncpg, SQLAlchemy, pandas and Jupyter, the other clients of
# issue 16 (ruby-pg, ActiveRecord, Sequel, Go's pgx v4 and lib/pq as source under /usr/share/gocode built offline,
# RPostgreSQL, DBD::Pg, PDO_pgsql, pgcli, pg_dump 15; npm's postgres.js and Sequelize), Debian's chromium and
# chromedriver for the portal's browser tests (tests/DataMesh.Gateway.Tests/Portal), the PostgreSQL 15 server binaries
# for the parity tests (Reliability/PostgresParityTests), npm's pg + pg-cursor into tests/clients/node, and npm's
# s3rver (the local S3 API of the object-storage tests) into tests/clients/s3.
# Idempotent: when everything is present it only checks and returns (well under a second).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# Tools that may come from elsewhere (a JDK or Node.js installed another way) are checked by command; the rest by
# dpkg's status, one query for all, so a machine that has everything answers in well under a second.
# Debian's Python modules go to /usr/bin/python3 (the tests call it explicitly; a pyenv python3 would not see them).
need=()
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# chromium and chromium-driver: the real browser the portal tests drive (Selenium, pointed at both; nothing downloaded).
# postgresql-15: the server binaries only (initdb, pg_ctl), for differential tests that start a private server in a
# temporary directory (Infrastructure/RealPostgres); no test uses the cluster the package creates.
# haproxy and python3-yaml: the fleet profile of docker-compose.yml, checked without Docker (Fleet/LoadBalancerTests
# runs deploy/haproxy.cfg in front of two gateway processes; no test uses the service the package installs).
debian=(haproxy python3-yaml libpostgresql-jdbc-java unixodbc odbc-postgresql python3-pyodbc python3-psycopg2 python3-psycopg
        python3-sqlalchemy python3-pandas python3-matplotlib python3-nbclient python3-nbconvert python3-nbformat
        python3-ipykernel python3-asyncpg chromium chromium-driver postgresql-15
        python3-greenlet ruby-pg ruby-activerecord ruby-sequel golang-go golang-github-jackc-pgx-v4-dev
        golang-github-lib-pq-dev r-cran-rpostgresql libdbd-pg-perl php-cli php-pgsql pgcli postgresql-client-15)
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${debian[@]}" 2>/dev/null | awk '$NF == "installed" { print $1 }' || true)
for pkg in "${debian[@]}"; do
  grep -qx "$pkg" <<<"$installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} (Debian packages) ..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The webhook tests (Lifecycle/WebhookTests) need a host name that resolves to 127.0.0.1 only and is neither
# "localhost" (refused by name) nor the machine's own name (.NET resolves that to every interface): one line, added once.
if ! grep -qE '^127\.0\.0\.1[[:space:]].*\bdatamesh-webhook-test\b' /etc/hosts; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "127.0.0.1 datamesh-webhook-test" | $SUDO tee -a /etc/hosts >/dev/null
fi

# node-postgres: pinned by tests/clients/node/package-lock.json; reinstalled only when the lockfile changed.
node_dir="$here/node"
stamp="$node_dir/node_modules/.lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$node_dir/package-lock.json" "$stamp"; then
  echo "Installing node-postgres (npm ci) ..."
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$node_dir/package-lock.json" "$stamp"
fi

# s3rver, the local S3-compatible server the object-storage tests and benchmark start: pinned by
# tests/clients/s3/package-lock.json, reinstalled only when the lockfile changed.
s3_dir="$here/s3"
s3_stamp="$s3_dir/node_modules/.lock-stamp"
if [ ! -f "$s3_stamp" ] || ! cmp -s "$s3_dir/package-lock.json" "$s3_stamp"; then
  echo "Installing s3rver (npm ci) ..."
  (cd "$s3_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$s3_dir/package-lock.json" "$s3_stamp"
fi

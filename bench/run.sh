#!/usr/bin/env bash
# Builds the benchmark project (Release), runs the end-to-end stream harness and/or the BenchmarkDotNet
# micro-benchmarks, and rewrites bench/RESULTS.md with the figures, the machine and the exact command.
#
#   bench/run.sh                 full stream run (6M rows) + governed queries + micro-benchmarks
#   bench/run.sh --quick         stream, governed and compare runs with 1M rows, no micro-benchmarks (under 10 minutes)
#   bench/run.sh --micro         micro-benchmarks only
#   bench/run.sh --no-micro      stream + governed only
#   bench/run.sh --governed      governed queries (harness + RewriteBenchmarks) only; replaces just that section of
#                                RESULTS.md (and the notes), keeping the streaming and other micro-benchmark figures
#   bench/run.sh --no-governed   skip the governed-query harness
#   bench/run.sh --compare       the side-by-side comparison only (Q1/Q6 vs in-process DuckDB and PostgreSQL + RLS,
#                                connection and point latency, concurrent load and pgbench, metadata with 1,000 assets,
#                                a 100k-asset / 1M-subscription catalog, chart bench/results.png); replaces that section
#   bench/run.sh --no-compare    skip it
#   bench/run.sh --serving       interactive serving (issue 18): point lookups by key (1 client, 16 clients), pgbench -S
#                                style at 64 clients, the mixed 95/5 load over client counts, a repeated Q1 and Q6, against
#                                PostgreSQL 15 + RLS with a B-tree on the key; replaces that section (not part of the default run)
#   bench/run.sh --objectstore   cold and warm reads of the lineitem asset on a local S3 server (npm s3rver, installed
#                                into tests/clients/s3 if missing) against the same file on local disk, side by side;
#                                replaces that section of RESULTS.md (not part of the default run)
#   bench/run.sh --catalog-stores   the embedded SQLite catalog against a PostgreSQL catalog (issue 22): APPROVE, REVOKE,
#                                PUBLISH ASSET and CREATE GLOSSARY TERM per second through the admin path, and session-start
#                                latency, side by side; replaces that section of RESULTS.md (not part of the default run)
#   PostgreSQL 15 (Debian packages, installed here if missing) runs as a throwaway cluster under bench/data/pg on port
#   5497 for every run that compares with it (stream and compare); --no-postgres skips it and its rows
#   bench/run.sh --postgres-cs "Host=...;Port=...;Username=...;Password=...;Database=..."   use an existing server
#   extra harness options after --: bench/run.sh -- --runs 3 --slow-seconds 20
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
COMMAND="bench/run.sh $*"
# Taken before anything is written: RESULTS.md being rewritten must not count as an uncommitted change.
GIT_DESC="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"

ROWS=6000000; STREAM=1; MICRO=1; GOVERNED=1; GOV_ONLY=0; GOV_RUNS=15; COMPARE=1; CMP_ONLY=0; QUICK=0; PG_AUTO=1; PG_CS=""; EXTRA=(); OBJ_ONLY=0; SRV_ONLY=0; CAT_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROWS=1000000; GOV_RUNS=5; QUICK=1; MICRO=0 ;; # micro-benchmarks: bench/run.sh --micro
    --rows) ROWS="$2"; shift ;;
    --micro) STREAM=0; MICRO=1; GOVERNED=0; COMPARE=0 ;;
    --governed) STREAM=0; MICRO=0; GOVERNED=1; GOV_ONLY=1; COMPARE=0 ;;
    --compare) STREAM=0; MICRO=0; GOVERNED=0; COMPARE=1; CMP_ONLY=1 ;;
    --no-compare) COMPARE=0 ;;
    --serving) STREAM=0; MICRO=0; GOVERNED=0; COMPARE=0; SRV_ONLY=1 ;;
    --objectstore) STREAM=0; MICRO=0; GOVERNED=0; COMPARE=0; OBJ_ONLY=1 ;;
    --catalog-stores) STREAM=0; MICRO=0; GOVERNED=0; COMPARE=0; CAT_ONLY=1 ;;
    --no-postgres) PG_AUTO=0 ;;
    --no-governed) GOVERNED=0 ;;
    --no-micro) MICRO=0 ;;
    --postgres) PG_AUTO=1 ;; # the default; kept for older commands
    --postgres-cs) PG_CS="$2"; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

DATA="$ROOT/bench/data"
mkdir -p "$DATA"
PROJECT="$ROOT/bench/DataMesh.Gateway.Benchmarks"
DLL="$PROJECT/bin/Release/net10.0/DataMesh.Gateway.Benchmarks.dll"

echo "== building (Release)"
dotnet build -c Release "$PROJECT" -nologo -v q

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="$DATA/pg"
PG_PORT=5497
pg_as() { if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
stop_pg() { pg_as "$PG_BIN/pg_ctl -D '$PG_DIR' -m fast stop" >/dev/null 2>&1 || true; }
[[ $STREAM -eq 0 && $COMPARE -eq 0 && $SRV_ONLY -eq 0 && $CAT_ONLY -eq 0 ]] && PG_AUTO=0
# What the comparison needs from Debian: PostgreSQL 15 and pgbench (postgresql-contrib), pgjdbc and a JDK for getTables.
need=()
if [[ $PG_AUTO -eq 1 ]]; then
  [[ -x $PG_BIN/postgres ]] || need+=(postgresql-15)
  [[ -x $PG_BIN/pgbench ]] || need+=(postgresql-contrib)
fi
if [[ $COMPARE -eq 1 ]]; then
  [[ -f /usr/share/java/postgresql.jar ]] || need+=(libpostgresql-jdbc-java)
  command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
fi
if [[ ${#need[@]} -gt 0 ]]; then
  echo "== installing ${need[*]} (Debian packages)"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [[ $PG_AUTO -eq 1 && -z "$PG_CS" ]]; then
  echo "== starting throwaway PostgreSQL 15 cluster in $PG_DIR (port $PG_PORT)"
  if [[ ! -f "$PG_DIR/PG_VERSION" ]]; then
    mkdir -p "$PG_DIR"; [[ $(id -u) -eq 0 ]] && chown postgres "$PG_DIR"
    pg_as "$PG_BIN/initdb -D '$PG_DIR' -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  pg_as "$PG_BIN/pg_ctl -D '$PG_DIR' -l '$PG_DIR/server.log' -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c shared_buffers=512MB' -w start" >/dev/null
  trap stop_pg EXIT
  pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname='bench'\"" | grep -q 1 \
    || pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -c \"CREATE ROLE bench LOGIN PASSWORD 'bench'\"" >/dev/null
  pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='bench'\"" | grep -q 1 \
    || pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -c 'CREATE DATABASE bench OWNER bench'" >/dev/null
  # The RLS-bound consumer of the comparison (its policy and column grants are made by the harness, as the owner).
  pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname='consumer'\"" | grep -q 1 \
    || pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -c \"CREATE ROLE consumer LOGIN PASSWORD 'consumer'\"" >/dev/null
  PG_CS="Host=127.0.0.1;Port=$PG_PORT;Username=bench;Password=bench;Database=bench;SSL Mode=Disable;Pooling=false;Command Timeout=0"
fi

STREAM_MD="$DATA/stream-results.md"
MICRO_MD="$DATA/micro-results.md"
if [[ $STREAM -eq 1 ]]; then
  echo "== stream harness: $ROWS rows"
  ARGS=(stream --rows "$ROWS" --data-dir "$DATA" --markdown "$STREAM_MD")
  [[ -n "$PG_CS" ]] && ARGS+=(--postgres "$PG_CS")
  ARGS+=("${EXTRA[@]}")
  dotnet "$DLL" "${ARGS[@]}"
  STREAM_CMD="dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- ${ARGS[*]//$ROOT\//}"
fi
GOV_MD="$DATA/governed-results.md"
GOV_MICRO_MD="$DATA/governed-micro-results.md"
if [[ $GOVERNED -eq 1 ]]; then
  echo "== governed-query harness: $ROWS rows"
  GARGS=(governed --rows "$ROWS" --data-dir "$DATA" --runs "$GOV_RUNS" --markdown "$GOV_MD")
  dotnet "$DLL" "${GARGS[@]}"
  GOV_CMD="dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- ${GARGS[*]//$ROOT\//}"
  if [[ $GOV_ONLY -eq 1 ]]; then
    echo "== rewrite-cost micro-benchmarks (BenchmarkDotNet)"
    rm -rf "$DATA/bdn-rewrite"
    dotnet "$DLL" --filter '*RewriteBenchmarks*' --artifacts "$DATA/bdn-rewrite"
    cat "$DATA"/bdn-rewrite/results/*RewriteBenchmarks-report-github.md > "$GOV_MICRO_MD"
  fi
fi
CMP_MD="$DATA/compare-results.md"
CHART="$ROOT/bench/results.png"
if [[ $COMPARE -eq 1 ]]; then
  echo "== comparison harness: $ROWS rows"
  CARGS=(compare --rows "$ROWS" --data-dir "$DATA" --markdown "$CMP_MD" --chart "$CHART")
  [[ $QUICK -eq 1 ]] && CARGS+=(--quick)
  [[ -n "$PG_CS" ]] && CARGS+=(--postgres "$PG_CS")
  CARGS+=("${EXTRA[@]}")
  dotnet "$DLL" "${CARGS[@]}"
  CMP_CMD="dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- ${CARGS[*]//$ROOT\//}"
fi
SRV_MD="$DATA/serving-results.md"
if [[ $SRV_ONLY -eq 1 ]]; then
  echo "== serving harness: $ROWS rows"
  SARGS=(serving --rows "$ROWS" --data-dir "$DATA" --markdown "$SRV_MD")
  [[ $QUICK -eq 1 ]] && SARGS+=(--quick)
  [[ -n "$PG_CS" ]] && SARGS+=(--postgres "$PG_CS")
  SARGS+=("${EXTRA[@]}")
  dotnet "$DLL" "${SARGS[@]}"
  SRV_CMD="dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- ${SARGS[*]//$ROOT\//}"
fi
CAT_MD="$DATA/catalog-stores-results.md"
if [[ $CAT_ONLY -eq 1 ]]; then
  # A database of its own, emptied by the harness: the catalog's tables, functions and collation stay out of "bench".
  if [[ -z "${PG_CS_CATALOG:-}" ]]; then
    pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='catalogbench'\"" | grep -q 1 \
      || pg_as "$PG_BIN/psql -h /tmp -p $PG_PORT -U postgres -d postgres -c 'CREATE DATABASE catalogbench OWNER bench'" >/dev/null
    PG_CS_CATALOG="Host=127.0.0.1;Port=$PG_PORT;Username=bench;Password=bench;Database=catalogbench;SSL Mode=Disable"
  fi
  echo "== catalog stores: SQLite against PostgreSQL"
  KARGS=(catalog-stores --postgres "$PG_CS_CATALOG" --data-dir "$DATA" --markdown "$CAT_MD")
  KARGS+=("${EXTRA[@]}")
  nice -n 10 dotnet "$DLL" "${KARGS[@]}"
  CAT_CMD="dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- ${KARGS[*]//$ROOT\//}"
fi
OBJ_MD="$DATA/objectstore-results.md"
if [[ $OBJ_ONLY -eq 1 ]]; then
  if [[ ! -d "$ROOT/tests/clients/s3/node_modules/s3rver" ]]; then
    echo "== installing s3rver (npm ci in tests/clients/s3)"
    (cd "$ROOT/tests/clients/s3" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  echo "== object-store harness: $ROWS rows"
  OARGS=(objectstore --rows "$ROWS" --data-dir "$DATA" --markdown "$OBJ_MD")
  OARGS+=("${EXTRA[@]}")
  nice -n 10 dotnet "$DLL" "${OARGS[@]}"
  OBJ_CMD="dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- ${OARGS[*]//$ROOT\//}"
fi
if [[ $MICRO -eq 1 ]]; then
  echo "== micro-benchmarks (BenchmarkDotNet)"
  rm -rf "$DATA/bdn"
  dotnet "$DLL" --filter '*' --artifacts "$DATA/bdn"
  { for f in "$DATA"/bdn/results/*-report-github.md; do
      [[ $f == *RewriteBenchmarks* ]] && continue # reported in the governed section
      echo "#### $(basename "$f" -report-github.md | sed 's/.*\.//')"; echo; cat "$f"; echo; done; } > "$MICRO_MD"
  cat "$DATA"/bdn/results/*RewriteBenchmarks-report-github.md > "$GOV_MICRO_MD" 2>/dev/null || true
fi

# ---- the governed section (between markers, so that --governed can replace it alone)
governed_section() {
  echo "<!-- governed:begin -->"
  echo "## Governed queries (consumer with row filter and column filter)"
  echo
  echo "* Date: $(date -u -r "$GOV_MD" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($CPU), $MEM RAM, shared with other engineers' builds (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "* git: $GIT_DESC; command: \`$COMMAND\`"
  [[ -n "${GOV_CMD:-}" ]] && echo "* Governed harness: \`$GOV_CMD\`"
  [[ -f "$GOV_MICRO_MD" ]] && echo "* Rewrite micro-benchmarks: \`dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- --filter '*RewriteBenchmarks*'\`"
  echo
  if [[ -f "$GOV_MD" ]]; then cat "$GOV_MD"; echo; fi
  if [[ -f "$GOV_MICRO_MD" ]]; then
    echo "### Rewrite cost (RewriteBenchmarks)"
    echo
    echo "One op = planning one consumer statement for \`bench_consumer\` (10k-row asset, same grants). PlanUncached sends a new text each call (a new literal), so it misses the rewrite cache; PlanCached repeats one text. The other rows are the steps of a miss, alone."
    echo
    cat "$GOV_MICRO_MD"
    echo
  fi
  echo "<!-- governed:end -->"
}

# ---- the comparison section (between markers, so that --compare can replace it alone)
compare_section() {
  echo "<!-- compare:begin -->"
  echo "## Side by side: gateway, in-process DuckDB, PostgreSQL 15 with row-level security"
  echo
  echo "* Date: $(date -u -r "$CMP_MD" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($CPU), $MEM RAM (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "* git: $GIT_DESC; command: \`$COMMAND\`"
  [[ -n "${CMP_CMD:-}" ]] && echo "* Comparison harness: \`$CMP_CMD\`"
  echo
  [[ -f "$CHART" ]] && { echo "![Query time, throughput and p99 per system](results.png)"; echo; }
  if [[ -f "$CMP_MD" ]]; then cat "$CMP_MD"; echo; fi
  echo "<!-- compare:end -->"
}

# ---- the object-store section (between markers; written by --objectstore only)
objectstore_section() {
  echo "<!-- objectstore:begin -->"
  echo "## Object storage: a local S3 server against local disk"
  echo
  echo "* Date: $(date -u -r "$OBJ_MD" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($CPU), $MEM RAM, shared with other engineers' builds and tests (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)); run with \`nice -n 10\`"
  echo "* git: $GIT_DESC; command: \`$COMMAND\`"
  [[ -n "${OBJ_CMD:-}" ]] && echo "* Object-store harness: \`$OBJ_CMD\`"
  echo
  if [[ -f "$OBJ_MD" ]]; then cat "$OBJ_MD"; echo; fi
  echo "<!-- objectstore:end -->"
}

# ---- the catalog-stores section (between markers; written by --catalog-stores only)
catalog_stores_section() {
  echo "<!-- catalog-stores:begin -->"
  echo "## Catalog stores: embedded SQLite against PostgreSQL"
  echo
  echo "* Date: $(date -u -r "$CAT_MD" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($CPU), $MEM RAM, shared with other engineers' builds and tests (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)); run with \`nice -n 10\`"
  echo "* git: $GIT_DESC; command: \`$COMMAND\`"
  [[ -n "${CAT_CMD:-}" ]] && echo "* Harness: \`$CAT_CMD\`"
  echo "* Both catalogs on this machine: PostgreSQL 15 over loopback TCP (the throwaway cluster, \`shared_buffers=512MB\`, default \`synchronous_commit=on\`), SQLite in WAL mode with \`synchronous=FULL\`. A remote or replicated PostgreSQL adds its round trips to every write."
  echo
  if [[ -f "$CAT_MD" ]]; then cat "$CAT_MD"; echo; fi
  echo "<!-- catalog-stores:end -->"
}

# ---- the serving section (between markers; written by --serving only)
serving_section() {
  echo "<!-- serving:begin -->"
  echo "## Interactive serving: point lookups, many clients, repeated queries (issue 18)"
  echo
  echo "* Date: $(date -u -r "$SRV_MD" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($CPU), $MEM RAM, shared with other engineers' builds and tests (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "* git: $GIT_DESC; command: \`$COMMAND\`"
  [[ -n "${SRV_CMD:-}" ]] && echo "* Serving harness: \`$SRV_CMD\`"
  echo
  if [[ -f "$SRV_MD" ]]; then cat "$SRV_MD"; echo; fi
  echo "<!-- serving:end -->"
}

# Replaces section NAME of RESULTS.md (or inserts it before the notes) with FILE, keeps the rest, refreshes the notes.
replace_section() {
  local name=$1 file=$2 OLD="$ROOT/bench/RESULTS.md" NEW="$DATA/RESULTS.md.new"
  awk -v section="$file" -v begin="<!-- $name:begin -->" -v end="<!-- $name:end -->" '
    function emit() { while ((getline line < section) > 0) print line; close(section); done = 1 }
    $0 == begin { skip = 1; emit(); next }
    $0 == end { skip = 0; next }
    /^## Notes \(hand-written/ { if (!done) { emit(); print "" } exit }
    !skip { print }
  ' "$OLD" > "$NEW"
  if [[ -f "$ROOT/bench/NOTES.md" ]]; then cat "$ROOT/bench/NOTES.md" >> "$NEW"; fi
  mv "$NEW" "$OLD"
  echo "== updated the $name section of bench/RESULTS.md"
}

# ---- RESULTS.md
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
if [[ $GOV_ONLY -eq 1 && -f "$ROOT/bench/RESULTS.md" ]]; then
  governed_section > "$DATA/governed-section.md"
  replace_section governed "$DATA/governed-section.md"
  exit 0
fi
if [[ $OBJ_ONLY -eq 1 && -f "$ROOT/bench/RESULTS.md" ]]; then
  objectstore_section > "$DATA/objectstore-section.md"
  replace_section objectstore "$DATA/objectstore-section.md"
  exit 0
fi
if [[ $CAT_ONLY -eq 1 && -f "$ROOT/bench/RESULTS.md" ]]; then
  catalog_stores_section > "$DATA/catalog-stores-section.md"
  replace_section catalog-stores "$DATA/catalog-stores-section.md"
  exit 0
fi
if [[ $SRV_ONLY -eq 1 && -f "$ROOT/bench/RESULTS.md" ]]; then
  serving_section > "$DATA/serving-section.md"
  replace_section serving "$DATA/serving-section.md"
  exit 0
fi
if [[ $CMP_ONLY -eq 1 && -f "$ROOT/bench/RESULTS.md" ]]; then
  compare_section > "$DATA/compare-section.md"
  replace_section compare "$DATA/compare-section.md"
  exit 0
fi
{
  echo "# DataMesh Gateway benchmarks"
  echo
  echo "Generated by \`bench/run.sh\`; re-run it to refresh. Notes at the end are written by hand."
  echo
  echo "* Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "* Machine: $(nproc) cores ($CPU), $MEM RAM, $(uname -sr)"
  echo "* .NET: $(dotnet --version) SDK; git: $GIT_DESC"
  echo "* Command: \`$COMMAND\`"
  [[ $STREAM -eq 1 ]] && echo "* Stream harness: \`$STREAM_CMD\`"
  [[ -f "$MICRO_MD" ]] && echo "* Micro-benchmarks ($(date -u -r "$MICRO_MD" "+%Y-%m-%d %H:%M UTC")): \`dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- --filter '*'\`"
  echo
  if [[ -f "$STREAM_MD" ]]; then echo "## End-to-end streaming"; echo; cat "$STREAM_MD"; echo; fi
  if [[ $COMPARE -eq 1 || -f "$CMP_MD" ]]; then compare_section; echo; fi
  if [[ $GOVERNED -eq 1 || -f "$GOV_MD" ]]; then governed_section; echo; fi
  if [[ -f "$OBJ_MD" ]]; then objectstore_section; echo; fi
  if [[ -f "$MICRO_MD" ]]; then
    echo "## Micro-benchmarks"
    echo
    echo "CursorEncodeBenchmarks: one op = 100,000 rows from an in-memory DuckDB table through \`QueryCursor.WriteRows\` (DuckDB threads = 1) into a discarding buffer, so ns/row = Mean / 100,000."
    echo "RowBuilderBenchmarks: one op = 1,000 precomputed rows through the codecs into \`DataRowBuilder\`, so ns/row = Mean / 1,000."
    echo
    cat "$MICRO_MD"
  fi
  if [[ -f "$ROOT/bench/NOTES.md" ]]; then echo; cat "$ROOT/bench/NOTES.md"; fi
} > "$ROOT/bench/RESULTS.md"
echo "== wrote bench/RESULTS.md"

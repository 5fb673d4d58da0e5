#!/usr/bin/env bash
# The timing side channel of row-group pruning (issue 14, item 5; docs/SECURITY.md "Accepted risks").
# Against a running demo gateway (`datamesh serve --demo`), as bob in ml_research (grant: region = 'Europe'): the time
# of `count(*) WHERE amount > t` for t between the visible and the hidden maximum of amount (row groups are read)
# and for t above every row (DuckDB skips the row groups from their statistics, computed over hidden rows too).
# Both answer 0 rows; only the time differs. Usage: bench/statistics-timing/run.sh [port] [rounds]
set -euo pipefail
port=${1:-5433}
rounds=${2:-30}
export PGPASSWORD=bob
psql_bob() { psql -X -q -A -t -h 127.0.0.1 -p "$port" -U bob ml_research "$@"; }
export PGPASSWORD=alice
visible=$(PGPASSWORD=bob psql_bob -c "SELECT max(amount) FROM mkt_sls_table")
hidden=$(psql -X -q -A -t -h 127.0.0.1 -p "$port" -U alice marketing -c "SELECT max(amount) FROM mkt_sls_table")
export PGPASSWORD=bob
between=$(python3 -c "print(round(($visible + $hidden) / 2, 3))")
above=$(python3 -c "print(round($hidden + 0.01, 3))")
script=$(mktemp)
{
  echo '\timing on'
  for _ in $(seq "$rounds"); do
    echo "SELECT count(*) FROM mkt_sls_table WHERE amount > $between;"
    echo "SELECT count(*) FROM mkt_sls_table WHERE amount > $above;"
  done
} > "$script"
PGPASSWORD=bob psql -X -h 127.0.0.1 -p "$port" -U bob ml_research -f "$script" | grep '^Time:' | awk '{print $2}' > "$script.times"
python3 - "$script.times" "$visible" "$hidden" "$between" "$above" <<'PY'
import statistics, sys
times = [float(x) for x in open(sys.argv[1])]
a, b = times[0::2][2:], times[1::2][2:]   # drop two warm-up rounds
print(f"visible max {sys.argv[2]}, hidden max {sys.argv[3]}; {len(a)} rounds each")
print(f"| threshold | rows | median ms | p10 ms | p90 ms |")
print(f"|---|---:|---:|---:|---:|")
for name, t, xs in (("between visible and hidden max", sys.argv[4], a), ("above every row", sys.argv[5], b)):
    q = statistics.quantiles(xs, n=10)
    print(f"| {name} ({t}) | 0 | {statistics.median(xs):.2f} | {q[0]:.2f} | {q[-1]:.2f} |")
print(f"ratio of medians: {statistics.median(a) / statistics.median(b):.1f}x")
PY
rm -f "$script" "$script.times"

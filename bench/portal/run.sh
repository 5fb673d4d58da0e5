#!/usr/bin/env bash
# Server time of every portal page on the demo: starts the gateway (release build) with the portal on plain HTTP
# (loopback), signs in as a consumer (bob) and an owner (alice) with curl, warms each page up, then requests it
# N times (default 30) and prints p50 / p95 / max of the Server-Timing header the portal sends (request arrival to
# response headers, measured in the process) and of curl's total time. Usage: bench/portal/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-30}
dll=src/DataMesh.Gateway/bin/Release/net10.0/datamesh.dll
[ -f "$dll" ] || dotnet build DataMesh.Gateway.sln -c Release --nologo -v quiet
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000)); web=$((port + 1))
dotnet "$dll" serve --demo --data-dir "$dir/data" --listen 127.0.0.1:$port --web-listen 127.0.0.1:$web --log-format simple >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$web
for _ in $(seq 1 120); do curl -s -o /dev/null "$base/login" && break; sleep 1; done

token() { curl -s -c "$1" -b "$1" "$2" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
signin() {
  local jar="$dir/$1"
  curl -s -c "$jar" -b "$jar" -o /dev/null -X POST "$base/login?handler=Password" --data-urlencode "user=$1" --data-urlencode "password=$1" \
    --data-urlencode "__RequestVerificationToken=$(token "$jar" "$base/login")"
}
signin bob; signin alice

measure() { # user label method path [form fields...]
  local user=$1 label=$2 method=$3 path=$4; shift 4
  local jar="$dir/$user" out="$dir/times" args=()
  : >"$out"
  for i in $(seq 0 "$n"); do
    if [ "$method" = POST ]; then
      args=(-X POST --data-urlencode "__RequestVerificationToken=$(token "$jar" "$base/query")")
      for f in "$@"; do args+=(--data-urlencode "$f"); done
    fi
    local line
    line=$(curl -s -c "$jar" -b "$jar" -o /dev/null -D - -w 'TOTAL %{time_total}\n' "${args[@]}" "$base$path" | tr -d '\r' |
      awk '/^[Ss]erver-[Tt]iming:/ { split($2, a, "="); st = a[2] } /^TOTAL/ { print st, $2 * 1000 }')
    [ "$i" -gt 0 ] && echo "$line" >>"$out" # the first request warms the page up
  done
  local curl50
  curl50=$(sort -n -k2 "$out" | awk -v n="$n" 'NR == int(n * 0.5 + 0.5) { print $2 }')
  sort -n -k1 "$out" | awk -v label="$label" -v n="$n" -v c="$curl50" '{ s[NR] = $1 } END {
    printf "%-44s %8.1f %8.1f %8.1f %10.1f\n", label, s[int(n * 0.5 + 0.5)], s[int(n * 0.95 + 0.5)], s[n], c }'
}

printf "%-44s %8s %8s %8s %10s\n" "page (n=$n)" "p50 ms" "p95 ms" "max ms" "curl p50"
measure bob   "/search (browse all)"                         GET  "/search"
measure bob   "/search?q=sales revenue"                      GET  "/search?q=sales+revenue"
measure bob   "/search?q=sales&term=PII"                     GET  "/search?q=sales&term=PII"
measure bob   "/assets/marketing/mkt_sls_table (consumer)"   GET  "/assets/marketing/mkt_sls_table"
measure alice "/assets/marketing/mkt_sls_table (owner)"      GET  "/assets/marketing/mkt_sls_table"
measure alice "/requests"                                    GET  "/requests"
measure alice "/requests/2 (decision page)"                  GET  "/requests/2"
measure bob   "/projects/ml_research (member)"               GET  "/projects/ml_research"
measure bob   "/projects/marketing (non-member)"             GET  "/projects/marketing"
measure bob   "/query?project=ml_research (form)"            GET  "/query?project=ml_research"
measure bob   "POST /query: grouped count (250,000 rows)"    POST "/query" "project=ml_research" "sql=SELECT region, count(*) FROM mkt_sls_table GROUP BY region"
measure bob   "POST /query: 1,000 of 250,000 rows"           POST "/query" "project=ml_research" "sql=SELECT * FROM mkt_sls_table"
measure alice "/audit"                                       GET  "/audit"
measure alice "/audit?asset=marketing.mkt_sls_table"         GET  "/audit?asset=marketing.mkt_sls_table"
measure bob   "/notifications"                               GET  "/notifications"
measure bob   "/login"                                       GET  "/login"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

#!/usr/bin/env bash
# Builds the fuzz harness, instruments the gateway assemblies under test with SharpFuzz and runs one target
# under afl-fuzz for a number of seconds. Usage: tests/fuzz/run.sh <protocol|admin|rewrite|all> [SECONDS]
#
# The run starts from tests/fuzz/<target>/corpus (plus the target's dictionary, if any). Findings go to
# tests/fuzz/.work/<target>/findings (git-ignored). Every crash is copied to tests/fuzz/<target>/crashes/,
# where the xunit suite replays it (CorpusReplayTests), and the script exits 3 (1: the fuzzer could not run).
# Figures are printed at the end.
# Long runs: nice -n 19 tests/fuzz/run.sh rewrite 3600
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: run.sh <protocol|admin|rewrite|all> [SECONDS]}
seconds=${2:-60}

build() { dotnet build "$here/DataMesh.Gateway.Fuzz/DataMesh.Gateway.Fuzz.csproj" -c Release --nologo -v quiet -o "$1" >/dev/null; }

if [ "$target" = all ]; then
  # One build for the three runs (each target instruments its own copy).
  "$here/install.sh"
  export FUZZ_PREBUILT="$here/.work/build"
  rm -rf "$FUZZ_PREBUILT"
  build "$FUZZ_PREBUILT"
  status=0
  for t in protocol admin rewrite; do
    "$0" "$t" "$seconds" || { code=$?; [ "$code" -gt "$status" ] && status=$code; }
  done
  exit $status
fi

# Which of our assemblies each target exercises: those get the AFL edge-coverage instrumentation.
case "$target" in
  protocol) assemblies=(DataMesh.Gateway.Protocol DataMesh.Gateway.Authentication) ;;
  admin) assemblies=(DataMesh.Gateway.Sql) ;;
  rewrite) assemblies=(DataMesh.Gateway.Sql DataMesh.Gateway.Policy) ;;
  *) echo "unknown target $target (protocol, admin, rewrite)" >&2; exit 2 ;;
esac

work="$here/.work/$target"
rm -rf "$work"
mkdir -p "$work"
if [ -n "${FUZZ_PREBUILT:-}" ]; then
  cp -r "$FUZZ_PREBUILT" "$work/bin"
else
  "$here/install.sh"
  build "$work/bin"
fi
for a in "${assemblies[@]}"; do
  (cd "$here" && dotnet tool run sharpfuzz "$work/bin/$a.dll" >/dev/null)
done

dict=()
[ -f "$here/$target/$target.dict" ] && dict=(-x "$here/$target/$target.dict")

# dotnet itself is not instrumented (the instrumented assemblies report coverage through SharpFuzz's shared memory),
# and the harness never forks: skip afl's binary and core-dump checks. The timeout is generous for shared CI cores.
echo "fuzzing $target for ${seconds}s ..."
run_afl() {
  rm -rf "$work/findings"
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    afl-fuzz -i "$here/$target/corpus" -o "$work/findings" -t 10000 -m none -V "$seconds" "${dict[@]}" \
    -- dotnet "$work/bin/DataMesh.Gateway.Fuzz.dll" "$target" >"$work/afl.log" 2>&1
}
set +e
run_afl
afl_status=$?
stats="$work/findings/default/fuzzer_stats"
# Once, with a second full test run sharing the two cores, afl-fuzz aborted its dry run with "No instrumentation
# detected" for a target that ran at once when tried again alone (not understood yet). One more try, said out loud; a
# target that fails twice still fails the run.
if [ ! -f "$stats" ] && grep -q "No instrumentation detected" "$work/afl.log"; then
  echo "afl-fuzz saw no instrumentation in its dry run of $target; trying once more" >&2
  run_afl
  afl_status=$?
fi
set -e
if [ ! -f "$stats" ]; then
  echo "afl-fuzz did not run ($afl_status); its log:" >&2
  tail -40 "$work/afl.log" >&2
  exit 1
fi

stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=0
shopt -s nullglob
for f in "$work"/findings/default/crashes/id:*; do
  mkdir -p "$here/$target/crashes"
  cp "$f" "$here/$target/crashes/crash-$(sha1sum "$f" | cut -c1-16).bin"
  crashes=$((crashes + 1))
done
echo "fuzz $target: $(stat execs_done) executions in $(stat run_time)s ($(stat execs_per_sec)/s), corpus $(stat corpus_count), crashes $crashes, hangs $(stat saved_hangs), edges $(stat edges_found)/$(stat total_edges)"
if [ "$crashes" -gt 0 ]; then
  echo "fuzz $target: $crashes crash(es) copied to tests/fuzz/$target/crashes/; replay one with" >&2
  echo "  dotnet $work/bin/DataMesh.Gateway.Fuzz.dll $target < tests/fuzz/$target/crashes/<file>" >&2
  exit 3
fi

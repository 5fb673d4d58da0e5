#!/usr/bin/env bash
# After a run of tests/fuzz/run.sh TARGET: minimises that run's queue with afl-cmin (inputs that add no new coverage
# are dropped) and adds what is left to tests/fuzz/TARGET/corpus as found-<hash> files. The hand-written seeds stay.
# Usage: tests/fuzz/merge-corpus.sh <protocol|admin|rewrite>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: merge-corpus.sh <protocol|admin|rewrite>}
work="$here/.work/$target"
[ -d "$work/findings/default/queue" ] || { echo "no run of $target in $work; run tests/fuzz/run.sh $target first" >&2; exit 1; }
rm -rf "$work/cmin"
AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 afl-cmin -i "$work/findings/default/queue" -o "$work/cmin" -t 10000 -m none \
  -- "$(command -v dotnet)" "$work/bin/DataMesh.Gateway.Fuzz.dll" "$target" >"$work/cmin.log" 2>&1
added=0
for f in "$work"/cmin/*; do
  case "$(basename "$f")" in *orig:*) continue ;; esac  # a seed that is already in the corpus
  name="found-$(sha1sum "$f" | cut -c1-16)"
  [ -e "$here/$target/corpus/$name" ] && continue
  cp "$f" "$here/$target/corpus/$name"
  added=$((added + 1))
done
echo "corpus $target: $added input(s) added, $(ls "$here/$target/corpus" | wc -l) in all"

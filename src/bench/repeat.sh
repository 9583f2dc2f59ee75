#!/usr/bin/env bash
# Runs src/bench/run.sh N times back to back (the issue's targets must hold in three consecutive runs), keeping
# each run's results in target/bench/run-1 .. run-N (results.md, rows, targets.json and the small files; the
# request lists and access logs, hundreds of MB a run, are removed), then writes target/bench/summary.md: per row
# the range of req/s and of its ratio, and each target's figure and PASS/FAIL in every run.
#
#   src/bench/repeat.sh 3       # ~36 minutes; the same environment variables as run.sh
set -euo pipefail

RUNS=${1:?usage: repeat.sh N}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/target/bench
DIRS=()
for i in $(seq "$RUNS"); do
  RUN_DIR=$OUT/run-$i
  rm -rf "$RUN_DIR"
  printf 'run %s of %s...\n' "$i" "$RUNS" >&2
  BENCH_OUT=$RUN_DIR "$ROOT/src/bench/run.sh" >/dev/null
  find "$RUN_DIR" -type f -size +1M -delete
  DIRS+=("$RUN_DIR")
done
python3 "$ROOT/src/bench/report.py" summary "${DIRS[@]}" >"$OUT/summary.md"
cat "$OUT/summary.md"

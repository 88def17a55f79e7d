#!/usr/bin/env bash
# Where one micro-benchmark's time goes, for ours and for the faster peer:
# `perf record` of the micro-bench child process (one contestant, one
# benchmark, one second of timed runs, pinned to core 1), then its busiest
# functions. BENCH picks the benchmark (default spawn_many, where ours is
# furthest behind in the committed run), CONTESTANTS the contestants.
#
# Usage, from the workspace root (perf, as root or with a low
# kernel.perf_event_paranoid; about ten seconds):
#   chapters/11-performance/profile/micro-perf.sh
# It builds what it runs and writes chapters/11-performance/output/micro-perf.txt.
set -euo pipefail
[[ $# -eq 0 ]] || { echo "usage: chapters/11-performance/profile/micro-perf.sh" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
command -v perf >/dev/null || { echo "micro-perf.sh: perf is not installed" >&2; exit 1; }
cargo build --release -q --locked -p performance --bin micro-bench
target=${CARGO_TARGET_DIR:-target}
bin=$(cd "$target" && pwd)/release
bench=${BENCH:-spawn_many}
contestants=${CONTESTANTS:-ours smol}
out=chapters/11-performance/output/micro-perf.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo "micro-perf.sh: perf record of micro-bench --child CONTESTANT --bench $bench --budget 1, pinned to core 1"
  echo "$(uname -sr); started $(date -u '+%Y-%m-%d %H:%M:%S UTC'); the busiest functions, share of all samples"
  for contestant in $contestants; do
    echo
    echo "== $contestant"
    taskset -c 1 perf record -q -o "$work/perf.data" \
      "$bin/micro-bench" --child "$contestant" --bench "$bench" --budget 1 >/dev/null 2>&1
    perf report -i "$work/perf.data" --no-children --sort sym --stdio 2>/dev/null >"$work/report.txt"
    awk '/^ +[0-9]/ && shown++ < 12' "$work/report.txt"
  done
} >"$work/micro-perf.txt"
mv "$work/micro-perf.txt" "$out"
echo "micro-perf.sh: wrote $out"

#!/usr/bin/env bash
# Regenerates every table and chart of chapter 11 from the code as it is:
# the echo servers' table and chart, the latency curve and the CPU headline
# (echo-bench --mode full), the executor micro-benchmarks (micro-bench
# --mode full), the system-call counts (profile/syscalls.sh) and the CPU
# profiles of the servers (profile/perf.sh) and of one micro-benchmark
# (profile/micro-perf.sh), all into chapters/11-performance/output. Run it
# from the workspace root on a machine doing nothing else (about 20 minutes
# on two cores); the last three need perf, and permission to read tracepoints
# and to sample another process (root, or a low kernel.perf_event_paranoid).
#
#   chapters/11-performance/reproduce.sh
#
# The files whose names say `before` record runs of earlier commits, each
# with its command in its first lines; they are history, and this script
# leaves them alone.
set -euo pipefail
[[ $# -eq 0 ]] || { echo "usage: chapters/11-performance/reproduce.sh" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=chapters/11-performance/output
cargo build --release --locked -p performance --bins
bin=${CARGO_TARGET_DIR:-target}/release
"$bin/echo-bench" --mode full --out "$out"
"$bin/micro-bench" --mode full --out "$out"
chapters/11-performance/profile/syscalls.sh
chapters/11-performance/profile/perf.sh
chapters/11-performance/profile/micro-perf.sh

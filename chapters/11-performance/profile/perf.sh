#!/usr/bin/env bash
# Where each server's CPU time goes, by sampling: `perf record -e cpu-clock`
# on the server process for two seconds of TCP load (64 connections,
# 512-byte messages, chapter 6's `tcp-echo-client`), then the share of
# samples per binary (the kernel, the server, libc), the busiest functions,
# and the busiest in the server's own code.
#
# Usage, from the workspace root (as root, or with
# kernel.perf_event_paranoid low enough to profile another process; about
# fifteen seconds):
#   chapters/11-performance/profile/perf.sh
# It builds what it runs and writes chapters/11-performance/output/perf.txt,
# which opens with what was run, where and when. SERVERS="ours tokio" picks
# servers.
set -euo pipefail
[[ $# -eq 0 ]] || { echo "usage: chapters/11-performance/profile/perf.sh" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
command -v perf >/dev/null || { echo "perf.sh: perf is not installed" >&2; exit 1; }
perf record -q -e cpu-clock -o /dev/null true >/dev/null 2>&1 || {
  echo "perf.sh: perf cannot sample here (run as root, or lower kernel.perf_event_paranoid)" >&2
  exit 1
}
cargo build --release -q --locked -p performance --bin bench-server -p tcp-echo --bin tcp-echo-client
target=${CARGO_TARGET_DIR:-target}
bin=$(cd "$target" && pwd)/release
out=chapters/11-performance/output/perf.txt
servers=${SERVERS:-ours ours-threaded tokio mio}
work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -z $server_pid ]] || kill -KILL "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# The first N rows of a perf report of the last recording (awk reads it all:
# no early exit for pipefail to trip on).
top() {
  local n=$1
  shift
  perf report -i "$work/perf.data" "$@" --stdio 2>/dev/null >"$work/report.txt"
  awk -v n="$n" '/^ +[0-9]/ && shown++ < n' "$work/report.txt"
}

{
  echo "perf.sh: perf record -e cpu-clock -F 4999 -p SERVER for 2 s of TCP load (tcp-echo-client, 64 connections x 512 B)"
  echo "server pinned to core 1, client to core 0; $(uname -sr); started $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo
  for server in $servers; do
    coproc SERVER { exec taskset -c 1 "$bin/bench-server" --runtime "$server" --proto tcp --addr 127.0.0.1:0; }
    server_pid=$SERVER_PID
    read -r line <&"${SERVER[0]}"
    addr=${line#listening on }
    perf record -q -e cpu-clock -F 4999 -p "$server_pid" -o "$work/perf.data" 2>/dev/null &
    perf_pid=$!
    sleep 0.3
    taskset -c 0 "$bin/tcp-echo-client" --addr "$addr" --connections 64 --size 512 --duration 2 >/dev/null
    kill -INT "$perf_pid"; wait "$perf_pid" || true
    kill -KILL "$server_pid"; wait "$server_pid" 2>/dev/null || true
    server_pid=
    echo "== $server: samples by binary; the busiest functions; the busiest in bench-server itself"
    top 3 --sort dso
    top 4 --sort dso,sym
    top 4 --dso bench-server --sort sym
    echo
  done
} > "$work/perf.txt"
mv "$work/perf.txt" "$out"
echo "perf.sh: wrote $out"

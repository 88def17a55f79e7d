#!/usr/bin/env bash
# Where each server's CPU time goes, by sampling: `perf record -e cpu-clock`
# on the server process for two seconds of TCP load (64 connections,
# 512-byte messages), then the share of samples per binary (the kernel, the
# server, libc) and the busiest functions. Needs perf (root, or
# kernel.perf_event_paranoid low enough to profile another process).
#
#   cargo build --release -p performance -p tcp-echo
#   bash chapters/11-performance/profile/perf.sh > chapters/11-performance/output/perf.txt
set -eu
bin=${CARGO_TARGET_DIR:-$(dirname "$0")/../../../target}/release
servers=${SERVERS:-ours ours-threaded tokio mio}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for server in $servers; do
  coproc SERVER { exec taskset -c 1 "$bin/bench-server" --runtime "$server" --proto tcp --addr 127.0.0.1:0; }
  read -r line <&"${SERVER[0]}"
  addr=${line#listening on }
  pid=$SERVER_PID
  perf record -q -e cpu-clock -F 4999 -p "$pid" -o "$work/perf.data" 2>/dev/null &
  perf_pid=$!
  sleep 0.3
  taskset -c 0 "$bin/tcp-echo-client" --addr "$addr" --connections 64 --size 512 --duration 2 >/dev/null
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "== $server: samples by binary; the busiest functions; the busiest in bench-server itself"
  perf report -i "$work/perf.data" --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -n 3
  perf report -i "$work/perf.data" --sort dso,sym --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -n 4
  perf report -i "$work/perf.data" --dso bench-server --sort sym --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -n 4
  echo
done

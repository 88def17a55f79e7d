#!/usr/bin/env bash
# System calls and context switches per round trip, for each server, counted
# by the kernel's own tracepoints (`perf stat -e syscalls:...`), which cost
# far less than strace's stop-at-every-call and so barely change the timing
# they measure. Needs perf and permission to use tracepoints (root, or
# kernel.perf_event_paranoid <= -1). The `malloc` column counts calls to
# libc's malloc through an uprobe, if one exists; as root, make it with
#   perf probe -x /lib/x86_64-linux-gnu/libc.so.6 --add malloc
#
#   cargo build --release -p performance -p tcp-echo -p udp-echo
#   bash chapters/11-performance/profile/syscalls.sh > chapters/11-performance/output/syscalls.txt
set -eu
bin=${CARGO_TARGET_DIR:-$(dirname "$0")/../../../target}/release
servers=${SERVERS:-ours ours-before ours-threaded tokio mio}
events=syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,context-switches
if perf list 2>/dev/null | grep -q probe_libc:malloc; then events=$events,probe_libc:malloc; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-8s %-16s %9s %9s %9s %9s %9s %9s %9s %9s\n' proto server "rt" recvfrom "(EAGAIN)" sendto epoll_wait futex "ctx sw" malloc
for proto in tcp udp; do
  for server in $servers; do
    coproc SERVER { exec taskset -c 1 "$bin/bench-server" --runtime "$server" --proto "$proto" --addr 127.0.0.1:0; }
    read -r line <&"${SERVER[0]}"
    addr=${line#listening on }
    pid=$SERVER_PID
    perf stat -x, -e "$events" -e syscalls:sys_exit_recvfrom --filter 'ret == -11' \
      -p "$pid" -o "$work/perf" &
    perf_pid=$!
    sleep 0.3
    if [ "$proto" = tcp ]; then
      rt=$(taskset -c 0 "$bin/tcp-echo-client" --addr "$addr" --connections 64 --size 512 \
        --duration 2 --json | sed -E 's/.*"round_trips":([0-9]+).*/\1/')
    else
      rt=$(taskset -c 0 "$bin/udp-echo-client" --addr "$addr" --concurrency 64 --size 512 \
        --count 200000 | sed -nE 's/.*received ([0-9]+).*/\1/p')
    fi
    kill -INT "$perf_pid"; wait "$perf_pid" || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
    count() { awk -F, -v e="$1" '$3 == e { print $1 }' "$work/perf" | head -n "${2:-1}" | tail -n 1; }
    per() { awk -v n="$1" -v r="$rt" 'BEGIN { printf "%9.3f", n / r }'; }
    printf '%-8s %-16s %9d %s %s %s %s %s %s %s\n' "$proto" "$server" "$rt" \
      "$(per "$(count syscalls:sys_enter_recvfrom)")" \
      "$(per "$(count syscalls:sys_exit_recvfrom)")" \
      "$(per "$(count syscalls:sys_enter_sendto)")" \
      "$(per "$(count syscalls:sys_enter_epoll_wait)")" \
      "$(per "$(count syscalls:sys_enter_futex)")" \
      "$(per "$(count context-switches)")" \
      "$(per "$(count probe_libc:malloc)")"
  done
done
echo "(per round trip; 64 connections or flows, 512-byte messages, one in flight each; server on core 1)"

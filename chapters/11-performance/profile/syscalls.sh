#!/usr/bin/env bash
# System calls and context switches per round trip, for each server, while
# the harness's own load generator (`echo-load`: the same generators and
# settings as `echo-bench`) drives it. Counted by the kernel's tracepoints
# (`perf stat -e syscalls:...`), which cost far less than strace's
# stop-at-every-call and so barely change what they count. Each server is
# run REPEATS times (default 3); a cell is the median per round trip over
# those runs, with their minimum and maximum.
#
# Usage, from the workspace root (as root, or with
# kernel.perf_event_paranoid <= -1; about two minutes):
#   chapters/11-performance/profile/syscalls.sh [REPEATS]
# It builds what it runs (`cargo build --release -p performance --bins`) and
# writes chapters/11-performance/output/syscalls.txt. SERVERS="ours tokio"
# picks servers; SCENARIOS="tcp:64x512x1" picks load shapes.
set -euo pipefail
usage="usage: chapters/11-performance/profile/syscalls.sh [REPEATS]"
repeats=${1:-3}
[[ $# -le 1 && $repeats =~ ^[1-9][0-9]?$ ]] || { echo "$usage" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
command -v perf >/dev/null || { echo "syscalls.sh: perf is not installed" >&2; exit 1; }
perf stat -e raw_syscalls:sys_enter true >/dev/null 2>&1 || {
  echo "syscalls.sh: perf cannot read tracepoints here (run as root, or lower kernel.perf_event_paranoid)" >&2
  exit 1
}
cargo build --release -q -p performance --bins
target=${CARGO_TARGET_DIR:-target}
bin=$(cd "$target" && pwd)/release
out=chapters/11-performance/output/syscalls.txt
servers=${SERVERS:-ours ours-before ours-threaded tokio tokio-mt1 tokio-mt2 mio uring uring-coop uring-defer uring-pollfirst}
scenarios=${SCENARIOS:-tcp:64x512x1 udp:64x512x1}
# Column names and the events behind them (epoll: either form of the wait).
names=(all recvfrom EAGAIN sendto epoll io_uring futex ctx-sw)
events=raw_syscalls:sys_enter,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto
events=$events,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait
events=$events,syscalls:sys_enter_io_uring_enter,syscalls:sys_enter_futex,context-switches
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# One run: start the server, attach perf, load it, and append one line to
# $work/raw: proto server served all recvfrom EAGAIN sendto epoll uring futex cs.
run_one() {
  local scenario=$1 server=$2 proto=${1%%:*} pin=(taskset -c 1)
  # tokio-mt2's second worker needs a core of its own, as in echo-bench.
  [ "$server" = tokio-mt2 ] && pin=()
  coproc SERVER { exec "${pin[@]}" "$bin/bench-server" --runtime "$server" --proto "$proto" --addr 127.0.0.1:0; }
  server_pid=$SERVER_PID
  local line
  read -r -t 10 line <&"${SERVER[0]}" || { echo "syscalls.sh: $server did not start" >&2; exit 1; }
  perf stat -x, -e "$events" -e syscalls:sys_exit_recvfrom --filter 'ret == -11' \
    -p "$server_pid" -o "$work/perf" &
  local perf_pid=$!
  sleep 0.3
  local load
  load=$(timeout 30 taskset -c 0 "$bin/echo-load" --addr "${line#listening on }" --scenario "$scenario")
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  kill -KILL "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  local served=${load#served }
  served=${served%% *}
  awk -F, -v p="$scenario" -v s="$server" -v n="$served" '
    { count[$3] = $1 }
    $3 == "syscalls:sys_exit_recvfrom" { eagain = $1 }
    END {
      epoll = count["syscalls:sys_enter_epoll_wait"] + count["syscalls:sys_enter_epoll_pwait"]
      print p, s, n, count["raw_syscalls:sys_enter"], count["syscalls:sys_enter_recvfrom"], \
        eagain, count["syscalls:sys_enter_sendto"], epoll, \
        count["syscalls:sys_enter_io_uring_enter"], count["syscalls:sys_enter_futex"], \
        count["context-switches"]
    }' "$work/perf" >>"$work/raw"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Interleaved, as echo-bench runs: every server once per repeat.
for rep in $(seq "$repeats"); do
  for scenario in $scenarios; do
    for server in $servers; do
      case "$scenario:$server" in udp*:uring*) continue ;; esac
      echo "syscalls.sh: $scenario $server, run $rep of $repeats" >&2
      run_one "$scenario" "$server"
    done
  done
done

{
  echo "syscalls.sh: $repeats runs of each server, interleaved; $(uname -sr); load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
  echo "load: echo-load (echo-bench's generators), 0.3 s warm-up + 1 s, on core 0; server on core 1 (tokio-mt2: any core)"
  echo "per round trip, median (min-max) over the runs; all = every system call; EAGAIN = recvfrom that returned it; epoll = epoll_wait + epoll_pwait"
  awk -v names="${names[*]}" '
    function cell(key, col,   n, i, j, t, v) {
      n = split(vals[key, col], v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
      return sprintf("%.3f (%.3f-%.3f)", (n % 2 ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2), v[1], v[n])
    }
    {
      key = $1 " " $2
      if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
      for (c = 4; c <= NF; c++) vals[key, c] = vals[key, c] " " ($3 ? $c / $3 : 0)
    }
    END {
      k = split(names, name, " ")
      printf "%-14s %-14s", "load", "server"
      for (c = 1; c <= k; c++) printf " %-21s", name[c]
      printf "\n"
      for (i = 1; i <= keys; i++) {
        split(order[i], kv, " ")
        printf "%-14s %-14s", kv[1], kv[2]
        for (c = 4; c < 4 + k; c++) printf " %-21s", cell(order[i], c)
        printf "\n"
      }
    }' "$work/raw" | sed 's/ *$//'
} >"$out"
cat "$out"

#!/usr/bin/env bash
# Runs a command while other processes keep the machine's cores busy, the way
# a reader's laptop or a shared CI runner is busy: every test in the README's
# test command must pass like this (no test may depend on having a core to
# itself).
#
#   tools/busy-cores.sh [-n LOOPS] [-s SECONDS] -- COMMAND [ARGS...]
#   tools/busy-cores.sh [-n LOOPS] [-s SECONDS]      # just keep the cores busy
#
# LOOPS busy loops (default 2, one per core of a 2-core machine) run beside
# COMMAND. Each is bounded: it stops by itself after SECONDS (default 3600),
# and all of them are killed as soon as COMMAND ends, or on Ctrl-C. The
# script exits with COMMAND's status.
set -euo pipefail

loops=2
seconds=3600
while [ $# -gt 0 ]; do
    case "$1" in
        -n) loops="$2"; shift 2 ;;
        -s) seconds="$2"; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) break ;;
    esac
done

pids=()
stop() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

for _ in $(seq "$loops"); do
    # `timeout` bounds each loop even if this script is killed with SIGKILL
    # and never runs its trap.
    timeout "$seconds" bash -c 'while :; do :; done' &
    pids+=("$!")
done
echo "busy-cores: ${#pids[@]} busy loops (pids ${pids[*]}) for at most ${seconds}s" >&2

if [ $# -eq 0 ]; then
    wait "${pids[@]}" || true
    exit 0
fi
status=0
"$@" || status=$?
exit "$status"

#!/usr/bin/env bash
# Runs `cutover worker` from this checkout in the background (pid and log in .data/), if it is not
# already up. It gets your environment as it is (CUTOVER_PLAN_DIR, TEMPORAL_ADDRESS, …) and your
# working directory, which is its plan folder when CUTOVER_PLAN_DIR is unset.
#   scripts/worker.sh        start      scripts/worker.sh stop
#   scripts/worker.sh --host NAME [stop]   a host agent: polls only cutover-host-NAME (its own pid and log)
# "worker polling" is reported only when THIS process says so (its pid in the log line, in the
# part of the log written after it started); if it exits first, its own error is printed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
host=""
if [ "${1:-}" = "--host" ]; then host="${2:?--host needs a name}"; shift 2; fi
suffix="${host:+-host-$host}"
queue="cutover${host:+-host-$host}"
pidfile="$root/.data/worker$suffix.pid"
log="$root/.data/worker$suffix.log"
mkdir -p "$root/.data"
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

if [ "${1:-}" = "stop" ]; then
  if running; then kill -TERM "$(cat "$pidfile")"; rm -f "$pidfile"; echo "worker stopped"; fi
  exit 0
fi
if running; then echo "worker already running (pid $(cat "$pidfile"))"; exit 0; fi
# The "worker polling" line is logged at info: a quieter level would hide the very line we wait for.
case "${CUTOVER_LOG_LEVEL:-info}" in warn | error | fatal | silent) export CUTOVER_LOG_LEVEL=info ;; esac
# The processes its steps start are recorded in .data/ beside its log, wherever it is started from.
export CUTOVER_RUN_DIR="${CUTOVER_RUN_DIR:-$root/.data/run}"
touch "$log"
offset=$(($(wc -c <"$log") + 1)) # only what this start writes counts
# node itself runs bin/cutover: the pid recorded is the process that logs its pid.
CUTOVER_LOG_PRETTY=0 nohup node "$root/bin/cutover" worker ${host:+--host "$host"} >>"$log" 2>&1 &
pid=$!
echo "$pid" >"$pidfile"
fresh() { tail -c +"$offset" "$log" 2>/dev/null; }
for _ in $(seq 1 450); do # bundling the workflows takes a while on a busy host
  if fresh | grep '"worker polling"' | grep -q "\"pid\":$pid[,}]"; then
    echo "worker polling task queue $queue (pid $pid, log: ${log#"$root/"})"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pidfile"
    echo "worker (pid $pid) exited before polling; its output:" >&2
    fresh | tail -25 >&2
    exit 1
  fi
  sleep 0.2
done
echo "worker (pid $pid) did not start polling within 90 s; its output so far:" >&2
fresh | tail -25 >&2
exit 1

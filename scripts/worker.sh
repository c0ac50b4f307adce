#!/usr/bin/env bash
# Runs the cutover worker in the background (pid and log in .data/), if it is not already up.
#   scripts/worker.sh        start      scripts/worker.sh stop
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pidfile="$root/.data/worker.pid"
log="$root/.data/worker.log"
mkdir -p "$root/.data"
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

if [ "${1:-}" = "stop" ]; then
  if running; then kill -TERM "$(cat "$pidfile")"; rm -f "$pidfile"; echo "worker stopped"; fi
  exit 0
fi
if running; then echo "worker already running (pid $(cat "$pidfile"))"; exit 0; fi
cd "$root"
CUTOVER_PLAN_DIR="$root" CUTOVER_LOG_PRETTY=0 nohup node_modules/.bin/tsx worker/main.ts >>"$log" 2>&1 &
echo $! >"$pidfile"
for _ in $(seq 1 150); do
  grep -q '"worker polling"' "$log" 2>/dev/null && { echo "worker polling task queue cutover (log: .data/worker.log)"; exit 0; }
  running || { echo "worker exited; see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 0.2
done
echo "worker did not start polling within 30 s; see $log" >&2
exit 1

#!/usr/bin/env bash
# Starts the Temporal dev server (official CLI) in the background, if it is not already up:
# SQLite file in .data/, frontend on :7233, Web UI on :8233, our search attributes and lock namespace registered.
# Prints the UI address. Stop it with: scripts/dev-server.sh stop
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
temporal="$root/.tools/bin/temporal"
data="$root/.data"
port="${TEMPORAL_PORT:-7233}"
ui_port="${TEMPORAL_UI_PORT:-8233}"
pidfile="$data/temporal-dev.pid"
mkdir -p "$data"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

if [ "${1:-}" = "stop" ]; then
  if running; then kill "$(cat "$pidfile")"; rm -f "$pidfile"; echo "dev server stopped"; fi
  exit 0
fi

[ -x "$temporal" ] || "$root/scripts/install-tools.sh" --no-java

if ! running; then
  # Keep in step with domain/names.ts SEARCH_ATTRIBUTES; default-locks: domain/lock-keys.ts.
  nohup "$temporal" server start-dev \
    --db-filename "$data/temporal.db" \
    --namespace default-locks \
    --ip 127.0.0.1 --port "$port" --ui-port "$ui_port" \
    --search-attribute CutoverPhase=Keyword \
    --search-attribute CutoverStatus=Keyword \
    --search-attribute CutoverPlan=Keyword \
    --log-level warn >"$data/temporal-dev.log" 2>&1 &
  echo $! >"$pidfile"
fi

for _ in $(seq 1 100); do
  if "$temporal" operator cluster health --address "127.0.0.1:$port" >/dev/null 2>&1; then
    echo "Temporal dev server on 127.0.0.1:$port, Web UI http://localhost:$ui_port"
    echo "for UI links from cutover: export CUTOVER_UI_URL=http://localhost:$ui_port"
    exit 0
  fi
  running || { echo "dev server exited; see $data/temporal-dev.log" >&2; tail -20 "$data/temporal-dev.log" >&2; exit 1; }
  sleep 0.2
done
echo "dev server did not answer on :$port within 20 s; see $data/temporal-dev.log" >&2
exit 1

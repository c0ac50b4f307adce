#!/usr/bin/env bash
# The demo's real components, started from this repo and kept under .data/demo/ (never system
# services): PostgreSQL (the warehouse V1 and V2 publish their KPI results into) and Prometheus
# (scraping V1 and V2). Idempotent: a running component is left as it is.
#   scripts/components.sh start    init (first time) and start both, wait until they answer
#   scripts/components.sh stop     stop both
#   scripts/components.sh status   one line each
#   scripts/components.sh env      the variables the worker and the services read (eval it)
# Ports (loopback only): PostgreSQL DEMO_PG_PORT (5433), Prometheus DEMO_PROM_PORT (9091);
# data, logs and pid files in DEMO_COMPONENTS_DIR (.data/demo). PostgreSQL's cluster: DEMO_PG_DIR,
# by default DEMO_COMPONENTS_DIR/postgres, or as root /var/tmp/cutover-demo-postgres-<hash>: as
# root it runs as the postgres user, which may not reach this clone (scripts/postgres-runtime.sh).
# The demo services are scraped at 127.0.0.1:8101 (job loans-v1) and :8102 (job loans-v2): the
# job is the plan's service name, so a check selects a version with job="{{ service }}".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${DEMO_COMPONENTS_DIR:-$root/.data/demo}" # another folder for a test run
pg_port="${DEMO_PG_PORT:-5433}"
prom_port="${DEMO_PROM_PORT:-9091}"
if [ "$(id -u)" = 0 ]; then
  pg_dir="${DEMO_PG_DIR:-/var/tmp/cutover-demo-postgres-$(printf %s "$base" | sha256sum | cut -c1-12)}"
else
  pg_dir="${DEMO_PG_DIR:-$base/postgres}"
fi
prom_dir="$base/prometheus"
# a local demo cluster on loopback: the password only keeps the URL realistic
pg_url="postgres://postgres:demo@127.0.0.1:$pg_port/postgres"
prom_url="http://127.0.0.1:$prom_port"
say() { printf '[components] %s\n' "$*" >&2; }

# the folder of the binaries to run (the first of the three lines it prints)
pg_runtime() { local out; out="$("$root/scripts/postgres-runtime.sh" "$pg_dir")" && echo "${out%%$'\n'*}"; }
# `start` prepares the binaries, `status` and `stop` only look them up
pg_bin() {
  if [ "$(id -u)" = 0 ]; then echo "$pg_dir/pgsql/bin"; else pg_runtime; fi
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# tells "the port is taken by something else" from the component's own failure
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
prom_pid() { [ -f "$prom_dir/pid" ] && kill -0 "$(cat "$prom_dir/pid")" 2>/dev/null && cat "$prom_dir/pid"; }

start_postgres() {
  local bin
  if ! bin="$(pg_runtime)"; then
    say "PostgreSQL cannot start: fix what is said above, or set DEMO_PG_DIR to another folder for its cluster"
    exit 1
  fi
  if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    say "initialising the demo PostgreSQL cluster in $pg_dir/data"
    rm -rf "$pg_dir/data"
    echo demo >"$pg_dir/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir/pwfile"
    if ! as_pg "$bin/initdb" --pgdata="$pg_dir/data" --auth=scram-sha-256 --username=postgres \
      --pwfile="$pg_dir/pwfile" --encoding=UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1; then
      rm -rf "$pg_dir/data" "$pg_dir/pwfile"
      say "PostgreSQL: initdb failed in $pg_dir/data; its output ($pg_dir/initdb.log):"
      tail -20 "$pg_dir/initdb.log" >&2
      say "fix: what it says, then run this again (it makes a new cluster)"
      exit 1
    fi
    rm -f "$pg_dir/pwfile"
  fi
  if as_pg "$bin/pg_ctl" status -D "$pg_dir/data" >/dev/null 2>&1; then return; fi
  say "starting PostgreSQL on 127.0.0.1:$pg_port"
  if ! as_pg "$bin/pg_ctl" start -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir" >/dev/null; then
    say "PostgreSQL did not start on 127.0.0.1:$pg_port; its log ($pg_dir/postgres.log):"
    tail -20 "$pg_dir/postgres.log" >&2
    if port_taken "$pg_port"; then
      say "fix: something else listens on 127.0.0.1:$pg_port: stop it, or set DEMO_PG_PORT to a free port"
    else
      say "fix: what the log says; to start from a fresh cluster, remove $pg_dir/data"
    fi
    exit 1
  fi
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
  say "Prometheus did not become ready on $prom_url; its log ($prom_dir/prometheus.log):"
  tail -20 "$prom_dir/prometheus.log" >&2
  prom_pid >/dev/null && kill -TERM "$(cat "$prom_dir/pid")"
  rm -f "$prom_dir/pid"
  if port_taken "$prom_port"; then
    say "fix: something else listens on 127.0.0.1:$prom_port: stop it, or set DEMO_PROM_PORT to a free port"
  else
    say "fix: what the log says"
  fi
  exit 1
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
    if [ -f "$pg_dir/data/PG_VERSION" ] && as_pg "$(pg_bin)/pg_ctl" status -D "$pg_dir/data" >/dev/null 2>&1; then
      echo "postgresql: running on 127.0.0.1:$pg_port (cluster $pg_dir)"
    else
      echo "postgresql: stopped (cluster $pg_dir)"
    fi
    if pid="$(prom_pid)"; then echo "prometheus: running on $prom_url (pid $pid)"; else echo "prometheus: stopped"; fi ;;
  env) printf 'export DEMO_WAREHOUSE_URL=%q\nexport DEMO_PROMETHEUS_URL=%q\n' "$pg_url" "$prom_url" ;;
  *) echo "usage: scripts/components.sh start|stop|status|env" >&2; exit 2 ;;
esac

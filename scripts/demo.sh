#!/usr/bin/env bash
# The main job: a full demo cutover of the loans-analytics pipeline, V1 → V2.
# Installs what is missing, starts the Temporal dev server (UI :8233) and the worker, starts
# V1 on :8101 behind HAProxy on :8100 (demo/router/haproxy.cfg; V2 :8102 waits there in
# maintenance), then runs `cutover start demo/cutover-plan.yaml --auto-approve --watch` with a
# steady load through :8100 (bench/load-generator.ts) and prints what the clients saw.
#   scripts/demo.sh               the cutover; ends STATUS: SUCCESS with V2 serving
#   scripts/demo.sh --fault       V2 drifts after activation; ends ROLLED_BACK with V1 serving
#   scripts/demo.sh stop          stops the demo services, the worker, the dev server, PostgreSQL and Prometheus
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
plan=demo/cutover-plan.yaml
cutover() { bin/cutover "$@"; }
# A previous demo's 24-hour monitoring would see V2 stop below and roll back: end it first.
end_monitoring() {
  .tools/bin/temporal workflow terminate --query 'WorkflowType="monitoringWorkflow" AND ExecutionStatus="Running"' \
    --reason "demo reset" --yes >/dev/null 2>&1 || true
}

router_dir=.data/demo/router
public=http://127.0.0.1:8100
stop_router() {
  if [ -f "$router_dir/haproxy.pid" ]; then kill "$(cat "$router_dir/haproxy.pid")" 2>/dev/null || true; rm -f "$router_dir/haproxy.pid"; fi
}
# Our own HAProxy (its config, pid and socket under .data/demo/router), never the system service;
# restarted each run so V1 serves and V2 is in maintenance, as before any cutover.
start_router() {
  local haproxy; haproxy="$(command -v haproxy || echo /usr/sbin/haproxy)"
  [ -x "$haproxy" ] || { echo "haproxy is missing: run scripts/install-tools.sh as root (or apt-get install haproxy)"; exit 1; }
  stop_router
  mkdir -p "$router_dir"
  "$haproxy" -c -q -f demo/router/haproxy.cfg
  "$haproxy" -D -f demo/router/haproxy.cfg
  for _ in $(seq 1 50); do curl -s -o /dev/null "$public/health" && return; sleep 0.1; done
  echo "HAProxy did not open $public"; exit 1
}

if [ "${1:-}" = "stop" ]; then
  end_monitoring
  stop_router
  cutover service stop "$plan" v1 || true
  cutover service stop "$plan" v2 || true
  scripts/worker.sh stop
  scripts/dev-server.sh stop
  scripts/components.sh stop
  exit 0
fi

scripts/install-tools.sh --no-java
# PostgreSQL (:5433, the warehouse V1/V2 publish their KPIs into) and Prometheus (:9091,
# scraping both); their URLs are exported before the worker starts, so the worker's checks and
# the services it starts (they inherit its environment) see them.
scripts/components.sh start
eval "$(scripts/components.sh env)"
scripts/dev-server.sh
export CUTOVER_UI_URL="${CUTOVER_UI_URL:-http://localhost:${TEMPORAL_UI_PORT:-8233}}"  # for the links cutover prints
scripts/worker.sh stop >/dev/null   # a worker left from an older checkout would run old code
scripts/worker.sh
end_monitoring

if [ ! -f .data/demo/data/manifest.json ]; then
  echo "generating the demo loan portfolio (100,000 loans)"
  node_modules/.bin/tsx demo/generate.ts --rows 100000 --seed 42 --out .data/demo/data --csv always >/dev/null
fi
# The starting point of a cutover: V1 serving, V2 not running, traffic on V1.
cutover service stop "$plan" v2 >/dev/null
cutover service start "$plan" v1
start_router
echo "public address (HAProxy): $public — V1 :8101 serving, V2 :8102 in maintenance"
# Steady user load (the KPI route) through the router for the whole cutover: every failed request
# by kind, and the traffic the error-rate check counts.
node_modules/.bin/tsx bench/load-generator.ts --url "$public/kpis" --seconds 900 --rate 50 >.data/demo/load.txt 2>&1 &
load_pid=$!

id="cutover-loans-demo-$(date -u +%Y%m%d-%H%M%S)"
if [ "${1:-}" = "--fault" ]; then
  # Hold before Phase 5, make V2's KPIs drift by 5% through its admin endpoint, resume:
  # post-cutover validation fails and the rollback workflow brings V1 back.
  cutover start "$plan" --auto-approve --id "$id" --hold-before phase5
  until cutover status "$id" --json | grep -q '"heldBefore": "phase5"'; do sleep 0.5; done
  curl -sf -X POST -H 'content-type: application/json' -d '{"kpiDrift":{"kpi":"par30","relative":0.05}}' http://127.0.0.1:8102/admin/faults >/dev/null
  echo "injected: V2 PAR30 drifts by +5%"
  cutover resume "$id"
  set +e; cutover watch "$id"; code=$?; set -e
else
  set +e; cutover start "$plan" --auto-approve --id "$id" --watch; code=$?; set -e
fi
kill -TERM "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true
echo
echo "clients through $public during the cutover: $(head -1 .data/demo/load.txt)"
echo "serving now through $public: $(curl -s "$public/health" || echo 'nothing answers')"
curl -s http://127.0.0.1:8101/health && echo || echo "V1 (:8101) not answering"
curl -s http://127.0.0.1:8102/health && echo || echo "V2 (:8102) not answering"
echo "Temporal UI: http://localhost:8233/namespaces/default/workflows/$id"
[ "$code" = 0 ] && echo "24-hour monitoring running: bin/cutover status $id-monitoring"
echo "stop everything: scripts/demo.sh stop"
exit $code

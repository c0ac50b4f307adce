#!/bin/sh
# What cutover needs on a new Temporal server, once it answers: its namespace, the namespace of the
# plan locks ("<namespace>-locks", domain/lock-keys.ts) and its search attributes (Keyword; keep in
# step with SEARCH_ATTRIBUTES in domain/names.ts). docker-compose.yml runs it in temporalio/admin-tools;
# any machine with the temporal CLI can run it against another server (TEMPORAL_ADDRESS, …).
# Safe to run again: what exists is left as it is.
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${NAMESPACE_RETENTION:-30d}"
attempts="${SETUP_ATTEMPTS:-60}"

# Runs "$@" until it succeeds, every 2 s, at most $attempts times.
retry() {
  n=1
  until "$@"; do
    [ "$n" -ge "$attempts" ] && { echo "gave up after $attempts attempts: $*" >&2; return 1; }
    n=$((n + 1))
    sleep 2
  done
}

namespace_exists() { temporal operator namespace describe --namespace "$1" >/dev/null 2>&1; }
ensure_namespace() {
  namespace_exists "$1" || temporal operator namespace create --namespace "$1" --retention "$retention" \
    || namespace_exists "$1"
}

attributes_registered() {
  list="$(temporal operator search-attribute list --namespace "$namespace")" || return 1
  for name in CutoverPhase CutoverStatus CutoverPlan; do
    echo "$list" | grep -qw "$name" || return 1
  done
}
ensure_attributes() {
  attributes_registered || temporal operator search-attribute create --namespace "$namespace" \
    --name CutoverPhase --type Keyword --name CutoverStatus --type Keyword --name CutoverPlan --type Keyword \
    || attributes_registered
}

retry temporal operator cluster health >/dev/null
retry ensure_namespace "$namespace"
retry ensure_namespace "$namespace-locks"
retry ensure_attributes
echo "namespaces $namespace and $namespace-locks, search attributes CutoverPhase CutoverStatus CutoverPlan: ready"

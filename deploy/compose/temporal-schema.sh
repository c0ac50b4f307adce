#!/bin/sh
# Creates or upgrades Temporal's PostgreSQL schemas (history and visibility): docker-compose.yml
# runs it in temporalio/admin-tools before the server starts. Safe to run on every start: an
# existing database is kept, and only the schema versions it lacks are applied.
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS: the PostgreSQL host}"
: "${POSTGRES_USER:?POSTGRES_USER: the PostgreSQL user}"
: "${SQL_PASSWORD:?SQL_PASSWORD: its password}"
port="${DB_PORT:-5432}"
schemas=/etc/temporal/schema/postgresql/v12

sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"; }

n=1
until nc -z -w 5 "$POSTGRES_SEEDS" "$port"; do
  [ "$n" -ge 30 ] && { echo "PostgreSQL at $POSTGRES_SEEDS:$port does not answer" >&2; exit 1; }
  n=$((n + 1))
  sleep 2
done
for db in temporal:temporal temporal_visibility:visibility; do
  name="${db%%:*}"
  sql --db "$name" create
  sql --db "$name" setup-schema -v 0.0
  sql --db "$name" update-schema -d "$schemas/${db#*:}/versioned"
done
echo "Temporal schemas are up to date"

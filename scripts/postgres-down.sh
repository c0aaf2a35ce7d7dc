#!/usr/bin/env bash
# Stops the local PostgreSQL of scripts/postgres-up.sh; idempotent. Its data stays under .postgres/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.postgres/data"
BIN=""
for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$dir/pg_ctl" ]; then BIN="$dir"; break; fi
done
RUN=()
[ "$(id -u)" != 0 ] || RUN=(runuser -u retail-postgres --)
if [ -z "$BIN" ] || [ ! -f "$DATA/postmaster.pid" ] || ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  echo "postgres: not running"
  exit 0
fi
"${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
echo "postgres: stopped"

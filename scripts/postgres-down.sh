#!/usr/bin/env bash
# Stops the local PostgreSQL of scripts/postgres-up.sh; idempotent. Its data stays where it is (postgres-env.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/postgres-env.sh"
if [ -z "$BIN" ] || [ ! -f "$DATA/postmaster.pid" ] || ! as_server "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  echo "postgres: not running"
  exit 0
fi
as_server "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
echo "postgres: stopped"

#!/usr/bin/env bash
# Starts a local PostgreSQL 15 (Debian's packages) on 127.0.0.1:${POSTGRES_PORT:-5433}, with
# wal_level=logical (for change data capture), data under .postgres/ (git-ignored; see postgres-env.sh).
# PostgreSQL refuses to run as root: as root it runs as the system user retail-postgres
# (made when missing); otherwise as the user who runs this. Makes the role `retail`
# (password `retail`, LOGIN REPLICATION) and its database `retail`.
# Idempotent: a running server is left as it is.
set -euo pipefail
# The server's user first: where the data lives depends on what it may enter.
[ "$(id -u)" != 0 ] || id retail-postgres >/dev/null 2>&1 ||
  useradd --system --no-create-home --shell /usr/sbin/nologin retail-postgres
source "$(dirname "${BASH_SOURCE[0]}")/postgres-env.sh"
URL="postgres://retail:retail@127.0.0.1:$PORT/retail"

if [ -z "$BIN" ]; then
  "$ROOT/scripts/apt-install.sh" postgres "PostgreSQL is the database target's server" postgresql-15
  BIN=/usr/lib/postgresql/15/bin
fi

if [ -f "$DATA/postmaster.pid" ] && as_server "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  echo "postgres: already running at $URL"
  exit 0
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "postgres: port $PORT is taken by another process; stop it or set POSTGRES_PORT" >&2
  exit 1
fi

mkdir -p "$HOME_DIR"
[ "${#RUN[@]}" -eq 0 ] || chown retail-postgres "$HOME_DIR"
if [ ! -f "$DATA/PG_VERSION" ]; then
  as_server "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$HOME_DIR'
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
CONF
  echo "host replication all 127.0.0.1/32 scram-sha-256" >> "$DATA/pg_hba.conf"
fi
as_server "$BIN/pg_ctl" -D "$DATA" -l "$HOME_DIR/postgres.log" -o "-p $PORT" -w -t 60 start >/dev/null
psql_su() { as_server "$BIN/psql" -h "$HOME_DIR" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql_su -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'retail'")" != 1 ]; then
  psql_su -d postgres -c "CREATE ROLE retail LOGIN PASSWORD 'retail'"
  psql_su -d postgres -c "CREATE DATABASE retail OWNER retail"
fi
# REPLICATION for change data capture; CREATEDB so the tests make a database each.
psql_su -d postgres -c "ALTER ROLE retail REPLICATION CREATEDB"
echo "postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') at $URL; log in $HOME_DIR/postgres.log"

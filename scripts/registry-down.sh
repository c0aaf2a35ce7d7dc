#!/usr/bin/env bash
# Stops the local registry started by registry-up.sh (by its recorded pid). Idempotent.
set -euo pipefail
PIDFILE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.registry/registry.pid"
if [ ! -f "$PIDFILE" ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  rm -f "$PIDFILE"
  echo "registry: not running"
  exit 0
fi
pid="$(cat "$PIDFILE")"
kill "$pid"
for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
kill -9 "$pid" 2>/dev/null || true
rm -f "$PIDFILE"
echo "registry: stopped"

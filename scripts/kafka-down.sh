#!/usr/bin/env bash
# Stops the local broker started by kafka-up.sh (by its recorded pid). Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

if ! kafka_running; then
  rm -f "$PIDFILE"
  echo "kafka: not running"
  exit 0
fi
pid="$(cat "$PIDFILE")"
kill "$pid"
for _ in $(seq 1 30); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; echo "kafka: stopped"; exit 0; }
  sleep 1
done
kill -9 "$pid" 2>/dev/null || true
rm -f "$PIDFILE"
echo "kafka: killed after 30 s"

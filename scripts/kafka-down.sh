#!/usr/bin/env bash
# Stops the local broker(s) of the variant chosen by SECURITY/BROKERS (by their recorded pids). Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"
pids=("$KAFKA_HOME"/*.pid)
if [ ! -e "${pids[0]}" ]; then
  echo "kafka: not running ($KAFKA_HOME)"
  exit 0
fi
for pidfile in "${pids[@]}"; do stop_pid "$pidfile"; done
echo "kafka: stopped ($KAFKA_HOME)"

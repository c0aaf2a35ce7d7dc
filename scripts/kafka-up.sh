#!/usr/bin/env bash
# Starts a local Apache Kafka (KRaft) on loopback, fetching its jars from Maven Central the first
# time. SECURITY=sasl_ssl (scripts/kafka-secure-up.sh) and BROKERS=3 (scripts/kafka-cluster-up.sh)
# choose the other variants. Idempotent: a running broker is left as it is.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"
if [ "$SECURITY" = sasl_ssl ]; then exec "$ROOT/scripts/kafka-secure-up.sh"; fi
if [ "$BROKERS" = 3 ]; then exec "$ROOT/scripts/kafka-cluster-up.sh"; fi

if kafka_running; then
  echo "kafka: already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$KAFKA_PORT"
  exit 0
fi
if port_open "$KAFKA_PORT"; then
  echo "kafka: port $KAFKA_PORT is taken by another process; stop it or set KAFKA_PORT" >&2
  exit 1
fi
ensure_jars
mkdir -p "$LOGS"
sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" -e "s#@DATA@#$DATA#g" \
  "$ROOT/kafka/server.properties.in" > "$KAFKA_HOME/server.properties"
if [ ! -f "$DATA/meta.properties" ]; then
  cluster_id="$(java_cp kafka.tools.StorageTool random-uuid)"
  java_cp kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/server.properties" --ignore-formatted >/dev/null
fi
start_node "$KAFKA_HOME/server.properties" "$PIDFILE" "$LOGS" 1g
if ! wait_ready "$PIDFILE" "127.0.0.1:$KAFKA_PORT"; then rm -f "$PIDFILE"; exit 1; fi
echo "kafka: listening on 127.0.0.1:$KAFKA_PORT (pid $(cat "$PIDFILE")); logs in $LOGS"

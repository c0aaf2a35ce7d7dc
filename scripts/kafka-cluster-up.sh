#!/usr/bin/env bash
# Starts the local three-node KRaft cluster (make kafka-up BROKERS=3): nodes 1–3, each broker and
# controller, on 127.0.0.1:9292, :9392 and :9492 (controllers one port up); topics default to
# replication 3 with min.insync.replicas=2. NODE=n starts (or restarts) only node n. Idempotent.
set -euo pipefail
BROKERS=3
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"
port_of() { echo $((KAFKA_PORT + ($1 - 1) * 100)); }
VOTERS="1@127.0.0.1:$(($(port_of 1) + 1)),2@127.0.0.1:$(($(port_of 2) + 1)),3@127.0.0.1:$(($(port_of 3) + 1))"
ensure_jars
mkdir -p "$KAFKA_HOME"
if [ ! -f "$KAFKA_HOME/cluster.id" ]; then java_cp kafka.tools.StorageTool random-uuid > "$KAFKA_HOME/cluster.id"; fi

started=()
for node in ${NODE:-1 2 3}; do
  home="$KAFKA_HOME/node-$node"
  pidfile="$KAFKA_HOME/node-$node.pid"
  port="$(port_of "$node")"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then continue; fi
  mkdir -p "$home/logs"
  sed -e "s#@NODE@#$node#g" -e "s#@VOTERS@#$VOTERS#g" -e "s#@PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$((port + 1))#g" -e "s#@DATA@#$home/data#g" \
    "$ROOT/kafka/server-cluster.properties.in" > "$home/server.properties"
  if [ ! -f "$home/data/meta.properties" ]; then
    TOOL_LOGS="$home/logs" java_cp kafka.tools.StorageTool format -t "$(cat "$KAFKA_HOME/cluster.id")" -c "$home/server.properties" --ignore-formatted >/dev/null
  fi
  start_node "$home/server.properties" "$pidfile" "$home/logs" 512m
  started+=("$node")
done
LOGS="$KAFKA_HOME/node-1/logs"
for node in "${started[@]}"; do
  if ! TOOL_LOGS="$KAFKA_HOME/node-$node/logs" wait_ready "$KAFKA_HOME/node-$node.pid" "127.0.0.1:$(port_of "$node")"; then exit 1; fi
done
echo "kafka: three-node cluster on 127.0.0.1:$(port_of 1),127.0.0.1:$(port_of 2),127.0.0.1:$(port_of 3); logs in $KAFKA_HOME/node-*/logs"

#!/bin/bash
# The Kafka stand-in's entrypoint: reads KAFKA_* settings as apache/kafka does (KAFKA_NODE_ID →
# node.id, KAFKA_LISTENER_SECURITY_PROTOCOL_MAP → listener.security.protocol.map), formats its
# storage on first start (CLUSTER_ID, or a fixed one) and runs the broker in the foreground.
set -euo pipefail
CONFIG=/opt/kafka/config/server.properties
: > "$CONFIG"
env | grep '^KAFKA_' | while IFS='=' read -r name value; do
  key="$(echo "${name#KAFKA_}" | tr 'A-Z' 'a-z' | tr '_' '.')"
  echo "$key=$value" >> "$CONFIG"
done
grep -q '^log.dirs=' "$CONFIG" || echo "log.dirs=/tmp/kraft-combined-logs" >> "$CONFIG"
CP="/opt/kafka/libs/*"
JAVA=/opt/java/bin/java
"$JAVA" -cp "$CP" kafka.tools.StorageTool format -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$CONFIG" --ignore-formatted >/dev/null
exec "$JAVA" -Xmx512m -cp "$CP" -Dkafka.logs.dir=/tmp/kafka-logs -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties kafka.Kafka "$CONFIG"

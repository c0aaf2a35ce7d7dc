#!/usr/bin/env bash
# Starts a single-node Apache Kafka (KRaft) on 127.0.0.1:$KAFKA_PORT (default 9092), fetching
# its jars from Maven Central the first time. Idempotent: a running broker is left as it is.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

if kafka_running; then
  echo "kafka: already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$KAFKA_PORT"
  exit 0
fi
if port_open "$KAFKA_PORT"; then
  echo "kafka: port $KAFKA_PORT is taken by another process; stop it or set KAFKA_PORT" >&2
  exit 1
fi

if ! ls "$LIB"/kafka_2.13-*.jar >/dev/null 2>&1; then
  if ! command -v mvn >/dev/null; then
    echo "kafka: installing Maven from Debian"
    (apt-get update -qq && apt-get install -y -qq maven) >/dev/null
  fi
  echo "kafka: fetching the broker jars from Maven Central (once)"
  mvn -q -B -f "$ROOT/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB.tmp" -DincludeScope=runtime
  rm -rf "$LIB" && mv "$LIB.tmp" "$LIB"
fi

mkdir -p "$LOGS"
sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" -e "s#@DATA@#$DATA#g" \
  "$ROOT/kafka/server.properties.in" > "$KAFKA_HOME/server.properties"
if [ ! -f "$DATA/meta.properties" ]; then
  cluster_id="$(java_cp kafka.tools.StorageTool random-uuid)"
  java_cp kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/server.properties" --ignore-formatted >/dev/null
fi

nohup java -Xms256m -Xmx1g -XX:+UseG1GC -cp "$LIB/*" \
  -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="$LOGS" \
  kafka.Kafka "$KAFKA_HOME/server.properties" > "$LOGS/stdout.log" 2>&1 &
echo $! > "$PIDFILE"

# Ready when the broker answers a metadata request (describe cluster), not merely when its port opens.
for _ in $(seq 1 90); do
  if ! kafka_running; then
    echo "kafka: the broker exited during start-up; see $LOGS/server.log" >&2
    tail -n 20 "$LOGS/stdout.log" >&2 || true
    rm -f "$PIDFILE"
    exit 1
  fi
  if port_open "$KAFKA_PORT" && java_cp org.apache.kafka.tools.ClusterTool cluster-id --bootstrap-server "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1; then
    echo "kafka: listening on 127.0.0.1:$KAFKA_PORT (pid $(cat "$PIDFILE")); logs in $LOGS"
    exit 0
  fi
  sleep 1
done
echo "kafka: no answer on 127.0.0.1:$KAFKA_PORT after 90 s; see $LOGS/server.log" >&2
exit 1

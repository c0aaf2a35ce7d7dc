# Shared settings of the local broker scripts (sourced).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_HOME="${KAFKA_HOME:-$ROOT/.kafka}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
LIB="$KAFKA_HOME/lib"
PIDFILE="$KAFKA_HOME/broker.pid"
LOGS="$KAFKA_HOME/logs"
DATA="$KAFKA_HOME/data"

kafka_running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

java_cp() {
  java -Xshare:auto -cp "$LIB/*" -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="$LOGS" -Dkafka.log.file=tools.log "$@"
}

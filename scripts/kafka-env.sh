# Shared settings and functions of the local broker scripts (sourced).
# SECURITY=plaintext|sasl_ssl and BROKERS=1|3 choose the variant; each keeps its own folder and ports.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECURITY="${SECURITY:-plaintext}"
BROKERS="${BROKERS:-1}"
LIB="$ROOT/.kafka/lib"
case "$SECURITY/$BROKERS" in
  plaintext/1) KAFKA_HOME="${KAFKA_HOME:-$ROOT/.kafka}"; KAFKA_PORT="${KAFKA_PORT:-9092}" ;;
  sasl_ssl/1) KAFKA_HOME="${KAFKA_HOME:-$ROOT/.kafka-secure}"; KAFKA_PORT="${KAFKA_PORT:-9192}" ;;
  plaintext/3) KAFKA_HOME="${KAFKA_HOME:-$ROOT/.kafka-cluster}"; KAFKA_PORT="${KAFKA_PORT:-9292}" ;;
  *) echo "kafka: SECURITY=$SECURITY BROKERS=$BROKERS is not a local variant (plaintext or sasl_ssl with 1 broker, plaintext with 3)" >&2; exit 2 ;;
esac
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
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
  java -Xshare:auto -cp "$LIB/*" -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="${TOOL_LOGS:-$LOGS}" -Dkafka.log.file=tools.log "$@"
}

# Fetches Kafka's jars from Maven Central into .kafka/lib, once.
ensure_jars() {
  if ls "$LIB"/kafka_2.13-*.jar >/dev/null 2>&1; then return; fi
  command -v mvn >/dev/null || "$ROOT/scripts/apt-install.sh" kafka "Maven fetches the broker's jars" maven
  echo "kafka: fetching the broker jars from Maven Central (once)"
  mvn -q -B -f "$ROOT/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB.tmp" -DincludeScope=runtime
  rm -rf "$LIB" && mv "$LIB.tmp" "$LIB"
}

# start_node PROPERTIES PIDFILE LOGDIR HEAP: starts one broker process in the background.
start_node() {
  mkdir -p "$3"
  nohup java "-Xms128m" "-Xmx$4" -XX:+UseG1GC -cp "$LIB/*" \
    -Dlog4j2.configurationFile="$ROOT/kafka/log4j2.properties" -Dkafka.logs.dir="$3" \
    kafka.Kafka "$1" > "$3/stdout.log" 2>&1 &
  echo $! > "$2"
}

# wait_ready PIDFILE BOOTSTRAP [tool config]: until the node answers a metadata request, at most 90 s.
wait_ready() {
  local pidfile="$1" bootstrap="$2" config=()
  [ -n "${3:-}" ] && config=(--config "$3")
  for _ in $(seq 1 90); do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "kafka: a broker exited during start-up; see $LOGS" >&2
      tail -n 20 "$(dirname "$pidfile")/logs/stdout.log" "$LOGS/stdout.log" 2>/dev/null >&2 || true
      return 1
    fi
    if port_open "${bootstrap##*:}" && java_cp org.apache.kafka.tools.ClusterTool cluster-id --bootstrap-server "$bootstrap" "${config[@]}" >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "kafka: no answer on $bootstrap after 90 s; see $LOGS" >&2
  return 1
}

# stop_pid PIDFILE: stops a broker process, SIGKILL after 30 s.
stop_pid() {
  local pidfile="$1"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

#!/usr/bin/env bash
# Starts the local secured broker (make kafka-up SECURITY=sasl_ssl): SASL_SSL with SCRAM-SHA-512 on
# 127.0.0.1:9192 and SASL_PLAINTEXT on :9194, with a CA and broker certificate made by openssl, three
# users made at format time (admin; writer: write and describe, no create; reader: read and describe)
# and their ACLs. Client property files for each user are written to .kafka-secure/clients/. Idempotent.
set -euo pipefail
SECURITY=sasl_ssl
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"
INTERNAL_PORT=$((KAFKA_PORT + 2))
CERTS="$KAFKA_HOME/certs"
CLIENTS="$KAFKA_HOME/clients"

if kafka_running; then
  echo "kafka: secured broker already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$KAFKA_PORT"
  exit 0
fi
for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$INTERNAL_PORT"; do
  if port_open "$port"; then echo "kafka: port $port is taken by another process" >&2; exit 1; fi
done
command -v openssl >/dev/null || { echo "kafka: openssl is needed to make the broker's certificate" >&2; exit 1; }
ensure_jars
mkdir -p "$LOGS" "$CERTS" "$CLIENTS"

# Secrets are made once per folder and kept in files readable by this user only.
umask 077
secret() { [ -f "$CERTS/$1" ] || openssl rand -hex 16 > "$CERTS/$1"; cat "$CERTS/$1"; }
STORE_PASSWORD="$(secret store.password)"
ADMIN_PASSWORD="$(secret admin.password)"
WRITER_PASSWORD="$(secret writer.password)"
READER_PASSWORD="$(secret reader.password)"

if [ ! -f "$CERTS/broker.p12" ]; then
  echo "kafka: making a local CA and the broker's certificate (openssl)"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=retail-stream local CA" -keyout "$CERTS/ca.key" -out "$CERTS/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$CERTS/broker.key" -out "$CERTS/broker.csr" 2>/dev/null
  printf "subjectAltName=DNS:localhost,IP:127.0.0.1\n" > "$CERTS/san.ext"
  openssl x509 -req -in "$CERTS/broker.csr" -CA "$CERTS/ca.pem" -CAkey "$CERTS/ca.key" -CAcreateserial -days 30 \
    -extfile "$CERTS/san.ext" -out "$CERTS/broker.pem" 2>/dev/null
  openssl pkcs12 -export -in "$CERTS/broker.pem" -inkey "$CERTS/broker.key" -certfile "$CERTS/ca.pem" -name broker \
    -out "$CERTS/broker.p12" -passout "pass:$STORE_PASSWORD"
  # A second CA that signed nothing here: a client trusting only it must fail the TLS handshake.
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=some other CA" -keyout "$CERTS/other-ca.key" -out "$CERTS/other-ca.pem" 2>/dev/null
fi

sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" -e "s#@INTERNAL_PORT@#$INTERNAL_PORT#g" \
  -e "s#@DATA@#$DATA#g" -e "s#@CERTS@#$CERTS#g" -e "s#@STORE_PASSWORD@#$STORE_PASSWORD#g" -e "s#@ADMIN_PASSWORD@#$ADMIN_PASSWORD#g" \
  "$ROOT/kafka/server-secure.properties.in" > "$KAFKA_HOME/server.properties"

# Client property files, librdkafka style (what --kafka-config reads), and one for Kafka's own tools.
client() {
  cat > "$CLIENTS/$1.properties" <<PROPS
# $1 on the local secured broker (SASL_SSL, SCRAM-SHA-512)
bootstrap.servers=127.0.0.1:$KAFKA_PORT
security.protocol=SASL_SSL
sasl.mechanisms=SCRAM-SHA-512
sasl.username=$1
sasl.password=$2
ssl.ca.location=$CERTS/ca.pem
PROPS
}
client admin "$ADMIN_PASSWORD"
client writer "$WRITER_PASSWORD"
client reader "$READER_PASSWORD"
cat > "$CLIENTS/admin-tools.properties" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$ADMIN_PASSWORD";
PROPS

if [ ! -f "$DATA/meta.properties" ]; then
  cluster_id="$(java_cp kafka.tools.StorageTool random-uuid)"
  java_cp kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/server.properties" --ignore-formatted \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$ADMIN_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=writer,password=$WRITER_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=reader,password=$READER_PASSWORD]" >/dev/null
fi
start_node "$KAFKA_HOME/server.properties" "$PIDFILE" "$LOGS" 768m
if ! wait_ready "$PIDFILE" "127.0.0.1:$INTERNAL_PORT" "$CLIENTS/admin-tools.properties"; then rm -f "$PIDFILE"; exit 1; fi

# Least privilege, for topics named retail-… and e2e-…: the writer writes (no create), the reader reads.
acl() { java_cp org.apache.kafka.tools.AclCommand --bootstrap-server "127.0.0.1:$INTERNAL_PORT" --command-config "$CLIENTS/admin-tools.properties" --add "$@" >/dev/null; }
acl --allow-principal User:writer --operation Write --operation Describe --topic retail- --topic e2e- --resource-pattern-type prefixed
acl --allow-principal User:reader --operation Read --operation Describe --topic retail- --topic e2e- --resource-pattern-type prefixed
acl --allow-principal User:reader --operation Read --group '*'
echo "kafka: secured broker on 127.0.0.1:$KAFKA_PORT (SASL_SSL, SCRAM-SHA-512) and :$INTERNAL_PORT (SASL_PLAINTEXT) (pid $(cat "$PIDFILE")); client settings in $CLIENTS"

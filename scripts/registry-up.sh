#!/usr/bin/env bash
# Starts a local Apicurio Registry 3.3 (Confluent-compatible API at /apis/ccompat/v7) on
# 127.0.0.1:${REGISTRY_PORT:-8081}, in-memory storage, fetched from Maven Central the first time.
# It needs Java 21 or newer: a Temurin JDK under /usr/lib/jvm is used when the default java is older.
# Idempotent: a running registry is left as it is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="$ROOT/.registry"
PORT="${REGISTRY_PORT:-8081}"
PIDFILE="$HOME_DIR/registry.pid"
URL="http://127.0.0.1:$PORT/apis/ccompat/v7"

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "registry: already running (pid $(cat "$PIDFILE")) at $URL"
  exit 0
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "registry: port $PORT is taken by another process; stop it or set REGISTRY_PORT" >&2
  exit 1
fi
if [ ! -f "$HOME_DIR/app/quarkus-run.jar" ]; then
  command -v mvn >/dev/null || "$ROOT/scripts/apt-install.sh" registry "Maven fetches the registry" maven
  echo "registry: fetching Apicurio Registry from Maven Central (once, about 150 MB)"
  mvn -q -B -f "$ROOT/registry/pom.xml" dependency:unpack
fi

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
JAVA=java
if [ "$(java_major java)" -lt 21 ] 2>/dev/null; then
  JAVA="$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | while read -r j; do [ "$(java_major "$j")" -ge 21 ] && echo "$j"; done | sort -V | tail -1)"
  [ -n "$JAVA" ] || { echo "registry: Apicurio Registry 3 needs Java 21 or newer; none found under /usr/lib/jvm" >&2; exit 1; }
fi

mkdir -p "$HOME_DIR/logs"
cd "$HOME_DIR/app"
nohup "$JAVA" -Xmx256m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -Dquarkus.log.level=WARN \
  -jar quarkus-run.jar > "$HOME_DIR/logs/registry.log" 2>&1 &
echo $! > "$PIDFILE"
for _ in $(seq 1 60); do
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "registry: exited during start-up; see $HOME_DIR/logs/registry.log" >&2
    tail -n 20 "$HOME_DIR/logs/registry.log" >&2
    rm -f "$PIDFILE"
    exit 1
  fi
  if curl -fsS "$URL/subjects" >/dev/null 2>&1; then
    echo "registry: Apicurio Registry at $URL (pid $(cat "$PIDFILE")); logs in $HOME_DIR/logs"
    exit 0
  fi
  sleep 1
done
echo "registry: no answer at $URL after 60 s; see $HOME_DIR/logs/registry.log" >&2
exit 1

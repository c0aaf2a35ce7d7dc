#!/usr/bin/env bash
# Runs Debezium's embedded engine against PostgreSQL (debezium/Capture.java, Java 17), printing
# each captured change as a JSON line; fetches Debezium's jars from Maven Central once
# (debezium/pom.xml → .debezium/lib). Usage: scripts/debezium-capture.sh HOST PORT DATABASE USER SLOT TABLES
# (PGPASSWORD for the password). Stops when its standard input closes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LIB="$ROOT/.debezium/lib"
[ $# -eq 6 ] || { echo "usage: scripts/debezium-capture.sh HOST PORT DATABASE USER SLOT TABLES" >&2; exit 2; }
if ! ls "$LIB"/debezium-embedded-*.jar >/dev/null 2>&1; then
  command -v mvn >/dev/null || "$ROOT/scripts/apt-install.sh" debezium "Maven fetches Debezium's jars" maven
  echo "debezium: fetching Debezium's jars from Maven Central (once)" >&2
  mvn -q -B -f "$ROOT/debezium/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB.tmp" -DincludeScope=runtime >&2
  rm -rf "$LIB" && mv "$LIB.tmp" "$LIB"
fi
JAVA=java
for home in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/java-17-openjdk; do
  if [ -x "$home/bin/java" ]; then JAVA="$home/bin/java"; break; fi
done
exec "$JAVA" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LIB/*" "$ROOT/debezium/Capture.java" "$@"

#!/usr/bin/env bash
# Runs Debezium's embedded engine against PostgreSQL (debezium/Capture.java, Java 17), printing
# each captured change as a JSON line; fetches Debezium's jars from Maven Central once
# (debezium/pom.xml → .debezium/lib). Usage: scripts/debezium-capture.sh HOST PORT DATABASE USER SLOT TABLES
# (PGPASSWORD for the password). Stops when its standard input closes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LIB="$ROOT/.debezium/lib"
[ $# -eq 6 ] || { echo "usage: scripts/debezium-capture.sh HOST PORT DATABASE USER SLOT TABLES" >&2; exit 2; }
. "$ROOT/scripts/java-jars.sh"
fetch_jars debezium "$ROOT/debezium/pom.xml" "$LIB" "debezium-embedded-*.jar"
JAVA="$(java17)"
exec "$JAVA" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LIB/*" "$ROOT/debezium/Capture.java" "$@"

#!/usr/bin/env bash
# Runs a Flink SQL script on an embedded Flink (a local mini-cluster in one JVM, Java 17), with the
# Kafka connector: scripts/flink-sql.sh FILE.sql. Fetches Flink's jars from Maven Central once
# (flink/pom.xml → .flink/lib). Each query's rows go to stdout (see flink/RunSql.java), Flink's log to .flink/flink.log.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LIB="$ROOT/.flink/lib"
[ $# -eq 1 ] || { echo "usage: scripts/flink-sql.sh FILE.sql" >&2; exit 2; }
[ -r "$1" ] || { echo "flink-sql: cannot read $1" >&2; exit 2; }

. "$ROOT/scripts/java-jars.sh"
fetch_jars flink "$ROOT/flink/pom.xml" "$LIB" "flink-table-runtime-*.jar"

JAVA="$(java17)"

# Flink's usual JVM flags (its config.yaml's env.java.opts.all) for the modules it reaches into.
OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)
mkdir -p "$ROOT/.flink"
exec "$JAVA" -Xmx1g "${OPENS[@]}" -cp "$LIB/*" \
  -Dlog4j.configurationFile="$ROOT/flink/log4j2.properties" -Dflink.log.file="$ROOT/.flink/flink.log" \
  "$ROOT/flink/RunSql.java" "$1"

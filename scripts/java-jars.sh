# Sourced by the scripts that run a Java tool from Maven Central jars (flink-sql.sh, debezium-capture.sh).

# fetch_jars NAME POM LIB MARKER: copies POM's runtime jars into LIB once (MARKER: a jar glob that says they are there).
fetch_jars() {
  if ls "$3"/$4 >/dev/null 2>&1; then return; fi
  command -v mvn >/dev/null || "$ROOT/scripts/apt-install.sh" "$1" "Maven fetches $1's jars" maven
  echo "$1: fetching its jars from Maven Central (once)" >&2
  mvn -q -B -f "$2" dependency:copy-dependencies -DoutputDirectory="$3.tmp" -DincludeScope=runtime >&2
  rm -rf "$3" && mv "$3.tmp" "$3"
}

# java17: Java 17 where Debian puts it, else the java on PATH (Flink 2.2 and Debezium 3.6 run on it).
java17() {
  for home in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/java-17-openjdk; do
    if [ -x "$home/bin/java" ]; then echo "$home/bin/java"; return; fi
  done
  echo java
}

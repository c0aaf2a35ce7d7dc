#!/usr/bin/env bash
# Applies the project's patches to the librdkafka that node-rdkafka bundles, before it is compiled
# (`npm ci --ignore-scripts`, this, then `npm rebuild`). Each patch names the upstream issue it works
# around and the librdkafka version it was written for; a different version is refused, so an upgrade
# is a decision (drop the patch once upstream has the fix). Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="$root/node_modules/node-rdkafka"
want=2.12.0
have="$(node -p "require('$pkg/package.json').librdkafka" 2>/dev/null || true)"
if [[ "$have" != "$want" ]]; then
  echo "librdkafka-patch: node-rdkafka bundles librdkafka ${have:-(none found in $pkg)}, the patches are for $want" >&2
  exit 2
fi
for p in "$root"/scripts/patches/librdkafka-*.patch; do
  if patch -d "$pkg" -p1 -R -s -f --dry-run <"$p" >/dev/null 2>&1; then
    continue # already applied
  fi
  patch -d "$pkg" -p1 -N -s <"$p"
  echo "librdkafka-patch: applied $(basename "$p")"
done

#!/usr/bin/env bash
# Installs what the tests drive besides Kafka and the registry: Prometheus (the
# metrics e2e test scrapes the run with it) and Chromium (the live page is
# tested in it, headless), both from Debian's packages. Idempotent.
set -euo pipefail
missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
exec "$(dirname "$0")/apt-install.sh" test-deps "the live e2e tests drive them" "${missing[@]}"

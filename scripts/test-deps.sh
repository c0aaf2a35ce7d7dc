#!/usr/bin/env bash
# Installs what the tests drive besides Kafka and the registry: Prometheus (the
# metrics e2e test scrapes the run with it) and Chromium (the live page is
# tested in it, headless), both from Debian's packages. Idempotent.
set -euo pipefail
missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "test-deps: ${missing[*]} missing and apt-get is not here; install them, then run make test again" >&2
  exit 1
fi
echo "test-deps: installing ${missing[*]} from Debian"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null

#!/usr/bin/env bash
# Installs the system packages the build needs before `npm ci`: libzstd-dev, so the
# librdkafka that node-rdkafka compiles has zstd (`--compression zstd`). Idempotent.
set -euo pipefail
if [ -f /usr/include/zstd.h ]; then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "install: libzstd-dev (zstd.h) is missing and apt-get is not here; install zstd's headers, then run make again" >&2
  exit 1
fi
echo "install: libzstd-dev from Debian (for zstd in librdkafka)"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
($SUDO apt-get update -qq && $SUDO apt-get install -y -qq libzstd-dev) >/dev/null

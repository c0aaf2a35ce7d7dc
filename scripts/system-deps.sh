#!/usr/bin/env bash
# Installs the system packages the build needs before `npm ci`: zstd's headers, so the librdkafka
# that node-rdkafka compiles has zstd (`--compression zstd`). Found wherever the C compiler looks
# (Debian's /usr/include, Homebrew's through CPATH); installed from Debian when missing. Idempotent.
set -euo pipefail
if echo '#include <zstd.h>' | ${CC:-cc} -E -x c - >/dev/null 2>&1; then exit 0; fi
exec "$(dirname "$0")/apt-install.sh" install "zstd's headers (zstd.h) for librdkafka" libzstd-dev

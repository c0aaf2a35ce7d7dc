#!/usr/bin/env bash
# The tests that start at the real time of day (tagged @clock), run at several hours under
# libfaketime: midnight, 06:00, noon and 18:00 UTC today, and across the US fall-back hour.
# Every other test runs at a fixed simulated start. Needs Debian's faketime (installed here).
set -euo pipefail
cd "$(dirname "$0")/.."
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n1 || true)
if [ -z "$lib" ]; then
  scripts/apt-install.sh hours "the @clock tests run under libfaketime" faketime
  lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 | head -n1)
fi
today=$(date -u +%F)
# US DST ends 2026-11-01 at 06:00 UTC (02:00 EDT): start just before it.
times=${HOURS:-"$today 00:00:00,$today 06:00:00,$today 12:00:00,$today 18:00:00,2026-11-01 05:59:00"}
IFS=, read -ra list <<<"$times"
for t in "${list[@]}"; do
  # Children keep the faked clock (DONT_RESET); timers run on the real monotonic clock.
  export LD_PRELOAD="$lib" FAKETIME="@$t" FAKETIME_DONT_RESET=1 FAKETIME_DONT_FAKE_MONOTONIC=1
  seen=$(node -e 'process.stdout.write(new Date().toISOString())')
  case "$seen" in "${t%% *}T${t#* }"*) ;; *) echo "hours: the clock under libfaketime reads $seen, not $t" >&2; exit 1;; esac
  echo "hours: the @clock tests at $seen"
  npx mocha --grep @clock 'test/cli/**/*.spec.ts'
  unset LD_PRELOAD FAKETIME
done

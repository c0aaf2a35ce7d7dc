#!/usr/bin/env bash
# Installs Debian/Ubuntu packages a make step needs, as root or through sudo for a user who has
# it; on any other system, or without root, says what to install and stops.
# usage: scripts/apt-install.sh STEP WHY PACKAGE...
set -euo pipefail
step=$1 why=$2
shift 2
if ! command -v apt-get >/dev/null; then
  echo "$step: $why: install $* with this system's package manager (this is not Debian or Ubuntu), then run make again" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null; then
  SUDO="sudo"
else
  echo "$step: $why: installing $* needs root; run 'apt-get install $*' as root, then make again" >&2
  exit 1
fi
echo "$step: installing $* from Debian ($why)${SUDO:+, with sudo}" >&2
($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@") >/dev/null

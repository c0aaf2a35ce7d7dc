#!/usr/bin/env bash
# Validates Kubernetes manifests against the Kubernetes API's schemas, strictly (unknown fields
# are errors), without a cluster: kubernetes-validate from PyPI ships the schemas. Installs it
# once into .kubernetes-validate/ (a Python virtual environment). Usage: scripts/kubernetes-validate.sh FILE...
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.kubernetes-validate"
VERSION=1.37.0
[ $# -ge 1 ] || { echo "usage: scripts/kubernetes-validate.sh FILE..." >&2; exit 2; }
if [ "$("$VENV/bin/kubernetes-validate" --version 2>/dev/null)" != "$VERSION" ]; then
  echo "kubernetes-validate: installing $VERSION from PyPI into $VENV (once)" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$VERSION" >&2
fi
exec "$VENV/bin/kubernetes-validate" --strict "$@"

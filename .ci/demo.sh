#!/usr/bin/env bash
# Renders a complete sample page with every Connectif tag into ./tagkit-demo (or $1).
# Creates .venv and installs tagkit on a fresh machine first.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/_setup.sh
ensure_venv
"$VENV/bin/tagkit" demo "${1:-tagkit-demo}"
echo "(tagkit is installed in $VENV: run '. $VENV/bin/activate' to have the tagkit command)"

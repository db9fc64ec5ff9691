#!/usr/bin/env bash
# The README's main command: writes the tagkit demo shop into ./tagkit-demo (or $1), then loads
# every page in headless Chromium with tagkit's double of Connectif's client and prints, per
# page, the events expected from its data and the events received (`tagkit demo --check`).
# On a fresh machine it first creates .venv with the [browser] extra and installs Debian's
# Chromium the way .ci/test.sh does (apt-get install chromium, as root or through sudo).
# Exit status: 0 when every page sent exactly its data, 1 when one did not, 2 for set-up or
# usage problems.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/_setup.sh
ensure_venv browser
ensure_chromium
dir=${1:-tagkit-demo}
# Render every page from its data file (data files already there are kept), then check them.
"$VENV/bin/tagkit" demo "$dir"
echo
"$VENV/bin/tagkit" demo "$dir" --check
echo
echo "Browse it with: $VENV/bin/tagkit demo $dir --serve"
echo "(tagkit is installed in $VENV: run '. $VENV/bin/activate' to have the tagkit command)"

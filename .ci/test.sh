#!/usr/bin/env bash
# The whole test suite, as README.md gives it: lint, types, unit, CLI and browser tests, then the
# browser tests a second time with a CDN-style Connectif client file (--connectif-client): the
# double followed by a store-configuration tail (tests/browser/cdn_client.py). Every browser test
# must pass both ways, or, with the file, be skipped because it needs a profile of the double.
# Creates .venv and installs what it needs (Chromium included) on a fresh machine.
# Extra arguments go to both pytest runs, e.g. `bash .ci/test.sh -k cart`.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/_setup.sh
ensure_venv dev
ensure_chromium
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/mypy"
export TAGKIT_REQUIRE_BROWSER=1
"$VENV/bin/python" -m pytest "$@"

client_dir=$(mktemp -d)
trap 'rm -rf "$client_dir"' EXIT
"$VENV/bin/python" -m tests.browser.cdn_client "$client_dir/connectif-client.js"
echo "== browser tests with --connectif-client (a CDN-style client file)"
status=0
"$VENV/bin/python" -m pytest tests/browser --connectif-client "$client_dir/connectif-client.js" \
  "$@" || status=$?
# Exit status 5 is "no test collected": arguments that select no browser test.
if [ "$status" -ne 0 ] && ! { [ "$status" -eq 5 ] && [ "$#" -gt 0 ]; }; then exit "$status"; fi

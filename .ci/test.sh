#!/usr/bin/env bash
# The whole test suite, as README.md gives it: lint, types, unit, CLI and browser tests.
# Creates .venv and installs what it needs (Chromium included) on a fresh machine.
# Extra arguments go to pytest, e.g. `bash .ci/test.sh -k cart`.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/_setup.sh
ensure_venv dev
ensure_chromium
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/mypy"
TAGKIT_REQUIRE_BROWSER=1 "$VENV/bin/python" -m pytest "$@"

# Shared set-up for .ci/test.sh, .ci/demo.sh and .ci/run: a project venv and, for the browser
# tests, Debian's Chromium. Sourced, not run. Works on a fresh Debian/Ubuntu machine with
# Python 3.10+; installs what is missing (with apt-get when root, or through sudo).

PYTHON=${PYTHON:-python3}
VENV=${TAGKIT_VENV:-.venv}

_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "error: '$*' needs root; run it as root or install sudo" >&2
    return 1
  fi
}

_apt_install() {
  [ -n "${_TAGKIT_APT_UPDATED:-}" ] || { _as_root apt-get update -qq; _TAGKIT_APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_venv() {
  # ensure_venv [EXTRAS]: create $VENV if needed and install tagkit (editable) with EXTRAS.
  local extras=${1:-}
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "error: tagkit needs Python 3.10 or newer as '$PYTHON' (set PYTHON=/path/to/python3)" >&2
    return 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
      # Debian and Ubuntu ship venv separately.
      rm -rf "$VENV"
      local minor
      minor=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      _apt_install "python${minor}-venv" || _apt_install python3-venv
      "$PYTHON" -m venv "$VENV"
    fi
  fi
  local target=.
  [ -z "$extras" ] || target=".[$extras]"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$target"
}

ensure_chromium() {
  # A browser for the Playwright tests: $TAGKIT_CHROMIUM, else Debian's /usr/bin/chromium.
  if [ -n "${TAGKIT_CHROMIUM:-}" ] && [ -x "$TAGKIT_CHROMIUM" ]; then return 0; fi
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "Installing Chromium (apt-get install chromium) for the browser tests..." >&2
  _apt_install chromium
}

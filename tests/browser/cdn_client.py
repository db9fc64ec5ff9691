"""A CDN-style Connectif client file for running the browser tests with ``--connectif-client``.

Connectif's CDN serves the generic client followed by a store-configuration tail
(docs/connectif.md#request-store-config). No real client ships with tagkit, so this builds the
same shape from tagkit's double and ``tests/data/connectif-store-tail.js``, a tail whose every
setting differs from what the tests expect: the tests pass with the file only because the
harness overrides the store configuration. ``.ci/test.sh`` runs the browser tests a second time
with it::

    python -m tests.browser.cdn_client /tmp/connectif-client.js
    python -m pytest tests/browser --connectif-client /tmp/connectif-client.js
"""

from __future__ import annotations

import sys
from pathlib import Path

from tagkit._resources import static_path

STORE_TAIL = Path(__file__).resolve().parents[1] / "data" / "connectif-store-tail.js"
# The store the tail names (tests/data/connectif-store-tail.js).
TAIL_BASE_URL = "https://eu4-api.connectif.cloud:443/"
TAIL_STORE_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def cdn_client_script() -> str:
    """The double as a saved CDN response: the client code, then the store tail, as is."""
    double = static_path("connectif-double.js").read_text(encoding="utf-8")
    return double.rstrip() + "\n" + STORE_TAIL.read_text(encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.browser.cdn_client OUTPUT_FILE", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(cdn_client_script(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

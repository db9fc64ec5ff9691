"""Helpers for the integration tests: the example shops, a loopback WSGI server, and the JSON
the browser sees."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from tagkit import jsonsafe
from tagkit import vocabulary as vocab
from tagkit.testing import ConnectifPage, Notification

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
STORE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
# Keys client 1.3.0 does not read from tags (docs/connectif.md#key-not-read).
UNREAD_KEYS = {
    p.js_key
    for props in (vocab.PRODUCT, vocab.CART, vocab.PURCHASE)
    for p in props
    if not p.read_by_client
}


def load_module(name: str, path: Path) -> ModuleType:
    """Import ``path`` as module ``name`` once per session."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1 until the block ends; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def plain(value: Any) -> Any:
    """JSON as the browser sees it: Decimals become numbers, unread keys are dropped."""
    data = json.loads(jsonsafe.dumps(value))

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in UNREAD_KEYS}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(data)


def next_request(shop: ConnectifPage, seen: int, timeout: float = 5.0) -> Notification:
    """The one request that follows the ``seen`` already received."""
    requests = shop.wait_for_requests(seen + 1, timeout=timeout)
    return requests[-1]


def count_events(shop: ConnectifPage, event_type: str) -> int:
    """How many events of ``event_type`` every request so far carried."""
    return sum(1 for e in shop.sent_events() if e.get("type") == event_type)

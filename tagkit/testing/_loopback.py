"""A throw-away HTTP server on 127.0.0.1 for what needs a real origin (service workers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _Handler(SimpleHTTPRequestHandler):
    # Browsers refuse a service worker served with a non-JavaScript type
    # (docs/connectif.md#worker-mime-type), so the types must not depend on the machine's
    # mimetypes database.
    extensions_map = {  # noqa: RUF012 - the base class declares it as a plain class attribute
        "": "application/octet-stream",
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".css": "text/css",
        ".txt": "text/plain; charset=utf-8",
    }

    def end_headers(self) -> None:
        # Workers must be revalidated (docs/connectif.md#worker-caching), and so must every
        # test page.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean; failures show up in the browser instead."""


@contextmanager
def serve_directory(root: str | Path, *, port: int = 0) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 until the block ends; yields the base URL.

    ``http://127.0.0.1:PORT`` is a secure context, so service workers register there. ``.js``
    files are served as ``text/javascript``, everything with ``Cache-Control: no-cache``.
    ``port=0`` picks a free port.

    Example (run in a test with the browser)::

        with serve_directory("site") as base_url:
            connectif.visit(base_url + "/index.html")
    """
    directory = Path(root)
    if not directory.is_dir():
        raise NotADirectoryError(f"serve_directory needs an existing folder, got {str(root)!r}")
    handler = partial(_Handler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

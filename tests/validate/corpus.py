"""The hand-written page corpus of tests/pages/ (its README.md describes the layout).

- ``good/`` and ``bad/``: pages of several rules at once; ``good/NAME.json`` is the request
  body of ``good/NAME.html``.
- ``TKnnn/``: one folder per rule of docs/lint-rules.md, with ``bad.html`` (first line
  ``<!-- expect: TKnnn@LINE ... -->``), ``good.html`` (the same page fixed), ``good.json`` (the
  request body of the good page) and, for rules that need a server, ``serve.json``.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tagkit.testing.plugin import REQUIRE_BROWSER_ENV

PAGES = Path(__file__).resolve().parents[1] / "pages"
GOOD = sorted((PAGES / "good").glob("*.html"))
BAD = sorted((PAGES / "bad").glob("*.html"))
RULE_DIRS = sorted(p for p in PAGES.glob("TK*") if p.is_dir())
ALL_GOOD = [*GOOD, *(d / "good.html" for d in RULE_DIRS)]
ALL_BAD = [*BAD, *(d / "bad.html" for d in RULE_DIRS)]
ALL_PAGES = [*ALL_GOOD, *ALL_BAD]
PARSERS = ("html5lib", "lxml")

EXPECT = re.compile(r"(TK\d{3})@(\d+)")
DOC = Path(__file__).resolve().parents[2] / "docs" / "lint-rules.md"
# The rule table of docs/lint-rules.md: | [TK101](#tk101) | loader-missing | warning | ... |
DOC_ROW = re.compile(r"^\| \[(TK\d{3})\]\(#tk\d{3}\) \| [\w-]+ \| (error|warning|info) \|", re.M)
DOC_SEVERITY: dict[str, str] = dict(DOC_ROW.findall(DOC.read_text(encoding="utf-8")))


def page_id(page: Path) -> str:
    """``good/cart`` or ``TK202/bad``."""
    return f"{page.parent.name}/{page.stem}"


def expected_body(page: Path) -> dict[str, Any]:
    """The request body checked in for a good page (``<page>.json``)."""
    data: dict[str, Any] = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return data


def expected_findings(page: Path) -> set[tuple[str, int]]:
    """The (code, line) pairs a bad page lists in its first line."""
    first = page.read_text(encoding="utf-8").splitlines()[0]
    return {(code, int(line)) for code, line in EXPECT.findall(first)}


def serving(folder: Path) -> dict[str, Any] | None:
    """The folder's ``serve.json``, or None for a page read from its file."""
    path = folder / "serve.json"
    if not path.is_file():
        return None
    config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return config


def need_parser(parser: str) -> None:
    """Skip a test of ``--parser lxml`` when lxml is missing, or fail when the environment
    asks for every optional test to run (``TAGKIT_REQUIRE_BROWSER=1``, as in CI)."""
    if parser != "lxml":
        return
    try:
        import lxml  # noqa: F401
    except ImportError:
        reason = 'lxml is not installed (pip install "tagkit[lxml]", or the dev extra)'
        if os.environ.get(REQUIRE_BROWSER_ENV, "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason}; {REQUIRE_BROWSER_ENV} is set", pytrace=False)
        pytest.skip(reason)


@contextmanager
def lint_target(page: Path) -> Iterator[tuple[str, list[str]]]:
    """What ``tagkit lint`` is given for ``page``: its file, or, when its folder has a
    ``serve.json``, its URL on a loopback server, plus the folder's extra arguments."""
    config = serving(page.parent)
    if config is None:
        yield str(page), []
        return
    kind = page.stem
    path = config.get("path", "/")
    routes: dict[str, tuple[str, dict[str, str], bytes]] = {
        path: (
            "text/html; charset=utf-8",
            config.get("headers", {}).get(kind, {}),
            page.read_bytes(),
        )
    }
    for route, (content_type, body) in config.get("files", {}).get(kind, {}).items():
        routes[route] = (content_type, {}, body.encode("utf-8"))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = routes.get(self.path)
            content_type, headers, body = found or ("text/plain", {}, b"not found")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield base + path, [arg.replace("{base}", base) for arg in config.get("args", [])]
    finally:
        server.shutdown()
        server.server_close()

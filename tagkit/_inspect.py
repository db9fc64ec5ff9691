"""``tagkit inspect --browser``: the request Connectif's client records in Chromium, and how it
differs from tagkit's static view (:mod:`tagkit._request`).

The page is served by :class:`tagkit.testing.ConnectifHarness` (tagkit's double of the client,
or a real client file) with auto-send on, in a fresh browser context, so the first request is
the one a new visitor's browser sends. A page without a loader gets one appended, so it sends
what it would once loaded. The comparison leaves out what only a browser knows
(``browserInfo``, ``pushSubscription``) and the tracker id
(docs/connectif.md#event-client-substitutions).

>>> compare({"events": [{"type": "page-visit"}]}, {"events": [], "browserInfo": {}}).splitlines()[0]
'--- static'
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import json
from pathlib import Path
from typing import Any

from . import vocabulary as vocab
from ._dom import decode, parse_document
from ._loaders import find_loaders

BROWSER_ONLY = ("browserInfo", "pushSubscription")
# Appended to a page without a loader: the harness serves its client for any store.
STAND_IN_LOADER = (
    '<script src="https://cdn.connectif.cloud/eu1/client-script/'
    '00000000-0000-4000-8000-000000000000"></script>'
)
DEFAULT_TIMEOUT = 10.0


class BrowserProblem(Exception):
    """The page could not be run in a browser; the message says why and how to fix it."""


def comparable(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without what only a browser knows and without the tracker id."""
    out = {k: copy.deepcopy(v) for k, v in body.items() if k not in BROWSER_ONLY}
    info = out.get(vocab.CONTACT_TAG.body_path or "")
    if isinstance(info, dict):
        info.pop(vocab.TRACKER_ID.js_key, None)
    return out


def compare(static: dict[str, Any], recorded: dict[str, Any]) -> str:
    """A unified diff of the two bodies (``""`` when they agree)."""
    ours = json.dumps(comparable(static), indent=2, sort_keys=True, ensure_ascii=False)
    theirs = json.dumps(comparable(recorded), indent=2, sort_keys=True, ensure_ascii=False)
    if ours == theirs:
        return ""
    lines = difflib.unified_diff(
        ours.splitlines(), theirs.splitlines(), "static", "browser", lineterm=""
    )
    return "\n".join(lines)


def with_loader(html: str) -> str:
    """``html``, with a loader appended when it has none."""
    if find_loaders(parse_document(html)):
        return html
    return html + STAND_IN_LOADER


def record_in_browser(
    data: str | bytes,
    *,
    url: str,
    client_file: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, Any]:
    """The body of the first request the client sends for the page, in headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserProblem("--browser needs Playwright: pip install 'tagkit[browser]'") from None
    from .testing import BrowserUnavailable, ConnectifHarness, launch_chromium

    client = None
    if client_file is not None:
        client = Path(client_file)
        if not client.is_file():
            raise BrowserProblem(f"--connectif-client {client_file}: no such file")
    html = with_loader(decode(data))
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except BrowserUnavailable as exc:
            raise BrowserProblem(str(exc).replace("\n", " ")) from None
        try:
            with ConnectifHarness(browser, client_file=client, timeout=timeout) as harness:
                shop = harness.open(html, url=url)
                # None yet, or more than one: the first is the one compared.
                with contextlib.suppress(AssertionError):
                    shop.wait_for_requests(1, timeout=timeout)
                requests = shop.requests
                if not requests:
                    errors = "; ".join(shop.errors) or "none"
                    raise BrowserProblem(
                        f"the client sent no request within {timeout:g}s (page errors: {errors})"
                    )
                return requests[0].body
        finally:
            browser.close()


__all__ = ["BrowserProblem", "comparable", "compare", "record_in_browser", "with_loader"]

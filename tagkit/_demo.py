"""``tagkit demo``: a small static shop with the loader on every page and every tag and event of
the vocabulary used somewhere, and the check that loads it in Chromium.

The shop is data shipped in ``static/demo-shop/``: ``shop.json`` lists the pages (file, title,
mode, text) with the demo store's id and region, and each page's page document sits beside it
(``product.html`` <- ``product.json``). :func:`build` renders each page from its data file with
the public API (:func:`tagkit.render_loader`, :func:`tagkit.render_page`,
:func:`tagkit.render_page_events`); data files already in the folder are kept, so a user's edits
survive and are what the pages are rendered from.

:func:`check` serves the folder on 127.0.0.1 and opens each page through
:class:`tagkit.testing.ConnectifHarness` (the CDN URL of the loader is answered with tagkit's
double of Connectif's client), then compares the one request the client sends with what the page
document says it should send (:meth:`tagkit.Page.to_js`). Playwright is imported only there.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from . import vocabulary as vocab
from .errors import ConfigError, Problem, ValidationError

if TYPE_CHECKING:
    from http.server import ThreadingHTTPServer

    from .testing import ConnectifPage, Notification

SHOP_FOLDER = "demo-shop"
MANIFEST = "shop.json"
DEFAULT_DIR = "tagkit-demo"
TAGS_MODE = "tags"  # not a Connectif name: the integration mode
EVENTS_MODE = "events"  # not a Connectif name: the integration mode
MODES = (TAGS_MODE, EVENTS_MODE)
DATA_SUFFIX = ".json"
# What each page must send: exactly one request (page-visit last), seconds to wait for it, and
# how long to wait afterwards for a second one that must not come.
DEFAULT_TIMEOUT = 10.0
SETTLE = 0.3

# Keys of the request the check compares; the rest (browserInfo, bannerPlaceholders, the
# page's title and keywords) is the browser's own.
_BODY_KEYS = tuple(t.body_path for t in (vocab.CONTACT_TAG, vocab.CART_TAG) if t.body_path)
_PAGE_INFO_KEYS = tuple(
    t.body_path.partition(".")[2] for t in vocab.PAGE_INFO_TAGS if t.body_path is not None
)
# Properties the client does not read from tags (docs/connectif.md#tag-product): a page that
# uses them sends without them, so the check leaves them out of what it expects.
_UNREAD = frozenset(
    p.js_key
    for rows in (*vocab.OBJECTS.values(), *(t.properties for t in vocab.ENTRIES))
    for p in rows
    if not p.read_by_client
)


class DataFileProblem(Exception):
    """A data file of the shop cannot be read or is not JSON; the message names it."""


class CheckUnavailable(Exception):
    """``--check`` cannot run (no Playwright, no Chromium); the message says how to fix it."""


@dataclass(frozen=True)
class DemoPage:
    """One page of the shop: its file, link label, title, mode and text, from ``shop.json``."""

    file: str
    label: str
    title: str
    mode: str
    intro: str

    @property
    def data_file(self) -> str:
        """The page document's file: ``product.html`` -> ``product.json``."""
        return self.file.rsplit(".", 1)[0] + DATA_SUFFIX

    @property
    def auto_send(self) -> bool:
        """The store setting the page is written for: on in tags mode, off in events mode."""
        return self.mode == TAGS_MODE


@dataclass(frozen=True)
class Shop:
    """The demo store and its pages."""

    store_id: str
    region: str
    pages: tuple[DemoPage, ...]


@dataclass(frozen=True)
class Built:
    """One page as :func:`render` makes it: its data text, document and HTML."""

    page: DemoPage
    data_text: str
    document: dict[str, Any]
    html: str
    kept: bool


def shipped_dir() -> Path:
    """The folder of the shop's data shipped with tagkit."""
    from ._resources import static_path

    return static_path(SHOP_FOLDER)


def load_shop() -> Shop:
    """The shop described by the shipped ``shop.json``."""
    raw = json.loads((shipped_dir() / MANIFEST).read_text(encoding="utf-8"))
    pages = tuple(
        DemoPage(
            file=p["file"], label=p["label"], title=p["title"], mode=p["mode"], intro=p["intro"]
        )
        for p in raw["pages"]
    )
    for page in pages:
        if page.mode not in MODES:  # a broken package, not the user's doing
            raise ConfigError(f"{MANIFEST}: {page.file}: mode must be one of {MODES}")
    return Shop(store_id=raw["store_id"], region=raw["region"], pages=pages)


def _read_existing(path: Path) -> str | None:
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise DataFileProblem(f"cannot read {str(path)!r}: {exc.strerror}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataFileProblem(f"{path} is not UTF-8 text") from None


def _document(text: str, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DataFileProblem(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(data, dict):
        raise DataFileProblem(f"{path} must hold a page document (a JSON object)")
    return data


def _render_id(page: DemoPage) -> str:
    # A fixed id per page (the script's once-only guard), so a second run writes the same bytes.
    return "tagkit-demo-" + page.file.rsplit(".", 1)[0]


def tagkit_block(shop: Shop, page: DemoPage, document: Mapping[str, Any]) -> str:
    """The loader, then the page's tags (tags mode) or its event script and page tags."""
    from . import render_loader, render_page, render_page_events

    loader = render_loader(shop.store_id, shop.region)
    if page.mode == EVENTS_MODE:
        data = render_page_events(document, render_id=_render_id(page))
    else:
        data = render_page(document)
    return "\n".join(str(part) for part in (loader, data) if part)


_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1d3557;color:#fff;padding:.8em 1.5em}
header a{color:#fff;margin-right:1em;text-decoration:none}
header strong{margin-right:2em}
main{max-width:52em;margin:0 auto;padding:1em 1.5em}
pre{background:#fff;border:1px solid #ddd;padding:1em;overflow:auto;font-size:13px}
.mode{display:inline-block;background:#e9c46a;border-radius:.3em;padding:0 .4em}
"""


def page_html(shop: Shop, page: DemoPage, document: Mapping[str, Any], data_text: str) -> str:
    """The whole HTML document of one page."""
    nav = Markup("").join(Markup('<a href="{}">{}</a>').format(p.file, p.label) for p in shop.pages)
    body = Markup(
        "<header><strong>tagkit demo shop</strong>{nav}</header>\n"
        "<main>\n<h1>{title}</h1>\n<p>{intro}</p>\n"
        '<p>Rendered in <span class="mode">{mode} mode</span> from '
        '<a href="{data}">{data}</a>, the page document below. Edit it and run '
        "<code>tagkit demo</code> again to render this page from it; "
        "<code>tagkit demo --check</code> loads every page in Chromium with tagkit's double of "
        "Connectif's client and compares what it sends with this data.</p>\n"
        "<pre>{json}</pre>\n</main>\n"
    ).format(
        nav=nav,
        title=page.title,
        intro=page.intro,
        mode=page.mode,
        data=page.data_file,
        json=data_text.rstrip("\n"),
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{escape(page.title)} - tagkit demo shop</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{tagkit_block(shop, page, document)}\n{body}</body>\n</html>\n"
    )


def render(site: Path, shop: Shop | None = None) -> list[Built]:
    """Every page of the shop, rendered from the data file in ``site`` when there is one (it
    is kept), else from the shipped one. Nothing is written.

    Raises :class:`DataFileProblem` for a data file that cannot be read, and
    :class:`~tagkit.ValidationError` naming each file and field for data that is wrong.
    """
    shop = shop or load_shop()
    built: list[Built] = []
    problems: list[Problem] = []
    for page in shop.pages:
        path = site / page.data_file
        existing = _read_existing(path)
        text = existing
        if text is None:
            text = (shipped_dir() / page.data_file).read_text(encoding="utf-8")
        document = _document(text, path)
        try:
            html = page_html(shop, page, document, text)
        except ValidationError as exc:
            problems.extend(
                Problem(f"{path}:" + (f" {p.path}" if p.path else ""), p.message)
                for p in exc.problems
            )
            continue
        built.append(Built(page, text, document, html, kept=existing is not None))
    if problems:
        raise ValidationError(problems)
    return built


def build(
    site: Path, write: Callable[[Path, str], None], *, only_missing: bool = False
) -> list[Built]:
    """Render every page (see :func:`render`), then write each missing data file and each
    page with ``write`` (an atomic writer). ``only_missing`` leaves existing pages as they are.
    """
    built = render(site)
    for item in built:
        if not item.kept:
            write(site / item.page.data_file, item.data_text)
        target = site / item.page.file
        if only_missing and target.exists():
            continue
        write(target, item.html)
    return built


def differs_from_shipped(item: Built) -> bool:
    """Whether a page's data file is not the one tagkit ships (the user edited it)."""
    shipped = (shipped_dir() / item.page.data_file).read_text(encoding="utf-8")
    return item.data_text != shipped


@contextmanager
def server(site: Path) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    """An HTTP server for ``site`` on 127.0.0.1 and a free port, and its base URL; the caller
    runs ``serve_forever()``. Requests are logged to stderr."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        httpd.daemon_threads = True
        yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def is_complete(site: Path, shop: Shop | None = None) -> bool:
    """Whether every page and data file of the shop is in ``site``."""
    shop = shop or load_shop()
    return all(
        (site / name).is_file() for page in shop.pages for name in (page.file, page.data_file)
    )


# -- the check ----------------------------------------------------------------------------------


def plain(value: object) -> Any:
    """JSON as the browser has it (decimals become numbers), without what the client does not
    read from tags."""
    from .jsonsafe import dumps

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in _UNREAD}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(json.loads(dumps(value)))


def expected_body(document: Mapping[str, Any]) -> dict[str, Any]:
    """What the client must send for a page document: contact and cart when there are, the
    events with page-visit last, and the page's categories and tags."""
    from . import Page

    body: dict[str, Any] = plain(Page.from_dict(document).to_js())
    return body


def received_body(request: Notification) -> dict[str, Any]:
    """The parts of a request that a page's data decides (the tracker id is the client's)."""
    body: dict[str, Any] = {}
    for key in _BODY_KEYS:
        value = request.body.get(key)
        if key == vocab.CONTACT_TAG.body_path and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != vocab.TRACKER_ID.js_key}
            if not value:
                continue
        if value is not None:
            body[key] = value
    body[vocab.EVENTS_KEY] = request.events
    body[vocab.PAGE_INFO_KEY] = {k: request.page_info.get(k) for k in _PAGE_INFO_KEYS}
    return body


def event_types(body: Mapping[str, Any]) -> list[str]:
    """The ``type`` of each event of a request body."""
    events = body.get(vocab.EVENTS_KEY) or []
    return [str(e.get(vocab.EVENT_TYPE_KEY)) for e in events if isinstance(e, dict)]


def _numbers_alike(node: Any) -> Any:
    # JSON has one number type: 10, 10.0 and 1e1 are the same value (true stays true).
    if isinstance(node, dict):
        return {k: _numbers_alike(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_numbers_alike(v) for v in node]
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return float(node)
    return node


def _json_text(body: Mapping[str, Any]) -> str:
    return json.dumps(_numbers_alike(body), indent=2, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class PageResult:
    """What one page sent, against what its data says it should send."""

    file: str
    expected: list[str]
    received: list[str] | None
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def compare(file: str, expected: dict[str, Any], shop: ConnectifPage) -> PageResult:
    """One page's result from the requests and errors the harness recorded."""
    problems: list[str] = []
    requests = shop.requests
    if len(requests) != 1:
        problems.append(f"sent {len(requests)} requests; a page view sends exactly 1")
    received = [e for r in requests for e in r.events]
    if len(requests) == 1:
        got = received_body(requests[0])
        want_text = _json_text(expected)
        got_text = _json_text(got)
        if want_text != got_text:
            diff = difflib.unified_diff(
                want_text.splitlines(), got_text.splitlines(), "expected", "received", lineterm=""
            )
            problems.append("the request differs from the data (- expected, + received):")
            problems.extend("  " + line for line in diff)
    problems.extend(f"page error: {error}" for error in shop.errors)
    problems.extend(f"blocked request: {url}" for url in shop.blocked)
    types = [str(e.get(vocab.EVENT_TYPE_KEY)) for e in received] if requests else None
    return PageResult(file, event_types(expected), types, tuple(problems))


def check(
    site: Path, *, timeout: float = DEFAULT_TIMEOUT, pages: Sequence[str] | None = None
) -> list[PageResult]:
    """Load each page of ``site`` (or the ``pages`` named) in headless Chromium with tagkit's
    double of Connectif's client, and compare the request it sends with its data file. The
    pages are checked as they are on disk, so a page edited by hand, or not rendered again
    after its data changed, shows up as a difference.

    Raises :class:`CheckUnavailable` without Playwright or Chromium, :class:`DataFileProblem`
    or :class:`~tagkit.ValidationError` for a data file that cannot be used.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise CheckUnavailable(
            "--check needs Playwright: pip install 'tagkit[browser]' (and Chromium: "
            "apt-get install chromium)"
        ) from None
    from .testing import BrowserUnavailable, ConnectifHarness, launch_chromium, serve_directory

    for page in load_shop().pages:
        if _read_existing(site / page.data_file) is None:
            raise DataFileProblem(
                f"{site / page.data_file} is missing; run tagkit demo {site} to write it"
            )
    built = [b for b in render(site) if pages is None or b.page.file in pages]
    results: list[PageResult] = []
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except BrowserUnavailable as exc:
            raise CheckUnavailable(" ".join(str(exc).split())) from None
        try:
            with serve_directory(site) as base, ConnectifHarness(browser, timeout=timeout) as h:
                for item in built:
                    page = item.page
                    shop = h.visit(f"{base}/{page.file}", auto_send=page.auto_send)
                    try:
                        try:
                            shop.wait_for_requests(1, timeout=timeout)
                            shop.assert_no_more_requests(SETTLE)
                        except AssertionError:
                            pass  # none, or more than one: compare() says which
                        result = compare(page.file, expected_body(item.document), shop)
                    finally:
                        shop.close()
                    if not result.ok and _read_existing(site / page.file) != item.html:
                        hint = (
                            f"{page.file} is not what {page.data_file} renders to (edited by "
                            f"hand, or not rendered since the data changed): run "
                            f"tagkit demo {site} to render it again"
                        )
                        result = PageResult(
                            result.file, result.expected, result.received, (*result.problems, hint)
                        )
                    results.append(result)
        finally:
            browser.close()
    return results


def table(results: Sequence[PageResult]) -> list[str]:
    """The check's table: page, expected events, received events, OK."""
    rows = [("page", "expected events", "received events", "OK")]
    for r in results:
        received = "(no request)" if r.received is None else ", ".join(r.received) or "(none)"
        rows.append((r.file, ", ".join(r.expected), received, "ok" if r.ok else "DIFFERS"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]


__all__ = [
    "DEFAULT_DIR",
    "Built",
    "CheckUnavailable",
    "DataFileProblem",
    "DemoPage",
    "PageResult",
    "Shop",
    "build",
    "check",
    "expected_body",
    "is_complete",
    "load_shop",
    "render",
    "table",
]

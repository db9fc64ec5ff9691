"""Open pages in Chromium with Connectif swapped for a local client, and record what is sent."""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from .. import vocabulary as vocab
from ._notification import Notification, notification_store_id
from ._served import (
    PROFILES,
    ClientScriptRequest,
    config_override_script,
    double_script,
    harness_overrides,
    page_probe_script,
    real_client_script,
    store_configuration,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route
    from playwright.sync_api import Error as PlaywrightError

DEFAULT_URL = "https://shop.example/"
DOUBLE_FILE = "connectif-double.js"

_TRACKER_ID = re.compile(r"^[0-9a-fA-F]{24}$")
_TRACKER_KEY = vocab.TRACKER_ID.js_key
_DEFAULT_PORTS = {"http": 80, "https": 443}
_POLL_MS = 20.0


def _normalize(url: str, *, keep_query: bool = True) -> str:
    """The form Chromium reports a URL in: lower-case scheme and host, no default port, a path."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if parts.port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{parts.port}"
    query = parts.query if keep_query else ""
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _origin(url: str) -> str:
    parts = urlsplit(_normalize(url))
    return f"{parts.scheme}://{parts.netloc}"


def _check_url(url: str, argument: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{argument} must be an absolute http(s) URL, got {url!r}")


def _read_html(html: str | Path) -> str:
    return html.read_text(encoding="utf-8") if isinstance(html, Path) else html


class ConnectifPage:
    """One browser page whose Connectif traffic is served and recorded by the harness.

    Created by :meth:`ConnectifHarness.open` or :meth:`ConnectifHarness.visit`. Every request
    the page makes is either answered by the harness (the page itself, ``routes``, the client
    script, Connectif notifications) or aborted and listed in :attr:`blocked`.

    Example (run in a test with the browser)::

        shop = connectif.open(html)
        [request] = shop.wait_for_requests(1)
        assert request.event_types == ["product-visited", "page-visit"]
        shop.assert_no_more_requests()
    """

    def __init__(
        self,
        context: BrowserContext,
        *,
        serve_client: Callable[[ClientScriptRequest], str],
        routes: Mapping[str, tuple[str, str]] | None = None,
        passthrough_origin: str | None = None,
    ) -> None:
        self.context = context
        self._serve_client = serve_client
        self._documents: dict[str, str] = {}
        self._routes = {_normalize(url): response for url, response in (routes or {}).items()}
        self._passthrough = passthrough_origin
        self._requests: list[Notification] = []
        self._errors: list[str] = []
        self._blocked: list[str] = []
        self._client_scripts: list[str] = []
        self._acknowledged = 0
        self.tracker_id = secrets.token_hex(12)
        """The tracker id the fake Connectif answers with (24 hex characters,
        docs/connectif.md#request-response)."""
        context.route("**/*", self._handle)
        self.page: Page = context.new_page()
        self.page.on("pageerror", self._on_page_error)
        self.page.on("console", self._on_console)

    # -- what happened --------------------------------------------------------------------------

    @property
    def requests(self) -> list[Notification]:
        """Every Connectif notification received so far, oldest first."""
        return list(self._requests)

    @property
    def errors(self) -> list[str]:
        """Uncaught page errors, ``console.error`` messages and harness problems, in order."""
        return list(self._errors)

    @property
    def blocked(self) -> list[str]:
        """URLs the page asked for that the harness aborted (nothing leaves the machine)."""
        return list(self._blocked)

    @property
    def url(self) -> str:
        """The page's current address (after any ``history.replaceState``)."""
        return self.page.url

    def sent_events(self) -> list[dict[str, Any]]:
        """The events of every notification so far, flattened in the order they were sent."""
        return [event for request in self._requests for event in request.events]

    @property
    def config_overrides(self) -> dict[str, tuple[Any, Any]]:
        """What the harness changed in a real client file's own store configuration.

        ``{key: (the file's value, the harness's value)}`` for every key the current document's
        client file set differently (or not at all): ``baseUrl`` and ``token`` of the store named
        by the loader, the tracking settings of :meth:`ConnectifHarness.open` and the test's
        ``config`` (docs/connectif.md#request-store-config). Empty with tagkit's double, whose
        configuration the harness writes itself.

        Example (run in a test with the browser, ``--connectif-client`` given)::

            shop = connectif.open(html)
            shop.wait_for_requests(1)
            assert shop.config_overrides["token"][1] == STORE_ID
        """
        found = self.page.evaluate("() => (window.__tagkitHarness || {}).configOverrides || {}")
        return {str(key): (pair[0], pair[1]) for key, pair in found.items()}

    def lifecycle_events(self) -> list[str]:
        """Connectif's ``document`` events seen so far, e.g. ``['connectif.loaded', ...]``."""
        events = self.page.evaluate("() => (window.__tagkitHarness || {}).lifecycle || []")
        return [str(name) for name in events]

    # -- driving the page -----------------------------------------------------------------------

    def goto(self, html: str | Path, *, url: str | None = None) -> None:
        """Serve ``html`` at ``url`` (default: the current address) and navigate there.

        The browser context, and so ``localStorage`` (stored tracker, last contact and cart),
        is kept: this is the next page view of the same visitor.
        """
        target = url if url is not None else self.page.url
        _check_url(target, "url")  # not a Connectif name
        self._documents[_normalize(target, keep_query=False)] = _read_html(html)
        self.page.goto(target)

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        """Run JavaScript in the page (Playwright's ``page.evaluate``) and return its result."""
        return self.page.evaluate(expression, arg)

    def send_events(self, events: object, options: Mapping[str, Any] | None = None) -> None:
        """Call ``connectif.managed.sendEvents(events, options)`` in the page and await it.

        ``events`` and ``options`` must be JSON-like (no ``onResponded`` callback). A call the
        client rejects (e.g. before initialisation,
        docs/connectif.md#wait-not-initialized-throws) raises Playwright's ``Error``.
        """
        self.page.evaluate(
            "([events, options]) => window.connectif.managed.sendEvents(events, options)",
            [events, dict(options) if options is not None else None],
        )

    # -- waiting and asserting ------------------------------------------------------------------

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[Notification]:
        """Wait until exactly ``count`` notifications have arrived in total; return them all.

        Raises ``AssertionError`` listing what did arrive (and page errors, blocked URLs and
        lifecycle events) when fewer arrive within ``timeout`` seconds, or when more than
        ``count`` have arrived: one call must produce one request. When it returns, the client
        has also handled the responses (stored the tracker id, called ``onResponded``).
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        deadline = time.monotonic() + timeout
        while len(self._requests) < count:
            remaining_ms = (deadline - time.monotonic()) * 1000
            if remaining_ms <= 0:
                raise AssertionError(
                    self._report(
                        f"expected {count} Connectif request(s) within {timeout:g}s, "
                        f"got {len(self._requests)}"
                    )
                )
            self.page.wait_for_timeout(min(_POLL_MS, remaining_ms))
        if len(self._requests) > count:
            raise AssertionError(
                self._report(
                    f"expected {count} Connectif request(s), got {len(self._requests)}: "
                    "something sent more than once"
                )
            )
        # A request is recorded when it leaves the page; what the client does with the answer
        # (store the tracker, call onResponded) must be done before the test goes on.
        while not self._responses_handled():
            remaining_ms = (deadline - time.monotonic()) * 1000
            if remaining_ms <= 0:
                raise AssertionError(
                    self._report(
                        f"the client did not finish handling the response(s) within {timeout:g}s"
                    )
                )
            self.page.wait_for_timeout(min(_POLL_MS, remaining_ms))
        self._acknowledged = count
        return list(self._requests)

    def assert_no_more_requests(self, wait: float = 0.5) -> None:
        """Wait ``wait`` seconds and fail if any notification arrived beyond those already
        returned by :meth:`wait_for_requests` (none, if it was never called).

        Use it after an action that must send nothing: a de-duplicated call, a skipped page,
        a page with auto-send off. Fails as soon as an extra request arrives.
        """
        deadline = time.monotonic() + wait
        while True:
            if len(self._requests) != self._acknowledged:
                raise AssertionError(
                    self._report(
                        f"expected no Connectif request beyond the {self._acknowledged} already "
                        f"seen, got {len(self._requests) - self._acknowledged} more"
                    )
                )
            remaining_ms = (deadline - time.monotonic()) * 1000
            if remaining_ms <= 0:
                return
            self.page.wait_for_timeout(min(_POLL_MS, remaining_ms))

    def wait_for_initialized(self, timeout: float = 5.0) -> None:
        """Wait for ``connectif.managed.initialized`` on ``document``
        (docs/connectif.md#wait-lifecycle-events)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        try:
            self.page.wait_for_function(
                "() => ((window.__tagkitHarness || {}).lifecycle || [])"
                ".includes('connectif.managed.initialized')",
                timeout=timeout * 1000,
                polling=_POLL_MS,
            )
        except PlaywrightTimeoutError:
            raise AssertionError(
                self._report(
                    f"the client did not dispatch connectif.managed.initialized within {timeout:g}s"
                )
            ) from None

    def assert_no_errors(self) -> None:
        """Fail when the page had uncaught errors or ``console.error`` output."""
        if self._errors:
            raise AssertionError(self._report(f"the page reported {len(self._errors)} error(s)"))

    def close(self) -> None:
        """Close the page's browser context (also done by the harness at the end of a test)."""
        with contextlib.suppress(Exception):
            self.context.close()

    # -- internals ------------------------------------------------------------------------------

    def _report(self, headline: str) -> str:
        lines = [headline]
        lines.append(f"  page: {self.page.url}")
        if self._requests:
            lines.append("  requests received:")
            lines.extend(
                f"    {number}. {request.summary()}"
                for number, request in enumerate(self._requests, start=1)
            )
        else:
            lines.append("  requests received: none")
        with contextlib.suppress(Exception):
            lines.append(f"  lifecycle events: {self.lifecycle_events()}")
        with contextlib.suppress(Exception):
            overrides = self.config_overrides
            if overrides:
                lines.append("  store configuration of the client file, overridden by the harness:")
                lines.extend(
                    f"    {key}: {json.dumps(file_value)} -> {json.dumps(harness_value)}"
                    for key, (file_value, harness_value) in sorted(overrides.items())
                )
        if self._errors:
            lines.append("  page errors:")
            lines.extend(f"    {error}" for error in self._errors)
        if self._blocked:
            lines.append("  blocked requests:")
            lines.extend(f"    {url}" for url in self._blocked)
        if not self._client_scripts:
            lines.append(
                "  hint: the page never requested https://cdn.connectif.cloud/<region>/"
                "client-script/<store id>; does it include a Connectif loader?"
            )
        elif not self._requests:
            lines.append(
                "  hint: the client loaded but sent nothing. Tag-only pages need auto_send=True; "
                "a config may skip the page (webTrackingEnabled, allowedDomains, "
                "excludeTracking, samplingTrackingPercent); sendEvents throws before "
                "initialisation (docs/connectif.md#wait-not-initialized-throws)."
            )
        return "\n".join(lines)

    def _responses_handled(self) -> bool:
        # Counted per document by the page probe (the client posts with XMLHttpRequest,
        # docs/connectif.md#request-endpoint); a client using anything else is simply not
        # waited for.
        from playwright.sync_api import Error as PlaywrightError

        try:
            counts = self.page.evaluate(
                "() => { const s = window.__tagkitHarness || {};"
                " return [s.notificationsStarted || 0, s.notificationsFinished || 0]; }"
            )
        except PlaywrightError:  # the page is navigating; ask again on the next poll
            return False
        return bool(counts[1] >= counts[0])

    def _on_page_error(self, error: PlaywrightError) -> None:
        self._errors.append(f"uncaught {error.name or 'error'}: {error.message}")

    def _on_console(self, message: ConsoleMessage) -> None:
        # Aborted requests are already listed in `blocked`; their console noise is not an error.
        if message.type == "error" and "net::ERR_BLOCKED_BY_CLIENT" not in message.text:
            self._errors.append(f"console.error: {message.text}")

    def _handle(self, route: Route) -> None:
        try:
            self._answer(route)
        except Exception as error:
            # A harness bug must show up in the test, not leave the browser waiting forever.
            self._errors.append(f"harness: {route.request.method} {route.request.url}: {error!r}")
            with contextlib.suppress(Exception):
                route.abort("failed")

    def _answer(self, route: Route) -> None:
        request = route.request
        url = request.url
        routed = self._routes.get(_normalize(url))
        if routed is not None:
            body, content_type = routed
            route.fulfill(status=200, body=body, content_type=content_type)
            return
        document = self._documents.get(_normalize(url, keep_query=False))
        if document is not None and request.method == "GET":
            route.fulfill(status=200, body=document, content_type="text/html; charset=utf-8")
            return
        script = ClientScriptRequest.match(url)
        if script is not None:
            self._client_scripts.append(url)
            route.fulfill(
                status=200,
                body=self._serve_client(script),
                content_type="text/javascript; charset=utf-8",
                headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"},
            )
            return
        if notification_store_id(url) is not None:
            self._answer_notification(route)
            return
        if self._passthrough is not None and _origin(url) == self._passthrough:
            route.continue_()
            return
        self._blocked.append(url)
        route.abort("blockedbyclient")

    def _answer_notification(self, route: Route) -> None:
        request = route.request
        # A simple CORS request without credentials, so "*" is enough
        # (docs/connectif.md#request-cors).
        cors = {"Access-Control-Allow-Origin": "*"}
        if request.method == "OPTIONS":
            # Connectif's client sends no preflight; answer one anyway so a client that does is
            # still recorded (its POST follows) rather than failing obscurely.
            route.fulfill(
                status=204,
                headers={
                    **cors,
                    "Access-Control-Allow-Methods": "POST",
                    "Access-Control-Allow-Headers": "content-type",
                },
            )
            return
        if request.method != "POST":
            self._blocked.append(request.url)
            route.abort("blockedbyclient")
            return
        tracker_id = self.tracker_id
        try:
            notification = Notification.decode(
                request.url, request.post_data, request.headers.get("content-type", "")
            )
        except ValueError as error:
            self._errors.append(f"harness: {error}")
        else:
            self._requests.append(notification)
            given = notification.entity_info.get(_TRACKER_KEY)
            if isinstance(given, str) and _TRACKER_ID.match(given):
                tracker_id = given
        route.fulfill(
            status=200,
            headers=cors,
            content_type="application/json",
            body=json.dumps({_TRACKER_KEY: tracker_id}),
        )


class ConnectifHarness:
    """Opens pages in a shared Chromium with Connectif's client replaced by a local one.

    Requests for ``https://cdn.connectif.cloud/*/client-script/*`` get tagkit's double of
    Connectif's client followed by a store configuration chosen by the test. With a real client
    file given as ``client_file``, the file's own store configuration gets the same settings,
    its store (``baseUrl``, ``token``) included, and :attr:`ConnectifPage.config_overrides` lists
    what was changed. Notifications are answered like Connectif's API and recorded; every other
    request is aborted. Each page gets a fresh browser context, hence a fresh ``localStorage``.

    Example (run in a test with the browser)::

        html = '<div class="cn_login" style="display:none"></div>' + LOADER
        with ConnectifHarness(browser) as harness:
            shop = harness.open(html)
            assert shop.wait_for_requests(1)[0].event_types == ["login", "page-visit"]
    """

    def __init__(
        self, browser: Browser, *, client_file: Path | None = None, timeout: float = 10.0
    ) -> None:
        self.browser = browser
        self.client_file = client_file
        self.timeout = timeout
        self._client_source = (
            client_file.read_text(encoding="utf-8") if client_file is not None else None
        )
        self._double_source: str | None = None
        self._pages: list[ConnectifPage] = []

    @property
    def uses_double(self) -> bool:
        """True when pages get tagkit's double, False when they get a real client file."""
        return self._client_source is None

    def open(
        self,
        html: str | Path,
        *,
        auto_send: bool = True,
        profile: str = "1.3.0",
        url: str = DEFAULT_URL,
        config: Mapping[str, object] | None = None,
        routes: Mapping[str, tuple[str, str]] | None = None,
    ) -> ConnectifPage:
        """Serve ``html`` (markup, or a ``Path`` to read) at ``url`` and open it.

        - ``auto_send``: the store's ``autoSendEventsOnInit`` (docs/connectif.md#mode-tag).
        - ``profile``: ``"1.3.0"`` or ``"newer"`` (adds ``isInitialized()``); double only.
        - ``config``: store-configuration keys laid over the harness defaults
          (docs/connectif.md#request-store-config), e.g.
          ``{"allowedDomains": ["https://shop.example/"]}``.
        - ``routes``: extra responses, ``{url: (body, content_type)}``, e.g. the page's own JS.

        Example (run in a test with the browser)::

            shop = connectif.open("<html>...</html>", auto_send=False)
        """
        _check_url(url, "url")  # not a Connectif name
        shop = self._new_page(
            auto_send=auto_send, profile=profile, config=config, routes=routes, passthrough=None
        )
        shop.goto(html, url=url)
        return shop

    def visit(
        self,
        url: str,
        *,
        auto_send: bool = True,
        profile: str = "1.3.0",
        config: Mapping[str, object] | None = None,
        routes: Mapping[str, tuple[str, str]] | None = None,
    ) -> ConnectifPage:
        """Open a page from a real server, letting requests to its origin through.

        Meant for :func:`~tagkit.testing.serve_directory` (service workers need a real
        origin). The client script, notifications and ``routes`` are still served by the
        harness; requests to any other origin are aborted.

        Example (run in a test with the browser)::

            with serve_directory(site) as base:
                shop = connectif.visit(base + "/index.html")
        """
        _check_url(url, "url")  # not a Connectif name
        shop = self._new_page(
            auto_send=auto_send,
            profile=profile,
            config=config,
            routes=routes,
            passthrough=_origin(url),
        )
        shop.page.goto(url)
        return shop

    def close(self) -> None:
        """Close every page this harness opened."""
        for shop in self._pages:
            shop.close()
        self._pages.clear()

    def __enter__(self) -> ConnectifHarness:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _new_page(
        self,
        *,
        auto_send: bool,
        profile: str,
        config: Mapping[str, object] | None,
        routes: Mapping[str, tuple[str, str]] | None,
        passthrough: str | None,
    ) -> ConnectifPage:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {list(PROFILES)}, got {profile!r}")
        if not self.uses_double and profile != "1.3.0":
            raise ValueError(
                f"profile={profile!r} selects a behaviour of tagkit's Connectif double, but this "
                f"harness serves the real client file {self.client_file} (--connectif-client); "
                "skip tests that need a double profile when `connectif.uses_double` is False"
            )
        for route_url in routes or {}:
            _check_url(route_url, "every routes key")
        overrides = harness_overrides(auto_send, config)
        context = self.browser.new_context()
        context.set_default_timeout(self.timeout * 1000)
        context.add_init_script(page_probe_script())
        if not self.uses_double:
            context.add_init_script(config_override_script(overrides))
        shop = ConnectifPage(
            context,
            serve_client=lambda script: self._client_script(script, profile, overrides),
            routes=routes,
            passthrough_origin=passthrough,
        )
        self._pages.append(shop)
        return shop

    def _client_script(
        self, script: ClientScriptRequest, profile: str, overrides: Mapping[str, object]
    ) -> str:
        configuration = store_configuration(script, overrides)
        if self._client_source is not None:
            return real_client_script(self._client_source, configuration)
        return double_script(self._load_double(), profile, configuration)

    def _load_double(self) -> str:
        if self._double_source is None:
            from .._resources import static_path

            path = static_path(DOUBLE_FILE)
            if not path.is_file():
                raise FileNotFoundError(
                    f"tagkit's Connectif double is missing at {path}; reinstall tagkit"
                )
            self._double_source = path.read_text(encoding="utf-8")
        return self._double_source

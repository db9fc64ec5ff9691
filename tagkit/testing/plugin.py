"""pytest plugin: test pages in Chromium against a local Connectif client.

Registered through the ``pytest11`` entry point, so installing tagkit makes the fixtures
available:

- ``connectif`` (per test): a :class:`~tagkit.testing.ConnectifHarness`;
- ``tagkit_browser`` (per session): the shared headless Chromium;
- ``tagkit_playwright`` (per session): Playwright's sync API;
- ``connectif_api`` (per test): a local double of Connectif's REST API on 127.0.0.1.

Options: ``--connectif-client PATH`` serves a real Connectif client file instead of tagkit's
double; ``--tagkit-chromium PATH`` picks the browser (default ``$TAGKIT_CHROMIUM``, then
``/usr/bin/chromium``, then Playwright's own). Without a browser the tests are skipped, or fail
when ``TAGKIT_REQUIRE_BROWSER=1`` (for CI, where a skip would hide a broken set-up).

Example (run in a test with the browser)::

    def test_login_page(connectif):
        shop = connectif.open(LOGIN_PAGE)
        assert shop.wait_for_requests(1)[0].event_types == ["login", "page-visit"]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

import pytest

from ._browser import BrowserUnavailable, launch_chromium
from ._harness import ConnectifHarness

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

    from ._api_double import ConnectifAPIDouble

REQUIRE_BROWSER_ENV = "TAGKIT_REQUIRE_BROWSER"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tagkit", "tagkit browser harness (Connectif)")
    group.addoption(
        "--connectif-client",
        action="store",
        default=None,
        metavar="PATH",
        help="serve this Connectif client script file instead of tagkit's local double; "
        "its store configuration is overridden with the harness settings",
    )
    group.addoption(
        "--tagkit-chromium",
        action="store",
        default=None,
        metavar="PATH",
        help="Chromium binary for browser tests (default: $TAGKIT_CHROMIUM, then "
        "/usr/bin/chromium, then Playwright's own browser)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: runs in Chromium through Playwright (tagkit.testing)"
    )
    for option, flag in (
        ("connectif_client", "--connectif-client"),
        ("tagkit_chromium", "--tagkit-chromium"),
    ):
        value = config.getoption(option)
        if value is not None and not Path(value).is_file():
            raise pytest.UsageError(f"{flag} {value}: no such file")


def _no_browser(reason: str) -> NoReturn:
    if os.environ.get(REQUIRE_BROWSER_ENV, "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(
            f"{reason}\n({REQUIRE_BROWSER_ENV} is set, so a missing browser fails the tests "
            "instead of skipping them)",
            pytrace=False,
        )
    pytest.skip(f"browser tests need Chromium: {reason}")


@pytest.fixture(scope="session")
def tagkit_playwright(request: pytest.FixtureRequest) -> Iterator[Playwright]:
    """Playwright's sync API for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("Playwright is not installed; install it with pip install 'tagkit[browser]'")
    # Only one sync Playwright can run per thread. When pytest-playwright is active its own
    # session fixture is that one, so share it instead of failing to start a second.
    try:
        shared = request.getfixturevalue("playwright")
    except pytest.FixtureLookupError:
        with sync_playwright() as playwright:
            yield playwright
    else:
        yield cast("Playwright", shared)


@pytest.fixture(scope="session")
def tagkit_browser(
    request: pytest.FixtureRequest, tagkit_playwright: Playwright
) -> Iterator[Browser]:
    """One headless Chromium shared by every test of the session."""
    explicit = request.config.getoption("tagkit_chromium")
    try:
        browser = launch_chromium(tagkit_playwright, Path(explicit) if explicit else None)
    except BrowserUnavailable as error:
        _no_browser(str(error))
    yield browser
    browser.close()


@pytest.fixture
def connectif(
    request: pytest.FixtureRequest, tagkit_browser: Browser
) -> Iterator[ConnectifHarness]:
    """A :class:`~tagkit.testing.ConnectifHarness`; its pages are closed after the test."""
    client = request.config.getoption("connectif_client")
    harness = ConnectifHarness(tagkit_browser, client_file=Path(client) if client else None)
    yield harness
    harness.close()


@pytest.fixture
def connectif_api() -> Iterator[ConnectifAPIDouble]:
    """A running :class:`~tagkit.testing.ConnectifAPIDouble` (Connectif's REST API on
    127.0.0.1), stopped after the test; its ``url`` and ``api_key`` configure the client."""
    from ._api_double import ConnectifAPIDouble

    with ConnectifAPIDouble() as double:
        yield double

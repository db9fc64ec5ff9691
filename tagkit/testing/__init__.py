"""Test web pages against Connectif in a real browser, without Connectif.

The pytest plugin (:mod:`tagkit.testing.plugin`, loaded automatically once tagkit is installed)
provides the ``connectif`` fixture. It serves a page from a fake https origin in headless
Chromium, swaps Connectif's client script for tagkit's local double (or a real client file),
records every notification the client would send to Connectif and blocks all other traffic.

Example (run in a test with the browser)::

    def test_product_page(connectif):
        shop = connectif.open(PRODUCT_PAGE)
        [request] = shop.wait_for_requests(1)
        assert request.event_types == ["product-visited", "page-visit"]
        shop.assert_no_more_requests()
"""

from __future__ import annotations

from ._api_double import ConnectifAPIDouble, Fault
from ._browser import CHROMIUM_ARGS, BrowserUnavailable, launch_chromium
from ._harness import ConnectifHarness, ConnectifPage
from ._loopback import serve_directory
from ._notification import Notification

__all__ = [
    "CHROMIUM_ARGS",
    "BrowserUnavailable",
    "ConnectifAPIDouble",
    "ConnectifHarness",
    "ConnectifPage",
    "Fault",
    "Notification",
    "launch_chromium",
    "serve_directory",
]

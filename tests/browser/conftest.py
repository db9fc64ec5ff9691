"""Hand-written pages for the browser tests.

The fixtures (``connectif``, ``tagkit_browser``) come from tagkit's pytest plugin, which the
``pytest11`` entry point loads once tagkit is installed. The markup here is written by hand from
docs/connectif.md, never produced by tagkit's renderer, so these tests check the double and the
harness on their own.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

from tagkit.testing.plugin import REQUIRE_BROWSER_ENV

STORE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
CLIENT_SCRIPT_URL = (
    "https://cdn.connectif.cloud/eu1/client-script/0f8fad5b-d9cb-469f-a165-70867728950e"
)
NOTIFICATION_URL = (
    "https://eu1-api.connectif.cloud/integration-type/system/scrippet-notification/"
    "0f8fad5b-d9cb-469f-a165-70867728950e"
)

# A loader with the behaviour of docs/connectif.md#loader: append the client script once the body
# exists.
LOADER = """<script async id="__cn_generic_script__0f8fad5b-d9cb-469f-a165-70867728950e">
(function () {
  function append() {
    if (document.getElementById("__cn_client_script_0f8fad5b-d9cb-469f-a165-70867728950e")) return;
    var script = document.createElement("script");
    script.src = "https://cdn.connectif.cloud/eu1/client-script/0f8fad5b-d9cb-469f-a165-70867728950e";
    script.id = "__cn_client_script_0f8fad5b-d9cb-469f-a165-70867728950e";
    document.body.appendChild(script);
  }
  if (document.readyState === "interactive" || document.readyState === "complete") append();
  else document.addEventListener("DOMContentLoaded", append);
})();
</script>"""

# The example product of docs/connectif.md#tag-product-events, as the children of a product
# container.
RED_SHOE = (
    '<span class="url">https://shop.example/p/red-shoe</span>'
    '<span class="product_id">SKU-77</span>'
    '<span class="name">Red shoe</span>'
    '<span class="unit_price">49.90</span>'
)


def page(body: str, *, head: str = "", title: str = "Test page") -> str:
    """A minimal document: ``head``, then the loader first in ``<body>``
    (docs/connectif.md#loader-placement), then ``body``."""
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>{title}</title>{head}</head><body>{LOADER}{body}</body></html>"
    )


# Waits for the page's service worker to activate, then asks it whether the imported
# Connectif worker answers (the stand-in workers of the tests reply to any message).
WAIT_FOR_ACTIVE_WORKER = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return {state: 'not registered'};
  const worker = registration.active || registration.waiting || registration.installing;
  if (worker.state !== 'activated') {
    await new Promise((resolve) => {
      worker.addEventListener('statechange', () => worker.state === 'activated' && resolve());
      setTimeout(resolve, 5000);
    });
  }
  const imported = await new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('message', (event) => resolve(event.data));
    worker.postMessage('imported?');
    setTimeout(() => resolve('no answer'), 5000);
  });
  return {state: worker.state, scope: registration.scope, script: worker.scriptURL, imported};
}"""


# --- a real client file instead of the double (--connectif-client) --------------------------------

DOUBLE_PROFILE_SKIPPED = (
    "needs a profile of tagkit's Connectif double (profile='newer'); "
    "--connectif-client serves a real client file"
)


def profiles() -> list[Any]:
    """The client profiles a test runs with; the double's own "newer" profile only with the
    double. A function, since the marker exists only once ``pytest_configure`` below has run."""
    return ["1.3.0", pytest.param("newer", marks=pytest.mark.double_profile)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "double_profile: needs a profile of tagkit's Connectif double (profile='newer'); "
        "skipped when --connectif-client serves a real client file",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("double_profile") and item.config.getoption("connectif_client"):
        pytest.skip(DOUBLE_PROFILE_SKIPPED)


def _browser_required() -> bool:
    return os.environ.get(REQUIRE_BROWSER_ENV, "").strip().lower() in ("1", "true", "yes")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """With TAGKIT_REQUIRE_BROWSER=1 (CI) a skipped browser test fails, unless it needs a double
    profile and a real client file is in use: a skip must never hide a test that did not run."""
    report = yield
    if not report.skipped or hasattr(report, "wasxfail") or not _browser_required():
        return report
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    if DOUBLE_PROFILE_SKIPPED not in reason:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} was skipped ({reason}), but {REQUIRE_BROWSER_ENV} is set: "
            "only tests that need a profile of tagkit's double may skip, with --connectif-client"
        )
    return report

"""The harness itself: what it serves, blocks and records, and that its checks can fail."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tagkit._resources import static_path
from tagkit.testing import ConnectifHarness, ConnectifPage, Notification, serve_directory
from tagkit.testing._served import page_probe_script

from .cdn_client import TAIL_BASE_URL, TAIL_STORE_ID, cdn_client_script
from .conftest import (
    DOUBLE_PROFILE_SKIPPED,
    NOTIFICATION_URL,
    RED_SHOE,
    STORE_ID,
    WAIT_FOR_ACTIVE_WORKER,
    page,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PRODUCT_PAGE = page(f'<div class="cn_product_visited" style="display:none">{RED_SHOE}</div>')


# --- the checks can fail ---------------------------------------------------------------------------


def test_waiting_for_a_request_that_never_comes_fails_with_a_report(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(PRODUCT_PAGE, auto_send=False)
    with pytest.raises(AssertionError) as failure:
        shop.wait_for_requests(1, timeout=0.3)
    report = str(failure.value)
    assert "expected 1 Connectif request(s) within 0.3s, got 0" in report
    assert "requests received: none" in report
    assert "auto_send=True" in report


def test_a_page_without_loader_is_reported_as_such(connectif: ConnectifHarness) -> None:
    shop = connectif.open("<!doctype html><title>t</title><p>No Connectif here</p>")
    with pytest.raises(
        AssertionError, match=re.escape("never requested https://cdn.connectif.cloud/")
    ):
        shop.wait_for_requests(1, timeout=0.2)


def test_more_requests_than_expected_fail(connectif: ConnectifHarness) -> None:
    shop = connectif.open(PRODUCT_PAGE)
    shop.wait_for_requests(1)
    shop.send_events([{"type": "login"}])
    shop.wait_for_requests(2)
    with pytest.raises(AssertionError, match=r"expected 1 Connectif request\(s\), got 2"):
        shop.wait_for_requests(1)


def test_an_unexpected_request_fails_assert_no_more_requests(connectif: ConnectifHarness) -> None:
    shop = connectif.open(PRODUCT_PAGE)
    with pytest.raises(AssertionError) as failure:
        shop.assert_no_more_requests(wait=5.0)
    assert "expected no Connectif request beyond the 0 already seen, got 1 more" in str(
        failure.value
    )
    assert "events ['product-visited', 'page-visit']" in str(failure.value)


def test_wait_for_initialized_fails_without_a_client(connectif: ConnectifHarness) -> None:
    shop = connectif.open("<!doctype html><title>t</title>")
    with pytest.raises(
        AssertionError, match=re.escape("did not dispatch connectif.managed.initialized")
    ):
        shop.wait_for_initialized(timeout=0.2)


# --- what is served, blocked and recorded ---------------------------------------------------------


def test_other_requests_are_blocked_and_extra_routes_are_served(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(
        page(
            '<img src="https://tracker.example/pixel.gif" alt="">'
            '<script src="https://shop.example/js/app.js"></script>'
            "<script>fetch('https://api.elsewhere.example/data').catch(() => {});</script>"
        ),
        routes={"https://shop.example/js/app.js": ("window.appLoaded = 42;", "text/javascript")},
    )
    shop.wait_for_requests(1)
    assert shop.evaluate("() => window.appLoaded") == 42
    assert "https://tracker.example/pixel.gif" in shop.blocked
    assert "https://api.elsewhere.example/data" in shop.blocked
    assert not any("connectif" in url for url in shop.blocked)
    shop.assert_no_errors()


def test_page_errors_and_console_errors_are_recorded(connectif: ConnectifHarness) -> None:
    shop = connectif.open(
        page("<script>console.error('cart widget failed'); throw new Error('boom');</script>")
    )
    shop.wait_for_requests(1)
    assert "console.error: cart widget failed" in shop.errors
    assert any("boom" in error for error in shop.errors)
    with pytest.raises(AssertionError, match="the page reported 2 error"):
        shop.assert_no_errors()


def test_notifications_are_decoded_and_frozen(connectif: ConnectifHarness) -> None:
    shop = connectif.open(PRODUCT_PAGE)
    [request] = shop.wait_for_requests(1)
    assert isinstance(request, Notification)
    assert (request.url, request.store_id) == (NOTIFICATION_URL, STORE_ID)
    assert request.cart is None
    assert request.event_types == ["product-visited", "page-visit"]
    assert shop.sent_events() == request.events
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.store_id = "other"  # type: ignore[misc]

    with pytest.raises(ValueError, match="not JSON"):
        Notification.decode(NOTIFICATION_URL, "entityInfo=1")
    with pytest.raises(ValueError, match="not a JSON object"):
        Notification.decode(NOTIFICATION_URL, "[]")
    with pytest.raises(ValueError, match="not a Connectif notification URL"):
        Notification.decode("https://shop.example/", "{}")


def test_bad_arguments_are_rejected_with_the_accepted_values(connectif: ConnectifHarness) -> None:
    with pytest.raises(ValueError, match=r"profile must be one of \['1.3.0', 'newer'\], got '1.4'"):
        connectif.open(PRODUCT_PAGE, profile="1.4")
    with pytest.raises(ValueError, match="url must be an absolute http"):
        connectif.open(PRODUCT_PAGE, url="/relative")


# --- a real client file instead of the double -----------------------------------------------------

# A saved CDN response's tail (docs/connectif.md#request-store-config) whose settings are the
# harness's own, except the store: another region and store id.
OTHER_STORE_TAIL = (
    "window.connectifConfiguration = {baseUrl: 'https://eu9-api.connectif.cloud:443/',"
    " token: 'real-store-token', webTrackingEnabled: true, autoSendEventsOnInit: true,"
    " trackAllByDefault: true, excludeTracking: [], includeTracking: [], allowedDomains: [],"
    " samplingTrackingPercent: 100, vapidPublicKey: null, serviceWorkerUrl: null,"
    " iframeSource: null, forms: [], webEventPayloadDefinitions: [], autoInitialize: true};\n"
    "window.initializeConnectif(window.connectifConfiguration);\n"
)
OTHER_STORE_URL = (
    "https://eu9-api.connectif.cloud/integration-type/system/scrippet-notification/real-store-token"
)
EU1_BASE_URL = "https://eu1-api.connectif.cloud:443/"


def _client_file(tmp_path: Path, tail: str) -> Path:
    """A stand-in for a saved CDN response: a client (here the double) plus a store tail."""
    path = tmp_path / "client.js"
    path.write_text(static_path("connectif-double.js").read_text(encoding="utf-8") + tail)
    return path


def _without_override(browser: Browser, client_source: str) -> ConnectifPage:
    """A harness page serving ``client_source`` as is, its store configuration left alone."""
    context = browser.new_context()
    context.add_init_script(page_probe_script())
    return ConnectifPage(context, serve_client=lambda script: client_source)


def test_a_client_file_keeps_its_own_store_unless_the_harness_overrides_it(
    tagkit_browser: Browser, tmp_path: Path
) -> None:
    client = _client_file(tmp_path, OTHER_STORE_TAIL)
    # Negative control: served as is, the file posts to its own store, so every test comparing
    # the request URL with the loader's store would fail.
    bare = _without_override(tagkit_browser, client.read_text(encoding="utf-8"))
    try:
        bare.goto(PRODUCT_PAGE, url="https://shop.example/")
        [request] = bare.wait_for_requests(1)
        assert request.url == OTHER_STORE_URL
        assert bare.config_overrides == {}
    finally:
        bare.close()

    with ConnectifHarness(tagkit_browser, client_file=client) as harness:
        shop = harness.open(PRODUCT_PAGE)
        [request] = shop.wait_for_requests(1)
        assert (request.url, request.store_id) == (NOTIFICATION_URL, STORE_ID)
        # Only the store differed from the harness's settings.
        assert shop.config_overrides == {
            "baseUrl": ("https://eu9-api.connectif.cloud:443/", EU1_BASE_URL),
            "token": ("real-store-token", STORE_ID),
        }
        shop.assert_no_errors()


def test_the_cdn_style_file_runs_only_with_its_store_configuration_overridden(
    tagkit_browser: Browser, tmp_path: Path
) -> None:
    # Negative control: the store tail of tests/data turns tracking off for this page.
    bare = _without_override(tagkit_browser, cdn_client_script())
    try:
        bare.goto(PRODUCT_PAGE, url="https://shop.example/")
        bare.wait_for_initialized()
        bare.assert_no_more_requests(wait=0.3)
    finally:
        bare.close()

    client = tmp_path / "connectif-client.js"
    client.write_text(cdn_client_script(), encoding="utf-8")
    with ConnectifHarness(tagkit_browser, client_file=client) as harness:
        assert not harness.uses_double
        shop = harness.open(PRODUCT_PAGE)
        [request] = shop.wait_for_requests(1)
        assert request.url == NOTIFICATION_URL
        assert request.event_types == ["product-visited", "page-visit"]
        assert shop.config_overrides == {
            "baseUrl": (TAIL_BASE_URL, EU1_BASE_URL),
            "token": (TAIL_STORE_ID, STORE_ID),
            "webTrackingEnabled": (False, True),
            "trackAllByDefault": (False, True),
            "excludeTracking": ([".*"], []),
            "samplingTrackingPercent": (0, 100),
            "allowedDomains": (["https://www.another-shop.example/"], []),
            "vapidPublicKey": ("BStorePublicKey", None),
            "serviceWorkerUrl": ("https://www.another-shop.example/service-worker.js", None),
            "iframeSource": ("https://www.another-shop.example/connectif-storage.html", None),
        }
        shop.assert_no_errors()

        # The test's own config reaches the file too, and a failure report lists the overrides.
        excluded = harness.open(PRODUCT_PAGE, config={"excludeTracking": ["shop\\.example"]})
        excluded.wait_for_initialized()
        assert excluded.config_overrides["excludeTracking"] == ([".*"], ["shop\\.example"])
        with pytest.raises(AssertionError) as failure:
            excluded.wait_for_requests(1, timeout=0.3)
        report = str(failure.value)
        assert "store configuration of the client file, overridden by the harness:" in report
        assert f'    token: "{TAIL_STORE_ID}" -> "{STORE_ID}"' in report
        assert "    webTrackingEnabled: false -> true" in report

        quiet = harness.open(PRODUCT_PAGE, auto_send=False)
        quiet.wait_for_initialized()
        assert quiet.config_overrides["autoSendEventsOnInit"] == (True, False)
        quiet.assert_no_more_requests(wait=0.2)

        with pytest.raises(
            ValueError, match=re.escape("selects a behaviour of tagkit's Connectif double")
        ):
            harness.open(PRODUCT_PAGE, profile="newer")


def test_the_double_reports_no_overrides(tagkit_browser: Browser) -> None:
    # The harness writes the double's store configuration itself: nothing to override.
    with ConnectifHarness(tagkit_browser) as harness:
        shop = harness.open(PRODUCT_PAGE)
        shop.wait_for_requests(1)
        assert shop.config_overrides == {}


def test_real_client_file_without_a_store_tail_gets_one(
    tagkit_browser: Browser, tmp_path: Path
) -> None:
    client = _client_file(tmp_path, "")
    with ConnectifHarness(tagkit_browser, client_file=client) as harness:
        shop = harness.open(PRODUCT_PAGE)
        [request] = shop.wait_for_requests(1)
        assert request.url == NOTIFICATION_URL
        assert shop.evaluate("() => connectif.managed !== undefined") is True


# --- loopback server and service worker (docs/connectif.md#worker) --------------------------------


def test_loopback_server_serves_javascript_and_stops(tmp_path: Path) -> None:
    (tmp_path / "service-worker.js").write_text("// worker\n")
    with serve_directory(tmp_path) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base_url + "/service-worker.js", timeout=5) as response:
            assert response.headers["Content-Type"] == "text/javascript"
            assert response.headers["Cache-Control"] == "no-cache"
            assert response.read() == b"// worker\n"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base_url + "/service-worker.js", timeout=2)
    with (
        pytest.raises(NotADirectoryError, match="existing folder"),
        serve_directory(tmp_path / "missing"),
    ):
        pass


def test_service_worker_with_import_scripts_is_registered_and_activated(
    connectif: ConnectifHarness, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(page("<h1>Shop</h1>"), encoding="utf-8")
    (tmp_path / "scripts").mkdir()
    # Stands in for Connectif's hosted worker (docs/connectif.md#worker-file), served locally.
    (tmp_path / "scripts" / "service-worker.js").write_text(
        textwrap.dedent(
            """\
            self.addEventListener('install', () => self.skipWaiting());
            self.addEventListener('message', (event) => event.source.postMessage('imported'));
            """
        )
    )
    with serve_directory(tmp_path) as base_url:
        (tmp_path / "service-worker.js").write_text(
            f'importScripts("{base_url}/scripts/service-worker.js");\n'
        )
        shop = connectif.visit(
            base_url + "/index.html",
            config={
                "vapidPublicKey": "BPublicKey",
                "serviceWorkerUrl": base_url + "/service-worker.js",
            },
        )
        # The client registers the worker during initialisation
        # (docs/connectif.md#worker-registration), then auto-sends.
        shop.wait_for_requests(1)
        assert shop.evaluate(WAIT_FOR_ACTIVE_WORKER) == {
            "state": "activated",
            "scope": base_url + "/",
            "script": base_url + "/service-worker.js",
            "imported": "imported",
        }
        shop.assert_no_errors()


def test_service_worker_served_as_text_is_refused(
    connectif: ConnectifHarness, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(page(""), encoding="utf-8")
    (tmp_path / "service-worker.txt").write_text("// wrong type\n")
    with serve_directory(tmp_path) as base_url:
        shop = connectif.visit(
            base_url + "/index.html",
            config={
                "vapidPublicKey": "BPublicKey",
                "serviceWorkerUrl": base_url + "/service-worker.txt",
            },
        )
        shop.wait_for_requests(1)
        assert any("MIME type" in error for error in shop.errors), shop.errors


# --- no browser -----------------------------------------------------------------------------------

NEEDS_BROWSER = """
import pytest

@pytest.mark.browser
def test_needs_a_browser(connectif):
    connectif.open("<p>x</p>")
"""


def test_missing_browser_skips_or_fails_when_required(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(NEEDS_BROWSER)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-rsE",
        "-p",
        "no:cacheprovider",
        "--tagkit-chromium",
        "/bin/false",
        "test_inner.py",
    ]
    runs = {
        required: subprocess.Popen(
            command,
            cwd=tmp_path,
            env={**os.environ, "TAGKIT_REQUIRE_BROWSER": required, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for required in ("", "1")
    }
    for required, run in runs.items():
        output, _ = run.communicate(timeout=60)
        assert ("1 skipped" if required == "" else "1 error") in output, output
        assert "no Chromium could be launched" in output
        assert "/bin/false" in output
        assert "apt-get install -y chromium" in output
        assert (run.returncode == 0) is (required == ""), output


# --- skips in this suite (tests/browser/conftest.py) ----------------------------------------------

SKIPPING = """
import pytest

@pytest.mark.double_profile
def test_needs_the_newer_profile():
    pass

def test_skips_for_another_reason():
    pytest.skip("no reason that CI accepts")
"""


def test_only_the_double_profile_may_skip_when_the_browser_is_required(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.browser.conftest import (\n"
        "    pytest_configure, pytest_runtest_makereport, pytest_runtest_setup)\n"
    )
    (tmp_path / "test_inner.py").write_text(SKIPPING)
    client = tmp_path / "connectif-client.js"
    client.write_text(cdn_client_script(), encoding="utf-8")
    expected = {
        # (TAGKIT_REQUIRE_BROWSER, --connectif-client given): the summary
        ("1", True): "1 failed, 1 skipped",
        ("1", False): "1 failed, 1 passed",
        ("", True): "2 skipped",
    }
    runs = {
        (required, with_client): subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-rs",
                "-p",
                "no:cacheprovider",
                *(["--connectif-client", str(client)] if with_client else []),
                "test_inner.py",
            ],
            cwd=tmp_path,
            env={**os.environ, "TAGKIT_REQUIRE_BROWSER": required, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for required, with_client in expected
    }
    for key, run in runs.items():
        output, _ = run.communicate(timeout=60)
        assert expected[key] in output, output
        if key[1]:
            assert DOUBLE_PROFILE_SKIPPED in output, output
        if key[0]:
            assert "test_skips_for_another_reason was skipped (no reason that CI accepts)" in output

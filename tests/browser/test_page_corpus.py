"""The request body checked in for each good page of tests/pages/ is the one the client sends in
Chromium (trackerId aside, docs/connectif.md#event-client-substitutions), and so is what
``tagkit inspect`` prints for a page without a loader (the body once loaded) and for a page
whose loader is there twice (the first request)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagkit._inspect import comparable, compare, with_loader
from tagkit._request import inspect_html
from tagkit.testing import ConnectifHarness
from tests.validate.corpus import ALL_GOOD, PAGES, expected_body, page_id

pytestmark = pytest.mark.browser


def first_request(connectif: ConnectifHarness, page: Path) -> dict[str, object]:
    html = page.read_text(encoding="utf-8")
    shop = connectif.open(with_loader(html), url="https://shop.example/")
    body: dict[str, object] = shop.wait_for_requests(1)[0].body
    shop.assert_no_errors()
    return body


@pytest.mark.parametrize("page", ALL_GOOD, ids=page_id)
def test_the_client_sends_the_checked_in_body(connectif: ConnectifHarness, page: Path) -> None:
    expected = expected_body(page)
    recorded = first_request(connectif, page)
    assert compare(expected, recorded) == ""
    assert comparable(recorded) == comparable(expected)


@pytest.mark.parametrize("folder", ["TK101", "TK102"])
def test_inspect_gives_the_body_once_loaded_and_the_first_of_two(
    connectif: ConnectifHarness, folder: str
) -> None:
    page = PAGES / folder / "bad.html"
    recorded = first_request(connectif, page)
    assert compare(inspect_html(page.read_bytes()), recorded) == ""

"""Pages written by ``tagkit inject`` in Chromium: every page of the odd corpus makes
Connectif's client send exactly its data, in tags mode and in events mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tagkit import Page
from tagkit.cli import main
from tagkit.testing import ConnectifHarness, serve_directory

from .conftest import next_request, plain
from .inject_corpus import PAGES, write_site

pytestmark = pytest.mark.browser


def expected(name: str) -> Page:
    want = dict(PAGES[name][1] or {})
    if name.startswith("products/"):
        want["page_categories"] = ["/Shoes"]
    if name == "index.html":
        want["page_tags"] = ["home"]
    return Page.from_dict(want)


@pytest.mark.parametrize("mode", ["tags", "events"])
def test_every_injected_page_sends_its_data(
    connectif: ConnectifHarness, tmp_path: Path, mode: str
) -> None:
    site = write_site(tmp_path, mode)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["inject", "site"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    names = sorted(PAGES)
    with serve_directory(site) as base:
        shop = connectif.visit(base + "/" + names[0], auto_send=mode == "tags")
        for seen, name in enumerate(names):
            if seen:
                shop.page.goto(base + "/" + name)
            request = next_request(shop, seen)
            page = expected(name)
            want = plain(page.to_js())
            assert request.events == want["events"], name
            assert request.page_info["categories"] == want["pageInfo"]["categories"], name
            assert request.page_info["tags"] == want["pageInfo"]["tags"], name
            if page.contact is not None:
                assert request.entity_info["primaryKey"] == "a@b.example"
        shop.assert_no_more_requests(0.3)
        shop.assert_no_errors()

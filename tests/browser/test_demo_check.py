"""``tagkit demo --check`` in Chromium: every page of the demo shop makes tagkit's double of
Connectif's client send exactly its data, and a page that does not is caught.

The command runs in its own interpreter, as a user runs it (it starts its own Playwright, which
cannot share a thread with the session's). The ``tagkit_browser`` fixture only makes these
tests skip, or fail under TAGKIT_REQUIRE_BROWSER=1, where there is no browser.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tagkit._demo import load_shop

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tagkit_browser")]

SHOP = load_shop()


def tagkit(*args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{prelude}\nfrom tagkit.cli import main\nmain({list(args)!r}, prog_name='tagkit')\n"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )


def rows(stdout: str) -> dict[str, list[str]]:
    """The table's rows by page: expected events, received events, OK."""
    found = {}
    for line in stdout.splitlines():
        cells = [c for c in line.split("  ") if c.strip()]
        if cells and cells[0].strip().endswith(".html"):
            found[cells[0].strip()] = [c.strip() for c in cells[1:]]
    return found


def test_every_page_sends_its_data(tmp_path: Path) -> None:
    site = tmp_path / "shop"
    done = tagkit("demo", str(site), "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Wrote the missing files of the demo shop into {site}"
    assert lines[1].split() == ["page", "expected", "events", "received", "events", "OK"]
    table = rows(done.stdout)
    assert list(table) == [p.file for p in SHOP.pages]
    for page, (expected, received, ok) in table.items():
        assert (received, ok) == (expected, "ok"), page
        assert expected.endswith("page-visit"), page
    assert table["product.html"][0] == "product-visited, page-visit"
    assert table["cart.html"][0] == "custom, page-visit"  # events mode, auto-send off
    assert lines[-1] == "All 9 pages sent exactly what their data says."
    assert done.stderr == ""


def test_a_tampered_page_fails_the_check(tmp_path: Path) -> None:
    """The negative control: the search page loses its search tag and the product page's
    price is changed by hand; --check names both, shows the difference, and exits 1."""
    site = tmp_path / "shop"
    assert tagkit("demo", str(site)).returncode == 0
    search = site / "search.html"
    html = search.read_text(encoding="utf-8")
    tag = '<div class="cn_search" style="display:none"><span class="search_text">running shoe</span></div>'
    assert tag in html
    search.write_text(html.replace(tag, ""), encoding="utf-8")
    product = site / "product.html"
    html = product.read_text(encoding="utf-8")
    price = '<span class="unit_price">49.90</span>'
    start = html.index('<div class="cn_product_visited"')
    at = html.index(price, start)
    tampered = html[:at] + '<span class="unit_price">4.90</span>' + html[at + len(price) :]
    product.write_text(tampered, encoding="utf-8")

    done = tagkit("demo", str(site), "--check")
    assert done.returncode == 1, done.stdout + done.stderr
    table = rows(done.stdout)
    assert table["search.html"] == [
        "product-searched, product-searched, search, page-visit",
        "product-searched, product-searched, page-visit",
        "DIFFERS",
    ]
    assert table["product.html"][2] == "DIFFERS"
    assert [p for p, (_, _, ok) in table.items() if ok != "ok"] == ["product.html", "search.html"]
    assert '-        "unitPrice": 49.9,' in done.stdout
    assert '+        "unitPrice": 4.9,' in done.stdout
    assert "product.html is not what product.json renders to" in done.stdout
    assert done.stderr == "error: 2 of 9 pages did not send what their data says\n"

    # Rendering the pages again from their data makes the check pass again.
    assert tagkit("demo", str(site)).returncode == 0
    assert tagkit("demo", str(site), "--check").returncode == 0


def test_data_changed_without_rendering_again_fails_the_check(tmp_path: Path) -> None:
    site = tmp_path / "shop"
    assert tagkit("demo", str(site)).returncode == 0
    data = site / "newsletter.json"
    document = json.loads(data.read_text(encoding="utf-8"))
    document["newsletter_subscribe"]["email"] = "mia@shop.example"
    data.write_text(json.dumps(document), encoding="utf-8")
    done = tagkit("demo", str(site), "--check")
    assert done.returncode == 1
    assert rows(done.stdout)["newsletter.html"][2] == "DIFFERS"
    assert '-      "email": "mia@shop.example",' in done.stdout
    assert '+      "email": "leo@shop.example",' in done.stdout
    assert "newsletter.html is not what newsletter.json renders to" in done.stdout


def test_no_chromium_is_one_line_and_exit_2(tmp_path: Path) -> None:
    prelude = (
        "import tagkit.testing as t\n"
        "def launch(*args, **kwargs):\n"
        "    raise t.BrowserUnavailable('no Chromium could be launched:\\n  - /usr/bin/chromium: gone')\n"
        "t.launch_chromium = launch\n"
    )
    done = tagkit("demo", str(tmp_path / "shop"), "--check", prelude=prelude)
    assert done.returncode == 2
    assert done.stderr == ("error: no Chromium could be launched: - /usr/bin/chromium: gone\n"), (
        done.stderr
    )

"""``tagkit demo``: the files of the demo shop, its coverage of the vocabulary, its errors, and
``--serve`` (the browser check is in tests/browser/test_demo_check.py)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tagkit import Page, parse_page
from tagkit import vocabulary as vocab
from tagkit._demo import load_shop, shipped_dir
from tagkit.cli import main
from tagkit.testing._served import ClientScriptRequest

SHOP = load_shop()
FILES = [p.file for p in SHOP.pages]
LOADER_SRC = re.compile(r'var src = "([^"]+)"')


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def built(tmp_path: Path) -> Path:
    site = tmp_path / "shop"
    result = run("demo", str(site))
    assert result.exit_code == 0, result.output
    return site


def data_of(site: Path, page: str) -> dict[str, Any]:
    text = (site / page.replace(".html", ".json")).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return document


def tags_in(html: str) -> set[str]:
    return {t.name for t in vocab.TAGS if f'class="{t.name}"' in html}


def coverage(site: Path, files: list[str]) -> tuple[set[str], set[str], set[str]]:
    """The tags written as markup, the event types sent and the JavaScript-only rows used."""
    tags: set[str] = set()
    events: set[str] = set()
    js_only: set[str] = set()
    for page in SHOP.pages:
        if page.file not in files:
            continue
        html = (site / page.file).read_text(encoding="utf-8")
        document = data_of(site, page.file)
        if page.mode == "tags":
            tags |= tags_in(html)
        js = Page.from_dict(document).to_js()
        events |= {e["type"] for e in js["events"]}  # type: ignore[union-attr]
        js_only |= {t.page_key for t in vocab.JS_ONLY if document.get(t.page_key)}
    return tags, events, js_only


def test_the_shop_has_every_page_with_its_data(tmp_path: Path) -> None:
    site = built(tmp_path)
    assert FILES == [
        "index.html",
        "category.html",
        "product.html",
        "search.html",
        "cart.html",
        "login.html",
        "register.html",
        "newsletter.html",
        "thank-you.html",
    ]
    written = sorted(p.name for p in site.iterdir())
    assert written == sorted([*FILES, *(f.replace(".html", ".json") for f in FILES)])
    for page in SHOP.pages:
        html = (site / page.file).read_text(encoding="utf-8")
        # The data file is the shipped one, byte for byte, until the user edits it.
        shipped = (shipped_dir() / page.data_file).read_bytes()
        assert (site / page.data_file).read_bytes() == shipped
        # One loader, first in <body>, whose client URL the harness answers with its double.
        assert html.count('id="__cn_generic_script__') == 1, page.file
        assert html.split("<body>\n", 1)[1].startswith("<script async id=")
        (src,) = LOADER_SRC.findall(html)
        assert ClientScriptRequest.match(src) == ClientScriptRequest(
            region=SHOP.region, store_id=SHOP.store_id
        )
        # Every page links to every other page.
        assert all(f'href="{other}"' in html for other in FILES), page.file


def test_every_tag_and_event_of_the_vocabulary_is_used(tmp_path: Path) -> None:
    site = built(tmp_path)
    tags, events, js_only = coverage(site, FILES)
    assert tags == {t.name for t in vocab.TAGS}
    assert events == set(vocab.EVENT_TYPES)
    assert js_only == {t.page_key for t in vocab.JS_ONLY}
    modes = {p.mode for p in SHOP.pages}
    assert modes == {"tags", "events"}


def test_the_coverage_check_sees_a_missing_page(tmp_path: Path) -> None:
    """A negative control for the test above: without the search page, its tags and events
    are missing."""
    site = built(tmp_path)
    tags, events, _ = coverage(site, [f for f in FILES if f != "search.html"])
    assert {"cn_search", "cn_product_searched"} <= {t.name for t in vocab.TAGS} - tags
    assert {"search", "product-searched"} <= set(vocab.EVENT_TYPES) - events


def test_tags_mode_pages_read_back_as_their_data(tmp_path: Path) -> None:
    site = built(tmp_path)
    for page in SHOP.pages:
        html = (site / page.file).read_text(encoding="utf-8")
        document = data_of(site, page.file)
        if page.mode == "tags":
            assert parse_page(html).page == Page.from_dict(document), page.file
        else:
            # events mode: one sendEvents script; only page categories and tags are tags.
            assert "sendEvents" in html
            assert tags_in(html) <= {t.name for t in vocab.PAGE_INFO_TAGS}
            assert 'class="cn_page_tag"' in html


def test_a_second_run_writes_the_same_bytes(tmp_path: Path) -> None:
    site = built(tmp_path)
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    again = run("demo", str(site))
    assert again.exit_code == 0, again.output
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    assert not list(site.glob(".*"))


def test_an_edited_data_file_is_kept_and_renders_its_page(tmp_path: Path) -> None:
    site = built(tmp_path)
    data = site / "search.json"
    document = json.loads(data.read_text(encoding="utf-8"))
    document["search"] = "trail shoe"
    data.write_text(json.dumps(document), encoding="utf-8")
    result = run("demo", str(site))
    assert result.exit_code == 0, result.output
    assert json.loads(data.read_text(encoding="utf-8"))["search"] == "trail shoe"
    html = (site / "search.html").read_text(encoding="utf-8")
    assert '<span class="search_text">trail shoe</span>' in html
    assert "search.json  (your edited data)" in result.stdout
    assert "product.json  (your edited data)" not in result.stdout
    # A deleted data file comes back as shipped.
    data.unlink()
    assert run("demo", str(site)).exit_code == 0
    assert data.read_bytes() == (shipped_dir() / "search.json").read_bytes()


def test_wrong_data_names_the_file_and_field_and_writes_nothing(tmp_path: Path) -> None:
    site = built(tmp_path)
    product = site / "product.json"
    document = json.loads(product.read_text(encoding="utf-8"))
    document["product_visited"][0]["unit_price"] = "1.234,50"
    product.write_text(json.dumps(document), encoding="utf-8")
    (site / "index.json").write_text('{"cart": {"cart_id": ""}}', encoding="utf-8")
    (site / "index.html").unlink()
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    result = run("demo", str(site))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"error: {product}: product_visited[0].unit_price must be a non-negative number" in (
        result.stderr
    )
    assert f"error: {site / 'index.json'}: cart.cart_id is required, got ''" in lines
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before


def test_custom_events_on_a_tags_mode_page_are_refused(tmp_path: Path) -> None:
    site = built(tmp_path)
    cart_events = data_of(site, "cart.html")["custom_events"]
    (site / "login.json").write_text(
        json.dumps(
            {"login": True, "contact": {"primary_key": "a@b.example"}, "custom_events": cart_events}
        ),
        encoding="utf-8",
    )
    result = run("demo", str(site))
    assert result.exit_code == 1
    assert f"error: {site / 'login.json'}: custom_events can only be sent from JavaScript" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{oops", "is not valid JSON: Expecting property name enclosed in double quotes"),
        (b"[1, 2]", "must hold a page document (a JSON object)"),
        (b'{"search": "\xff"}', "is not UTF-8 text"),
    ],
)
def test_an_unreadable_data_file_is_one_line_and_exit_2(
    tmp_path: Path, content: bytes, message: str
) -> None:
    site = built(tmp_path)
    (site / "search.json").write_bytes(content)
    result = run("demo", str(site))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {site / 'search.json'} ")
    assert message in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    result = run("demo", str(a_file), "--check")
    assert (result.exit_code, result.stderr) == (2, f"error: {a_file} is not a folder\n")
    both = run("demo", str(tmp_path / "x"), "--check", "--serve")
    assert both.exit_code == 2
    assert "--serve and --check go one at a time" in both.stderr
    assert not (tmp_path / "x").exists()


def test_check_without_playwright_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['playwright'] = None\n"
        "from tagkit.cli import main\n"
        f"main(['demo', {str(tmp_path / 'shop')!r}, '--check'], prog_name='tagkit')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "error: --check needs Playwright: pip install 'tagkit[browser]' (and Chromium: "
        "apt-get install chromium)\n"
    )
    # The missing files were written first, so the shop is there to look at.
    assert (tmp_path / "shop" / "thank-you.html").is_file()


def test_serve_serves_the_shop_on_loopback_until_interrupted(tmp_path: Path) -> None:
    site = tmp_path / "shop"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tagkit.cli", "demo", str(site), "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == f"Wrote the missing files of the demo shop into {site}\n"
        line = proc.stdout.readline()
        found = re.fullmatch(r"Serving .* at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)\n", line)
        assert found, line
        base = found.group(1)
        with urllib.request.urlopen(base + "product.html", timeout=10) as response:
            assert response.status == 200
            page = response.read().decode("utf-8")
        assert page == (site / "product.html").read_text(encoding="utf-8")
        with urllib.request.urlopen(base + "product.json", timeout=10) as response:
            assert json.loads(response.read()) == json.loads((site / "product.json").read_text())
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, err
    assert out.endswith("Stopped.\n")
    assert "Traceback" not in err


def test_serve_picks_a_free_port(tmp_path: Path) -> None:
    """--serve picks a free port itself: two servers of one folder run side by side."""
    site = built(tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tagkit.cli", "demo", str(site), "--serve"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        urls = []
        for proc in procs:
            assert proc.stdout is not None
            urls.append(proc.stdout.readline().split(" at ", 1)[1].split(" ", 1)[0])
        assert len(set(urls)) == 2
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            proc.communicate(timeout=10)
    assert [p.returncode for p in procs] == [0, 0]

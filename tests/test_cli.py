"""The tagkit command: output, exit codes and error lines (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tagkit import Page, parse_page
from tagkit._sample import sample_page
from tagkit.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_render_a_tag_from_stdin(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["render", "search", "--data", "-"], input='{"search_text": "red shoe"}'
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == '<div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>\n'
    )


def test_render_accepts_the_connectif_class(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "cart.json"
    data.write_text(json.dumps({"cart_id": "c-1", "total_quantity": 0, "total_price": 0}))
    by_class = runner.invoke(main, ["render", "cn_cart", "--data", str(data)])
    by_short = runner.invoke(main, ["render", "cart", "--data", str(data)])
    assert by_class.exit_code == by_short.exit_code == 0
    assert by_class.stdout == by_short.stdout
    assert 'class="cart_id">c-1<' in by_class.stdout


def test_markers_need_no_data(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", "login", "--hidden-attr"])
    assert result.exit_code == 0
    assert result.stdout == '<div class="cn_login" hidden></div>\n'


def test_invalid_data_lists_every_problem_and_exits_1(runner: CliRunner) -> None:
    result = runner.invoke(
        main,
        ["render", "cart", "--data", "-"],
        input='{"cart_id": "", "total_quantity": "2.5", "total_price": "1.234,50"}',
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert "error: cart.total_price must be a non-negative number like 180.75" in result.stderr
    assert "got '1.234,50'" in result.stderr
    assert "error: cart.cart_id is required, got ''" in lines


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["render", "basket", "--data", "-"], "{}", "unknown tag 'basket'"),
        (
            ["render", "cart", "--data", "/no/such/file.json"],
            None,
            "cannot read '/no/such/file.json'",
        ),
        (["render", "cart", "--data", "-"], "{oops", "stdin is not valid JSON"),
        (["render", "cart"], None, "cart needs --data FILE"),
        (["page", "--data", "-"], "[1, 2", "stdin is not valid JSON"),
    ],
)
def test_usage_and_io_errors_exit_2_with_one_clear_line(
    runner: CliRunner, args: list[str], stdin: str | None, message: str
) -> None:
    result = runner.invoke(main, args, input=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_page_renders_the_whole_document(runner: CliRunner) -> None:
    result = runner.invoke(main, ["page", "--data", "-"], input=json.dumps(sample_page()))
    assert result.exit_code == 0, result.stderr
    assert parse_page(result.stdout).page == Page.from_dict(sample_page())


def test_page_rejects_a_non_object(runner: CliRunner) -> None:
    result = runner.invoke(main, ["page", "--data", "-"], input="[]")
    assert result.exit_code == 1
    assert "a page document must be a JSON object, got []" in result.stderr


def test_tags_lists_the_vocabulary(runner: CliRunner) -> None:
    result = runner.invoke(main, ["tags"])
    assert result.exit_code == 0
    assert "cn_cart  (cart) - Current cart status" in result.stdout
    assert "url -> productDetailUrl  (required, url)" in result.stdout
    assert "unit_price_without_vat -> unitPriceWithoutVAT" in result.stdout
    assert (
        "published_at -> publishedAt  (optional, datetime, not read by client 1.3.0)"
        in result.stdout
    )


def test_schema_of_a_tag_and_of_the_page(runner: CliRunner) -> None:
    cart = json.loads(runner.invoke(main, ["schema", "cart"]).stdout)
    assert cart["required"] == ["cart_id", "total_quantity", "total_price"]
    assert cart["properties"]["products"]["items"]["required"][:2] == ["quantity", "price"]
    page = json.loads(runner.invoke(main, ["schema"]).stdout)
    assert set(page["properties"]) >= {"contact", "cart", "purchases", "page_tags"}
    bad = runner.invoke(main, ["schema", "nope"])
    assert bad.exit_code == 2


def test_demo_writes_a_page_and_its_data(runner: CliRunner, tmp_path: Path) -> None:
    # The demo is a shop of nine pages now (tests/test_demo.py); each page's data file is
    # named after it, so the home page's data moved from page.json to index.json.
    dest = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(dest)])
    assert result.exit_code == 0, result.output
    assert str(dest / "index.html") in result.stdout
    html = (dest / "index.html").read_text(encoding="utf-8")
    data = json.loads((dest / "index.json").read_text(encoding="utf-8"))
    assert parse_page(html).page == Page.from_dict(data)
    assert 'class="cn_cart"' in html  # what the wheel check of .ci/run looks for
    assert not list(dest.glob(".*.tmp"))


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "version" in result.stdout


def test_page_in_events_mode_sends_the_same_content(runner: CliRunner) -> None:
    import re

    doc = {
        **sample_page(),
        "custom_events": [{"event_id": "5f1b2c3d4e5f60718293a4b5", "payload": {"size": 42}}],
    }
    result = runner.invoke(
        main, ["page", "--data", "-", "--mode", "events", "--no-inline"], input=json.dumps(doc)
    )
    assert result.exit_code == 0, result.stderr
    island = re.search(r"<script[^>]*data-tagkit-events[^>]*>(.*?)</script>", result.stdout, re.S)
    assert island is not None
    payload = json.loads(island.group(1))
    expected = Page.from_dict(sample_page()).to_js()
    assert payload["options"]["entityInfo"] == json.loads(
        json.dumps(expected["entityInfo"], default=str)
    )
    assert [e["type"] for e in payload["events"]] == ["custom"] + [
        e["type"] for e in expected["events"]
    ]  # type: ignore[union-attr]
    assert '<span class="cn_page_tag" style="display:none">summer-sale</span>' in result.stdout


def test_custom_events_are_refused_in_tags_mode(runner: CliRunner) -> None:
    result = runner.invoke(main, ["page", "--data", "-"], input='{"custom_events": []}')
    assert result.exit_code == 2
    assert "custom_events can only be sent from JavaScript; use --mode events" in result.stderr


def test_json_numbers_keep_their_written_scale(runner: CliRunner) -> None:
    result = runner.invoke(
        main,
        ["render", "cart", "--data", "-"],
        input='{"cart_id": "c", "total_quantity": 0, "total_price": 49.90}',
    )
    assert result.exit_code == 0, result.stderr
    assert '<span class="total_price">49.90</span>' in result.stdout


def test_demo_files_are_readable_by_a_web_server(runner: CliRunner, tmp_path: Path) -> None:
    import os
    import stat

    result = runner.invoke(main, ["demo", str(tmp_path)])
    assert result.exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "index.html").stat().st_mode) == 0o644 & ~umask


def test_importing_tagkit_pulls_in_no_cli_or_browser_stack() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tagkit; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'click', 'playwright', 'django'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

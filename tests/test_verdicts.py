"""Each input an independent fuzz run once crashed tagkit on, or changed on the way, now gets a
clear verdict: accepted as given, or refused with a message naming the field."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tagkit import (
    Contact,
    Page,
    ValidationError,
    json_schema,
    page_category,
    parse_page,
    render_page,
    render_page_events,
    render_service_worker,
    render_tag,
)
from tagkit.cli import main
from tagkit.errors import ConfigError, TagkitError
from tagkit.events import events_payload

PRODUCT = {"url": "https://s.example/p", "product_id": "1", "name": "n", "unit_price": "1"}


@pytest.mark.parametrize(
    ("call", "path", "message"),
    [
        (lambda: render_tag("search", "a\ud800b"), "search.search_text", "must be valid Unicode"),
        (lambda: render_tag("page-tag", ["\ud800"]), "page_tags[0]", "must be valid Unicode"),
        (lambda: render_tag("search", "\x1cx"), "search.search_text", "control character"),
        (lambda: render_tag("page-tag", ["\ufeff"]), "page_tags[0]", "is blank once trimmed"),
        (
            lambda: render_tag("product-visited", {**PRODUCT, "url": "https://[::1"}),
            "product_visited.url",
            "must be an absolute http(s) URL",
        ),
        (
            lambda: render_tag(
                "cart",
                {
                    "cart_id": "c",
                    "total_quantity": 0,
                    "total_price": 0,
                    "products": [
                        {
                            **PRODUCT,
                            "quantity": 1,
                            "price": "1",
                            "unit_price": Decimal("1E-999999999"),
                        }
                    ],
                },
            ),
            "cart.products[0].unit_price",
            "must have at most 20 digits after the point",
        ),
        (
            lambda: render_tag(
                "purchase",
                {
                    "purchase_id": "o",
                    "total_quantity": 0,
                    "total_price": 0,
                    "purchase_date": "9999-12-31T23:59:59-00:01",
                },
            ),
            "purchases.purchase_date",
            "must fall within the years 1 to 9999 once converted to UTC",
        ),
        (
            lambda: Contact(primary_key="a@b.example", score=Decimal("NaN")),
            "contact.score",
            "must be a non-negative number",
        ),
        (lambda: Contact(primary_key="a@b.example", __proto__="x"), "contact.__proto__", "drop"),
        (lambda: page_category(""), "page_categories", "must not be empty"),
        (lambda: render_page({1: "x"}), "[1]", "is not a page document key"),
        (lambda: events_payload(page_visit="y"), "page_visit", "must be true or false"),
        (lambda: json_schema([]), "", "unknown tag []"),  # type: ignore[arg-type]
        (lambda: render_tag("search", 10**5000), "search", "must be an object of properties"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_refused_with_the_field_named(call: Any, path: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    problem = info.value.problems[0]
    assert (problem.path, message in problem.message) == (path, True), problem
    str(info.value).encode("utf-8")  # a message prints whatever the input


def test_a_broken_worker_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="worker_url must be an absolute https URL"):
        render_service_worker("//[")


@pytest.mark.parametrize("text", ["a\rb", "line\r\nbreak", "\u0085x", "x\u0085", "a\ufeffb"])
def test_text_arrives_as_given_in_both_modes(text: str) -> None:
    html = render_tag("search", text)
    assert parse_page(html).page.search is not None
    assert parse_page(html).page.search.search_text == text
    events = str(render_page_events({"search": text}, inline=False, render_id="x"))
    assert events.count("\\r") == text.count("\r")


def test_parse_page_never_raises_on_lone_surrogates() -> None:
    assert parse_page("\ud800").problems == ()


def run(*args: str, data: bytes | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[" * 1000 + b"]" * 1000, "nests objects and lists too deeply"),
        (b'{"cart": {"total_quantity": ' + b"9" * 5000 + b"}}", "more than 4,300 digits"),
        (b'{"search": "\xff"}', "is not UTF-8 text"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(data: bytes, message: str) -> None:
    result = run("page", "--data", "-", data=data)
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert message in result.stderr


def test_demo_into_a_path_under_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = run("demo", str(tmp_path / "f" / "sub"))
    assert result.exit_code == 2 and "error: cannot write" in result.stderr


def test_the_cli_writes_utf8_under_the_c_locale() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    env.update(LANG="C", LC_ALL="C")
    done = subprocess.run(
        [sys.executable, "-m", "tagkit.cli", "render", "search", "--data", "-"],
        input='{"search_text": "zapatilla ñ 😀"}'.encode(),
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "zapatilla ñ 😀".encode() in done.stdout


def test_a_killed_write_leaves_nothing_after_the_next(tmp_path: Path) -> None:
    from tagkit._files import write_atomic

    target = tmp_path / "service-worker.js"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stale = tmp_path / f".service-worker.js.tagkit-{dead}-abc.tmp"
    stale.write_text("half")
    mine = tmp_path / f".service-worker.js.tagkit-{os.getpid()}-def.tmp"
    mine.write_text("in progress")
    write_atomic(target, "done")
    assert target.read_text() == "done"
    assert not stale.exists(), "a dead writer's temporary is removed"
    assert mine.exists(), "a running writer's temporary is kept"


def test_every_refusal_is_a_tagkit_error() -> None:
    assert issubclass(ValidationError, TagkitError) and issubclass(ConfigError, TagkitError)


def test_a_key_that_cannot_print_is_quoted_in_its_path() -> None:
    """Found by the property tests: a lone surrogate as a contact key made an unprintable path."""
    with pytest.raises(ValidationError) as info:
        Page.from_dict({"contact": {"primary_key": None, "\ud800": ""}, "\x01": 1})
    paths = [p.path for p in info.value.problems]
    assert paths == ["contact['\\ud800']", "contact.primary_key", "['\\x01']"]
    str(info.value).encode("utf-8")

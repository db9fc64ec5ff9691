"""One input path: every way in (render_tag, event, Page, and the render, event and page
commands) gives the same input the same verdict, the same value and the same messages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from tagkit import Page, ValidationError, render_page, render_tag
from tagkit import vocabulary as vocab
from tagkit._sample import product
from tagkit.cli import main
from tagkit.events import event

SHOE = product("SKU-1", "Shoe", "49.90", category=["/Shoes"], brand="Acme & Co")
SOCKS = product("SKU-2", "Socks", "9.95")
LINE = {"quantity": 2, "price": "99.80", **SHOE}
CART = {"cart_id": "c-1", "total_quantity": 2, "total_price": "99.80", "products": [LINE]}
PURCHASE = {**CART, "purchase_id": "o-1", "payment_method": "card"}
del PURCHASE["cart_id"]
CONTACT = {"primary_key": "ana@shop.example", "_name": "Ana", "loyalty_tier": "gold"}

CASES: list[tuple[str, Any]] = [
    ("search", "red shoe"),
    ("search", {"search_text": " red shoe "}),
    ("search", {"search_text": ""}),
    ("search", 42),
    ("search", {"searchText": "red shoe"}),
    ("newsletter-subscribe", "ana@shop.example"),
    ("newsletter-subscribe", {"email": "ana@shop.example"}),
    ("newsletter-subscribe", "not an email"),
    ("product-visited", SHOE),
    ("product-visited", [SHOE, SOCKS]),
    ("product-visited", {**SHOE, "unit_price": "1.234,50"}),
    ("product-visited", {**SHOE, "unitPrice": "1"}),
    ("product-visited", "SKU-1"),
    ("product-searched", [SOCKS, {"url": "ftp://x"}]),
    ("purchase", PURCHASE),
    ("purchase", [PURCHASE]),
    ("purchase", {**PURCHASE, "total_quantity": 5}),
    ("cart", CART),
    ("cart", {**CART, "cart_id": "  "}),
    ("cart", [CART]),
    ("client-info", CONTACT),
    ("client-info", {"primary_key": "nope", "cn_tier": "x"}),
    ("login", True),
    ("login", {"email": "ana@shop.example"}),
    ("register", "yes"),
    ("page-category", ["/Shoes/Running", ["Sale", "Summer"]]),
    ("page-category", "Shoes"),
    ("page-tag", ["summer-sale", "x" * 26]),
    ("page-tag", "sale"),
    ("custom", {"event_id": "64a1f0c2e4b0a1b2c3d4e5f6", "payload": {"size": 42}}),
    ("custom", {"payload": {"size": {"eu": 42}}}),
]


def _row(short: str) -> vocab.Tag:
    return next(t for t in vocab.ENTRIES if t.short == short)


def _verdict(call: Any) -> tuple[str, Any]:
    try:
        return "ok", call()
    except ValidationError as exc:
        return "invalid", [(p.path, p.message) for p in exc.problems]


def _cli(args: list[str], data: Any) -> tuple[int, str, list[str]]:
    result = CliRunner().invoke(main, [*args, "--data", "-"], input=json.dumps(data))
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    return result.exit_code, result.stdout, errors


@pytest.mark.parametrize(("short", "data"), CASES, ids=lambda v: str(v)[:30])
def test_every_path_gives_the_same_verdict(short: str, data: Any) -> None:
    tag = _row(short)
    key = tag.page_key
    page = _verdict(lambda: Page.from_dict({key: data}).get(tag))
    paths = {"Page.from_dict": page}
    if not tag.js_only:
        html = _verdict(lambda: render_tag(short, data))
        # The same acceptance, and the same markup as the page document renders.
        assert html[0] == page[0], (html, page)
        if html[0] == "ok":
            assert html[1] == render_page({key: data})
        else:
            paths["render_tag"] = html
    single = not isinstance(data, list)
    if tag.event_type is not None and single:
        one = _verdict(lambda: event(tag.event_type or "", data))
        if one[0] == "ok":
            value = page[1][0] if tag.multiple else page[1]
            expected = None if tag.instances == "presence" else value
            assert one[1].data == expected
        paths["event"] = one
    verdicts = {name: v[0] for name, v in paths.items()}
    assert len(set(verdicts.values())) == 1, verdicts
    if page[0] == "invalid":
        for name, found in paths.items():
            assert found == page, f"{name} reports differently from a page document"


@pytest.mark.parametrize(("short", "data"), CASES, ids=lambda v: str(v)[:30])
def test_every_command_gives_the_same_verdict(short: str, data: Any) -> None:
    tag = _row(short)
    page_args = ["page"] if not tag.js_only else ["page", "--mode", "events"]
    code, out, errors = _cli(page_args, {tag.page_key: data})
    expected = 0 if _verdict(lambda: Page.from_dict({tag.page_key: data}))[0] == "ok" else 1
    assert code == expected, (out, errors)
    if not tag.js_only:
        rendered = _cli(["render", short], data)
        assert rendered == (code, out, errors)
    if tag.event_type is not None and tag.event_shape != "bare" and not isinstance(data, list):
        sent = _cli(["event", tag.event_type], data)
        assert sent[0] == code and sent[2] == errors

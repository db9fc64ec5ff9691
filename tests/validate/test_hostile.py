"""Generated and mutated HTML never makes ``inspect`` or ``lint`` raise, and hostile text comes
out as text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tagkit._dom import parse_document
from tagkit._lint import lint_html
from tagkit._request import inspect_html, parse_float, parse_int, request_body

from .conftest import GOOD
from .corpus import need_parser

PIECES = [
    '<div class="cn_cart">',
    '<div class="cn_product_visited" hidden>',
    '<span class="name">',
    '<span class="unit_price">',
    '<span class="product_basket_item">',
    '<div class="cn_client_info">',
    '<span class="primary_key">',
    '<span class="cn_page_tag">',
    "</span>",
    "</div>",
    "<table>",
    "<tr>",
    "<noscript>",
    "<template>",
    "<!--",
    "--!>",
    "<p>",
    "<title>",
    "</title>",
    "&amp;",
    "&notit;",
    "</script>",
    "<script>",
    "\u2028",
    "\x00",
    "\r\n",
    "1.234,50",
    "€10",
    "<svg>",
    '<div class="CN_CART"/>',
    "<![CDATA[",
    "<?x",
    "<select>",
    "{{ x }}",
    "👟",
    "'\"",
    "<",
]
SEEDS = [page.read_text(encoding="utf-8") for page in GOOD]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40))
def test_generated_markup_never_raises(parts: list[str]) -> None:
    html = "".join(parts)
    json.dumps(inspect_html(html))
    for finding in lint_html(html, path="x.html"):
        assert finding.line >= 1 and finding.column >= 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40))
def test_generated_markup_never_raises_with_lxml(parts: list[str]) -> None:
    need_parser("lxml")
    html = "".join(parts)
    json.dumps(request_body(parse_document(html, "lxml"), None))
    for finding in lint_html(html, path="x.html", parser="lxml"):
        assert finding.line >= 1 and finding.column >= 1


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SEEDS), st.integers(0, 10_000), st.integers(0, 200), st.binary(max_size=12))
def test_mutated_pages_never_raise(seed: str, at: int, cut: int, noise: bytes) -> None:
    data = seed.encode("utf-8")
    at %= len(data)
    mutated = data[:at] + noise + data[at + cut :]
    json.dumps(inspect_html(mutated))
    lint_html(mutated, path="x.html")


def test_hostile_text_is_sent_as_text() -> None:
    hostile = "</script><b>&amp; 'q' \"d\" \u2028 \U0001f45f {{ x }}"
    from html import escape

    html = f'<div class="cn_search" hidden><span class="search_text">{escape(hostile)}</span></div>'
    assert inspect_html(html)["events"][0]["searchText"] == hostile.strip()


@given(st.text(max_size=12))
def test_number_parsers_take_a_prefix_like_javascript(text: str) -> None:
    value = parse_float(text)
    assert value is None or isinstance(value, float)
    whole = parse_int(text)
    assert whole is None or whole == int(whole)


def test_number_parsers_examples() -> None:
    assert parse_float("  -1.5e2xyz") == -150.0
    assert parse_float(".5") == 0.5
    assert parse_float("Infinityx") == float("inf")
    assert parse_float("١٢") is None  # only ASCII digits
    assert parse_int(" +42.9") == 42.0
    assert parse_int("9007199254740993") == 9007199254740992.0

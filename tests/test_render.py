"""Rendering every tag: golden output, render -> parse round trip, and hostile strings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from tagkit import Page, ValidationError, parse_page, render_page, render_tag
from tagkit import vocabulary as vocab
from tagkit._model import record_type
from tagkit._parse import parse_records
from tagkit._sample import sample_page

from .conftest import HOSTILE

SAMPLE = sample_page()
KEY_OF = {tag.name: tag.page_key for tag in vocab.TAGS}


def tag_data(tag: vocab.Tag) -> Any:
    """The sample page's data for ``tag``, in the form ``render_tag`` takes."""
    if tag.instances == "presence":
        return None
    value = SAMPLE[KEY_OF[tag.name]]
    if tag.name == "cn_search":
        return {"search_text": value}
    return value


@pytest.mark.parametrize("tag", vocab.TAGS, ids=lambda t: t.short)
def test_golden(tag: vocab.Tag, golden: Callable[[str, str], None]) -> None:
    golden(f"tags/{tag.name}.html", render_tag(tag.name, tag_data(tag)) + "\n")


def test_golden_page(golden: Callable[[str, str], None]) -> None:
    golden("page/sample.html", render_page(SAMPLE) + "\n")
    golden("page/sample-hidden-attr.html", render_page(SAMPLE, hidden=True) + "\n")


def test_spec_shapes_are_reproduced_exactly() -> None:
    assert render_tag("cart", {"cart_id": "c-5521", "total_quantity": 0, "total_price": 0}) == (
        '<div class="cn_cart" style="display:none"><span class="cart_id">c-5521</span>'
        '<span class="total_quantity">0</span><span class="total_price">0</span></div>'
    )
    assert render_tag("login") == '<div class="cn_login" style="display:none"></div>'
    assert render_tag("page-category", "/Shoes/Running") == (
        '<span class="cn_page_category" style="display:none">/Shoes/Running</span>'
    )
    assert render_tag(
        "client-info", {"primary_key": "ana@shop.example", "_name": "Ana", "loyalty_tier": "gold"}
    ) == (
        '<div class="cn_client_info" style="display:none"><span class="primary_key">'
        'ana@shop.example</span><span class="_name">Ana</span>'
        '<span class="loyalty_tier">gold</span></div>'
    )


def test_hidden_attribute_option() -> None:
    assert render_tag("register", hidden=True) == '<div class="cn_register" hidden></div>'


def test_numbers_keep_their_scale() -> None:
    html = render_tag("cart", {"cart_id": "c", "total_quantity": 0, "total_price": "49.90"})
    assert '<span class="total_price">49.90</span>' in html


@pytest.mark.parametrize(
    "tag",
    [t for t in vocab.TAGS if not t.value_is_text and t.instances != "presence"],
    ids=lambda t: t.short,
)
def test_round_trip_every_record_tag(tag: vocab.Tag) -> None:
    data = tag_data(tag)
    items = data if isinstance(data, list) else [data]
    expected = tuple(record_type(tag.properties).from_dict(item) for item in items)
    html = render_tag(tag.name, data)
    assert parse_records(html, tag.name) == expected
    assert parse_page(html).problems == ()


def test_round_trip_the_whole_page() -> None:
    page = Page.from_dict(SAMPLE)
    parsed = parse_page(render_page(page))
    assert parsed.problems == ()
    assert parsed.page == page
    assert parsed.page.to_js() == page.to_js()


def _string_paths() -> list[tuple[str, str]]:
    """Every (tag, property) holding free text, where a hostile string is a legal value."""
    out: list[tuple[str, str]] = []
    for tag in vocab.TAGS:
        props = tag.properties
        for prop in props:
            if prop.kind is vocab.Kind.STRING and prop.pattern is None:
                out.append((tag.name, prop.name))
            if prop.kind is vocab.Kind.OBJECT:
                out.extend(
                    (tag.name, f"products.{p.name}")
                    for p in vocab.BASKET_ITEM
                    if p.kind is vocab.Kind.STRING and p.pattern is None
                )
    out.append(("cn_client_info", "custom_field"))
    return out


def _with(tag_name: str, path: str, value: str) -> Any:
    data = tag_data(vocab.TAG_BY_NAME[tag_name])
    first = dict(data[0] if isinstance(data, list) else data)
    if path.startswith("products."):
        first["products"] = [dict(first["products"][0])]
        first["products"][0][path.split(".", 1)[1]] = value
        first["total_quantity"] = first["products"][0]["quantity"]
    elif path == "custom_field":
        first["loyalty_tier"] = value
    else:
        prop = vocab.TAG_BY_NAME[tag_name].prop_index.get(path) or vocab.PRODUCT[0]
        first[path] = [value] if prop.multiple else value
    return first


def _element_count(html: str) -> int:
    return len(BeautifulSoup(html, "html.parser").find_all(True))


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(("tag_name", "path"), _string_paths(), ids=lambda v: str(v))
def test_hostile_strings_come_back_unchanged(tag_name: str, path: str, hostile: str) -> None:
    data = _with(tag_name, path, hostile)
    kind = record_type(vocab.TAG_BY_NAME[tag_name].properties)
    record = kind.from_dict(data)
    html = render_tag(tag_name, data)
    safe = render_tag(tag_name, _with(tag_name, path, "plain"))
    assert _element_count(html) == _element_count(safe), "a value created an element"
    (back,) = parse_records(html, tag_name)
    assert back == record
    value = back.products[0].values[path.split(".", 1)[1]] if path.startswith("products.") else None
    if value is None:
        value = back.values.get(path) or back.values.get("loyalty_tier")
    assert hostile in (value if isinstance(value, tuple) else (value,))


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_page_tags_and_urls(hostile: str) -> None:
    # Markup characters stay raw in the URL; spaces and line breaks are percent-encoded.
    url = "https://shop.example/p?q=" + quote(hostile, safe="<>\"'&{}#%!;=/|")
    data = {"url": url, "product_id": "1", "name": "n", "unit_price": 1}
    tag = hostile[:25].strip()
    page = Page.from_dict(
        {
            "product_visited": [data],
            "page_tags": [tag],
            "page_categories": ["/" + hostile.replace("/", "|")],
        }
    )
    parsed = parse_page(render_page(page))
    assert parsed.page == page


def test_a_list_in_a_contact_cannot_become_a_tag() -> None:
    with pytest.raises(ValidationError, match=r"contact\.interests is a list"):
        render_tag("client-info", {"primary_key": "ana@shop.example", "interests": ["a"]})


def test_markers_take_no_data() -> None:
    with pytest.raises(
        ValidationError, match=r"login must be true or false \(a marker carries no data\)"
    ):
        render_tag("login", {"email": "x@y.z"})


def test_render_returns_markup_that_jinja_does_not_escape_again() -> None:
    from jinja2 import Environment

    html = render_tag("search", {"search_text": "a & b"})
    out = Environment(autoescape=True).from_string("{{ x }}").render(x=html)
    assert out == html
    assert "a &amp; b" in out


@pytest.mark.parametrize("text", [*HOSTILE, "", "plain", "a\"b'c&d<e>f", "&#34;&#39;"])
def test_the_fast_escape_matches_markupsafe(text: str) -> None:
    from markupsafe import escape as markupsafe_escape

    from tagkit._markup import escape

    assert escape(text) == str(markupsafe_escape(text)).replace("\r", "&#13;")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("&<>\"'a \u00e9\U0001f600;#x3c\r\n")), max_size=30))
def test_the_fast_escape_matches_markupsafe_on_generated_text(text: str) -> None:
    from markupsafe import escape as markupsafe_escape

    from tagkit._frames import escape

    assert escape(text) == str(markupsafe_escape(text)).replace("\r", "&#13;")


@pytest.mark.parametrize("key", ["page_tags", "page_categories"])
@settings(max_examples=300, deadline=None)
@given(items=st.lists(st.text(st.characters(blacklist_categories=()), max_size=12), max_size=4))
def test_fuzz_text_tags_fast_and_full_rules_agree(key: str, items: list[str]) -> None:
    from tagkit import vocabulary as v
    from tagkit._input import _plain_texts, _texts

    tag = v.ENTRY_BY_PAGE_KEY[key]
    fast = _plain_texts(tag, items)
    problems: list[Any] = []
    full = _texts(tag, items, key, problems)
    if fast is not None:
        assert not problems and fast == full

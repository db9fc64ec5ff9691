"""Reading tags back follows the client's lookup rules (docs/connectif.md#lookup,
docs/connectif.md#drop)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tagkit import parse_page

PRODUCT = (
    '<span class="url">https://shop.example/p/1</span><span class="product_id">SKU-1</span>'
    '<span class="name">Shoe</span><span class="unit_price">49.90</span>'
)


def paths(html: str) -> dict[str, str]:
    return {p.path: p.message for p in parse_page(html).problems}


def test_single_values_take_the_first_match_at_any_depth() -> None:
    html = (
        '<div class="cn_product_visited"><div class="wrap"><span class="name">Deep</span></div>'
        f"{PRODUCT}</div>"
    )
    (product,) = parse_page(html).page.product_visited
    assert product.name == "Deep"


def test_multi_values_take_every_match_and_drop_empty_ones() -> None:
    html = (
        f'<div class="cn_product_visited">{PRODUCT}<span class="tag">a</span>'
        '<i><span class="tag">b</span></i><span class="tag"> </span></div>'
    )
    assert parse_page(html).page.product_visited[0].tag == ("a", "b")


def test_elements_may_carry_other_classes_outside_client_info() -> None:
    html = '<div class="box cn_search"><b class="x search_text y">red</b></div>'
    assert parse_page(html).page.search.search_text == "red"


def test_text_is_trimmed_like_javascript() -> None:
    html = '<div class="cn_search"><span class="search_text">\u00a0 red shoe \ufeff</span></div>'
    assert parse_page(html).page.search.search_text == "red shoe"


def test_only_the_first_cart_is_read() -> None:
    cart = '<div class="cn_cart"><span class="cart_id">{}</span><span class="total_quantity">0</span><span class="total_price">0</span></div>'
    page = parse_page(cart.format("first") + cart.format("second")).page
    assert page.cart.cart_id == "first"


def test_every_purchase_is_read() -> None:
    purchase = '<div class="cn_purchase"><span class="purchase_id">{}</span><span class="total_quantity">0</span><span class="total_price">0</span></div>'
    page = parse_page(purchase.format("o1") + purchase.format("o2")).page
    assert [p.purchase_id for p in page.purchases] == ["o1", "o2"]


def test_client_info_reads_direct_children_keyed_by_the_whole_class() -> None:
    html = (
        '<div class="cn_client_info"><span class="primary_key">ana@shop.example</span>'
        '<div><span class="_name">Hidden</span></div>'
        '<span class="_surname extra">García</span></div>'
    )
    result = parse_page(html)
    contact = result.page.contact
    assert contact.primary_key == "ana@shop.example"
    assert contact._name is None  # a wrapper hides what is inside it
    assert "contact" not in result.problems
    assert "cn_client_info._surname extra" in paths(html)


def test_a_product_without_url_is_dropped_and_reported() -> None:
    html = '<div class="cn_product_visited"><span class="product_id">1</span><span class="name">n</span><span class="unit_price">1</span></div>'
    result = parse_page(html)
    assert result.page.product_visited == ()
    assert paths(html) == {"cn_product_visited[0].url": "is required"}


def test_a_comma_price_drops_the_cart_and_says_why() -> None:
    html = '<div class="cn_cart"><span class="cart_id">c</span><span class="total_quantity">1</span><span class="total_price">1.234,50</span></div>'
    result = parse_page(html)
    assert result.page.cart is None
    assert "got '1.234,50'" in paths(html)["cn_cart.total_price"]


def test_a_bad_optional_value_is_left_out_like_the_client_does() -> None:
    html = f'<div class="cn_product_visited">{PRODUCT}<span class="rating_value">abc</span></div>'
    result = parse_page(html)
    (product,) = result.page.product_visited
    assert product.unit_price == Decimal("49.90")
    assert product.rating_value is None
    assert "cn_product_visited[0].rating_value" in paths(html)


def test_page_tags_are_cut_and_limited_as_the_client_does() -> None:
    spans = "".join(f'<span class="cn_page_tag">tag-{i}</span>' for i in range(12))
    long = '<span class="cn_page_tag">' + "x" * 30 + "</span>"
    result = parse_page(long + spans)
    assert result.page.page_tags[0] == "x" * 25
    assert len(result.page.page_tags) == 10
    assert set(paths(long + spans)) == {"cn_page_tag[0]", "cn_page_tag"}


def test_markers_are_read_by_presence() -> None:
    page = parse_page('<div class="cn_login"></div><div class="cn_login"></div>').page
    assert page.login is True
    assert page.register is False
    assert [e["type"] for e in page.to_js()["events"]] == ["login", "page-visit"]


@pytest.mark.parametrize(
    "html",
    [
        "\ud800",
        '<span class="cn_page_tag">\ud800</span>',
        '<div class="cn_search"><span class="search_text">a\udfffb</span></div>',
        '<span class="cn_page_category">a\x01b</span><span class="cn_page_tag">\ufeff</span>',
    ],
)
def test_parse_page_never_raises(html: str) -> None:
    """A lone surrogate becomes U+FFFD as a browser decodes it; text a page cannot hold is
    reported and left out."""
    result = parse_page(html)
    assert all(isinstance(p.message, str) for p in result.problems)

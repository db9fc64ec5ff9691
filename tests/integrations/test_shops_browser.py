"""The example shops, Flask and Django, in Chromium: what Connectif's client sends, page by
page, in tags mode and in events mode; one-shot events across a redirect, a reload, the back
button and a second tab; a purchase reloaded twice; the AJAX cart.

Both shops have the same pages and element ids, so one set of tests drives all four servers.
The harness routes every request, which turns Chromium's HTTP cache off, so the back button
always asks the server again here; the ``Cache-Control: private, no-store`` that keeps a real
browser from replaying a one-shot page is checked with each framework's test client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tagkit import Cart, Page
from tagkit.testing import ConnectifHarness, ConnectifPage

from .conftest import EXAMPLES, STORE_ID, count_events, load_module, next_request, plain, serve_wsgi

pytestmark = pytest.mark.browser


def flask_shop() -> Any:
    return load_module("tagkit_example_flask_shop", EXAMPLES / "flask_shop" / "app.py")


@contextmanager
def flask_server(mode: str) -> Iterator[tuple[str, Any]]:
    app = flask_shop().create_app(SECRET_KEY="browser-test", TAGKIT_MODE=mode)
    with serve_wsgi(app) as url:
        yield url, flask_shop().product


@contextmanager
def django_server(mode: str) -> Iterator[tuple[str, Any]]:
    from .django_setup import setup

    setup()
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings
    from django_shop import views  # type: ignore[import-not-found]

    settings = {"STORE_ID": STORE_ID, "REGION": "eu6", "MODE": mode}
    with override_settings(TAGKIT=settings), serve_wsgi(get_wsgi_application()) as url:
        yield url, views.product


SERVERS = {"flask": flask_server, "django": django_server}


@pytest.fixture(
    scope="module",
    params=[(f, m) for f in SERVERS for m in ("tags", "events")],
    ids=lambda p: "-".join(p),
)
def shop_url(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, Any]]:
    framework, mode = request.param
    with SERVERS[framework](mode) as (url, product):
        yield mode, url, product


Shop = tuple[str, str, Any]


def open_shop(connectif: ConnectifHarness, shop_url: Shop, path: str) -> ConnectifPage:
    mode, base, _ = shop_url
    return connectif.visit(base + path, auto_send=mode == "tags")


def expected_product(shop_url: Shop, sku: str) -> Any:
    data = Page.from_dict({"product_visited": [shop_url[2](sku)]})
    return plain(data.product_visited[0].to_js())


def test_product_page_and_ajax_cart(connectif: ConnectifHarness, shop_url: Shop) -> None:
    shop = open_shop(connectif, shop_url, "/p/SKU-78")
    [visit] = shop.wait_for_requests(1)
    assert visit.event_types == ["product-visited", "page-visit"]
    assert visit.events[0]["product"] == expected_product(shop_url, "SKU-78")
    assert visit.page_info["categories"] == ["/Shoes/Trail"]
    assert visit.cart is None

    shop.page.click("#add-to-cart")
    added = next_request(shop, 1)
    assert added.events == []
    assert added.cart is not None and added.cart["totalQuantity"] == 1
    assert added.cart["products"][0]["name"] == 'Trail shoe "Pro" <waterproof> & grippy'
    shop.page.wait_for_function("document.getElementById('cart-count').textContent === '1'")

    shop.page.goto(shop_url[1] + "/cart")
    on_cart_page = next_request(shop, 2)
    assert on_cart_page.event_types == ["page-visit"]
    assert on_cart_page.cart is None  # unchanged since the client sent it

    shop.page.click("button.remove")
    emptied = next_request(shop, 3)
    assert emptied.cart == {
        "cartId": added.cart["cartId"],
        "totalQuantity": 0,
        "totalPrice": 0,
        "products": [],
    }
    shop.page.wait_for_selector("body[data-cart-refreshed]", state="attached")
    shop.assert_no_more_requests(0.3)
    shop.assert_no_errors()


def test_login_is_sent_once_after_a_redirect(connectif: ConnectifHarness, shop_url: Shop) -> None:
    base = shop_url[1]
    shop = open_shop(connectif, shop_url, "/login")
    assert shop.wait_for_requests(1)[0].event_types == ["page-visit"]
    shop.page.fill("input[name=email]", "ana@shop.example")
    shop.page.click("button[type=submit]")
    after = next_request(shop, 1)
    assert after.event_types == ["login", "page-visit"]
    assert after.entity_info["primaryKey"] == "ana@shop.example"
    assert shop.url == base + "/"

    shop.page.reload()
    assert next_request(shop, 2).event_types == ["page-visit"]
    shop.page.goto(base + "/c/running")
    assert next_request(shop, 3).event_types == ["page-visit"]
    shop.page.go_back()
    shop.page.wait_for_load_state()
    shop.page.go_forward()
    shop.page.wait_for_load_state()
    second_tab = shop.context.new_page()
    second_tab.goto(base + "/")
    second_tab.wait_for_load_state()
    shop.page.wait_for_timeout(500)
    assert count_events(shop, "login") == 1
    assert all(r.entity_info.get("primaryKey") == "ana@shop.example" for r in shop.requests[1:])
    shop.assert_no_errors()


def test_a_purchase_is_sent_once_across_reloads(
    connectif: ConnectifHarness, shop_url: Shop
) -> None:
    base = shop_url[1]
    shop = open_shop(connectif, shop_url, "/p/SKU-90")
    shop.wait_for_requests(1)
    shop.page.click("#add-to-cart")
    cart = next_request(shop, 1).cart
    assert cart is not None
    shop.page.goto(base + "/cart")
    next_request(shop, 2)
    shop.page.click("#checkout")
    thanks = next_request(shop, 3)
    assert thanks.event_types == ["purchase", "page-visit"]
    purchase = thanks.events[0]["purchase"]
    assert purchase["cartId"] == cart["cartId"]
    assert purchase["products"][0]["name"] == "Wool socks, 3 pack 🧦 ñ"
    assert purchase["totalPrice"] == 12.5
    assert thanks.cart == plain(Cart.empty(cart["cartId"]).to_js())
    for seen in (4, 5):
        shop.page.reload()
        again = next_request(shop, seen)
        assert again.event_types == ["page-visit"]
        assert again.cart is None
    shop.page.go_back()
    shop.page.wait_for_load_state()
    shop.page.wait_for_timeout(300)
    assert count_events(shop, "purchase") == 1
    shop.assert_no_errors()

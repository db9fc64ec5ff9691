"""The Flask extension and the example shop, with Flask's test client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask, g, render_template_string

from tagkit import ConfigError, Page, ValidationError, parse_page
from tagkit.integrations.flask import Tagkit, cart_fragment, queue_event

from .conftest import EXAMPLES, STORE_ID, load_module

CART = {"cart_id": "c-1", "total_quantity": 0, "total_price": 0}


def shop_module() -> Any:
    return load_module("tagkit_example_flask_shop", EXAMPLES / "flask_shop" / "app.py")


@pytest.fixture
def shop() -> Any:
    return shop_module().create_app(TESTING=True, SECRET_KEY="test")


def app_with(**config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", TAGKIT_STORE_ID=STORE_ID, TAGKIT_REGION="eu6")
    app.config.update(config)
    return app


def parsed(html: str) -> Page:
    return parse_page(html).page


# -- the extension ------------------------------------------------------------------------------


def test_settings_come_from_app_config_and_are_checked_at_init() -> None:
    with pytest.raises(ConfigError, match=r"^TAGKIT_STORE_ID: store_id must be .* got 'shop-1'$"):
        Tagkit(app_with(TAGKIT_STORE_ID="shop-1"))
    with pytest.raises(ConfigError, match=r"^TAGKIT_MODE must be 'tags' .* got 'Events'$"):
        Tagkit(app_with(TAGKIT_MODE="Events"))
    with pytest.raises(ConfigError, match=r"^TAGKIT_REGON is not a tagkit setting; did you mean"):
        Tagkit(app_with(TAGKIT_REGON="eu6"))
    with pytest.raises(ConfigError, match=r"^TAGKIT_STATIC_PATH must be a URL path"):
        Tagkit(app_with(TAGKIT_STATIC_PATH="static"))


def test_init_app_pattern_and_the_jinja_globals() -> None:
    app = app_with(TAGKIT_MODE="events")
    extension = Tagkit()
    extension.init_app(app)
    with app.test_request_context("/"):
        html = render_template_string(
            "{{ connectif_loader() }}{{ connectif_page({'search': 'x'}) }}"
        )
    assert "/eu6/client-script/" + STORE_ID in html
    assert '"events":[{"searchText":"x","type":"search"},{"type":"page-visit"}]' in html


def test_the_csp_nonce_comes_from_g() -> None:
    app = app_with(TAGKIT_MODE="events")
    Tagkit(app)
    with app.test_request_context("/"):
        g.csp_nonce = "r4nd0m"
        html = render_template_string("{{ connectif_loader() }}{{ connectif_page({}) }}")
    assert html.count("<script") == html.count('nonce="r4nd0m"') == 2


def test_a_template_with_invalid_data_fails_whole() -> None:
    app = app_with(TESTING=True)
    Tagkit(app)

    @app.get("/")
    def index() -> str:
        return render_template_string(
            "<body>{{ connectif_page(page) }}", page={"cart": CART | {"total_price": "9,5"}}
        )

    with pytest.raises(ValidationError, match=r"^cart\.total_price must be a non-negative number"):
        app.test_client().get("/")


def test_queue_event_outside_a_request_is_refused() -> None:
    with pytest.raises(RuntimeError, match="request context"):
        queue_event("login")


def test_cart_fragment_is_the_cart_tag_alone_never_cached() -> None:
    app = app_with(TAGKIT_HIDDEN=True)
    Tagkit(app)
    with app.test_request_context("/"):
        response = cart_fragment(CART)
        empty = cart_fragment(None)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert body.startswith('<div class="cn_cart" hidden>')
    assert parsed(body) == Page.from_dict({"cart": CART})
    assert empty.get_data(as_text=True) == ""
    assert empty.headers["Cache-Control"] == "private, no-store"


def test_the_shipped_scripts_are_served_and_nothing_else() -> None:
    app = app_with(TAGKIT_STATIC_PATH="/assets/tagkit/")
    Tagkit(app)
    client = app.test_client()
    cart_js = client.get("/assets/tagkit/tagkit-cart.js")
    assert cart_js.status_code == 200
    assert cart_js.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"refreshCart" in cart_js.data
    assert client.get("/assets/tagkit/tagkit-events.js").status_code == 200
    assert client.get("/assets/tagkit/connectif-double.js").status_code == 404
    assert client.get("/assets/tagkit/..%2Fpyproject.toml").status_code == 404
    none = app_with(TAGKIT_STATIC_PATH=None)
    Tagkit(none)
    assert none.test_client().get("/_tagkit/tagkit-cart.js").status_code == 404


# -- the example shop ---------------------------------------------------------------------------


def test_every_page_has_the_loader_and_its_data(shop: Flask) -> None:
    client = shop.test_client()
    product = client.get("/p/SKU-78").get_data(as_text=True)
    assert product.count('id="__cn_generic_script__' + STORE_ID) == 1
    page = parsed(product)
    assert page.product_visited[0].name == 'Trail shoe "Pro" <waterproof> & grippy'
    assert page.page_categories == ("/Shoes/Trail",)
    hostile = "</script><script>window.__pwned=1</script>"
    found = client.get("/search", query_string={"q": hostile}).get_data(as_text=True)
    assert parsed(found).search.search_text == hostile  # type: ignore[union-attr]
    assert "<script>window.__pwned" not in found


def test_login_is_sent_once_after_the_redirect(shop: Flask) -> None:
    client = shop.test_client()
    response = client.post("/login", data={"email": "ana@shop.example"})
    assert response.status_code == 302
    first = client.get("/")
    assert first.headers["Cache-Control"] == "private, no-store"
    page = parsed(first.get_data(as_text=True))
    assert page.login and page.contact.values["primary_key"] == "ana@shop.example"  # type: ignore[union-attr]
    again = client.get("/")
    assert not parsed(again.get_data(as_text=True)).login
    assert "Cache-Control" not in again.headers


def test_register_and_newsletter_are_queued_and_bad_input_is_named(shop: Flask) -> None:
    client = shop.test_client()
    client.post("/register", data={"email": "bo@shop.example", "name": "Bo"})
    assert parsed(client.get("/c/socks").get_data(as_text=True)).register
    bad = client.post("/newsletter", data={"email": "bo at shop"})
    assert bad.status_code == 400
    assert "newsletter_subscribe.email must be an email address" in bad.get_data(as_text=True)
    client.post("/newsletter", data={"email": "bo@shop.example"})
    page = parsed(client.get("/").get_data(as_text=True))
    assert page.newsletter_subscribe.email == "bo@shop.example"  # type: ignore[union-attr]


def test_a_purchase_is_sent_once_per_purchase_id(shop: Flask) -> None:
    client = shop.test_client()
    client.post("/cart/add", data={"sku": "SKU-77"})
    client.post("/cart/add", data={"sku": "SKU-77"})
    done = client.post("/checkout")
    thanks = client.get(done.location)
    page = parsed(thanks.get_data(as_text=True))
    [order] = page.purchases
    assert order.total_quantity == 2 and str(order.total_price) == "99.80"
    assert page.cart is not None and page.cart.total_quantity == 0
    assert page.cart.cart_id == order.cart_id
    assert thanks.headers["Cache-Control"] == "private, no-store"
    for _ in range(2):
        reload = client.get(done.location)
        assert not parsed(reload.get_data(as_text=True)).purchases
    other = shop.test_client()  # another visitor seeing the page: its own session
    assert "cn_purchase" in other.get(done.location).get_data(as_text=True)


def test_the_cart_fragment_follows_the_cart(shop: Flask) -> None:
    client = shop.test_client()
    assert client.get("/cart/fragment").get_data(as_text=True) == ""
    client.post("/cart/add", data={"sku": "SKU-90"}, headers={"X-Requested-With": "fetch"})
    cart = parsed(client.get("/cart/fragment").get_data(as_text=True)).cart
    assert cart is not None and cart.products[0].name == "Wool socks, 3 pack 🧦 ñ"
    client.post("/cart/remove", data={"sku": "SKU-90"})
    emptied = parsed(client.get("/cart/fragment").get_data(as_text=True)).cart
    assert emptied is not None and emptied.total_quantity == 0 and emptied.cart_id == cart.cart_id


def test_events_mode_renders_one_script_per_page(shop: Flask) -> None:
    app = shop_module().create_app(TESTING=True, SECRET_KEY="t", TAGKIT_MODE="events")
    html = app.test_client().get("/p/SKU-77").get_data(as_text=True)
    assert "cn_product_visited" not in html
    [payload] = re.findall(r"\n    return (\{.*\});\n", html)
    assert '"type":"product-visited"' in payload and payload.endswith(
        '{"type":"page-visit"}],"options":{}}'
    )

"""``tagkit-cart.js`` in Chromium: ``tagkit.refreshCart(url)`` replaces the cart tag and sends
it once the client is ready; overlapping calls, errors, an unchanged cart, a removed cart, a
client that loads late, the file included twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from tagkit import Cart, render_loader, render_tag
from tagkit._resources import static_path
from tagkit.testing import ConnectifHarness, ConnectifPage

from .conftest import STORE_ID, next_request, plain, serve_wsgi

pytestmark = pytest.mark.browser

LOADER = str(render_loader(STORE_ID, "eu6"))
KIT = static_path("tagkit-cart.js").read_bytes()


def cart(quantity: int) -> dict[str, Any]:
    if quantity == 0:
        return Cart.empty("c-1").to_dict()
    line = {
        "quantity": quantity,
        "price": f"{10 * quantity}.00",
        "url": "https://shop.example/p/1",
        "product_id": "P-1",
        "name": 'Cup "</script>" & co',
        "unit_price": "10.00",
    }
    return {
        "cart_id": "c-1",
        "total_quantity": quantity,
        "total_price": f"{10 * quantity}.00",
        "products": [line],
    }


def page(body: str, *, loader: bool = True, kit_twice: bool = False) -> str:
    kit = '<script src="/tagkit-cart.js"></script>' * (2 if kit_twice else 1)
    return f"<!doctype html><html><head><meta charset=utf-8>{kit}</head><body>{LOADER if loader else ''}{body}</body></html>"


def app(environ: Any, start_response: Any) -> Any:
    request = Request(environ)
    path = request.path
    if path == "/tagkit-cart.js":
        response = Response(KIT, content_type="text/javascript")
    elif path.startswith("/frag/"):
        time.sleep(float(request.args.get("delay", "0")))
        what = path.removeprefix("/frag/")
        if what == "error":
            response = Response("no", status=503)
        elif what == "none":
            response = Response("", content_type="text/html")
        else:
            response = Response(str(render_tag("cart", cart(int(what)))), content_type="text/html")
    else:
        body = {
            "/one": str(render_tag("cart", cart(1))),
            "/two-carts": str(render_tag("cart", cart(1))) + str(render_tag("cart", cart(1))),
            "/late": str(render_tag("cart", cart(1))),
        }.get(path, "")
        response = Response(
            page(body, loader=path != "/late", kit_twice=path == "/two-carts"),
            content_type="text/html",
        )
    return response(environ, start_response)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_wsgi(app) as url:
        yield url


def refresh(shop: ConnectifPage, url: str) -> Any:
    return shop.evaluate("url => window.tagkit.refreshCart(url)", url)


def carts_in_page(shop: ConnectifPage) -> int:
    return int(shop.evaluate("document.querySelectorAll('.cn_cart').length"))


def test_a_changed_cart_is_sent_and_an_unchanged_one_is_not(
    connectif: ConnectifHarness, base: str
) -> None:
    shop = connectif.visit(base + "/one")
    [first] = shop.wait_for_requests(1)
    assert first.cart == plain(Cart.from_dict(cart(1)).to_js())
    assert refresh(shop, "/frag/1") is False
    shop.assert_no_more_requests(0.3)
    assert refresh(shop, "/frag/2") is True
    assert next_request(shop, 1).cart == plain(Cart.from_dict(cart(2)).to_js())
    assert refresh(shop, "/frag/0") is True
    emptied = next_request(shop, 2)
    assert emptied.events == [] and emptied.cart == {
        "cartId": "c-1",
        "totalQuantity": 0,
        "totalPrice": 0,
        "products": [],
    }
    shop.assert_no_more_requests(0.3)
    shop.assert_no_errors()


def test_an_older_response_never_replaces_a_newer_cart(
    connectif: ConnectifHarness, base: str
) -> None:
    shop = connectif.visit(base + "/one")
    shop.wait_for_requests(1)
    results = shop.evaluate(
        "() => Promise.all([window.tagkit.refreshCart('/frag/2?delay=0.6'),"
        " window.tagkit.refreshCart('/frag/3')])"
    )
    assert results == [False, True]
    [_, sent] = shop.wait_for_requests(2)
    assert sent.cart is not None and sent.cart["totalQuantity"] == 3
    assert shop.evaluate("document.querySelector('.cn_cart .total_quantity').textContent") == "3"
    shop.assert_no_more_requests(0.3)


def test_a_failed_fetch_rejects_with_the_url_and_status(
    connectif: ConnectifHarness, base: str
) -> None:
    shop = connectif.visit(base + "/one")
    shop.wait_for_requests(1)
    message = shop.evaluate(
        "() => window.tagkit.refreshCart('/frag/error').then(() => 'resolved', e => e.message)"
    )
    assert message == "tagkit: the cart fragment /frag/error answered HTTP 503"
    assert carts_in_page(shop) == 1
    shop.assert_no_more_requests(0.3)


def test_a_fragment_without_a_cart_removes_it_and_extra_carts_go(
    connectif: ConnectifHarness, base: str
) -> None:
    shop = connectif.visit(base + "/two-carts")
    shop.wait_for_requests(1)
    assert carts_in_page(shop) == 2
    assert refresh(shop, "/frag/2") is True
    assert carts_in_page(shop) == 1
    assert next_request(shop, 1).cart is not None
    assert shop.evaluate("typeof window.tagkit.refreshCart") == "function"
    assert refresh(shop, "/frag/none") is True
    assert carts_in_page(shop) == 0
    shop.assert_no_more_requests(0.3)  # nothing new to tell: the client skips the request
    shop.assert_no_errors()


def test_a_refresh_before_the_client_loads_is_sent_once_it_is_ready(
    connectif: ConnectifHarness, base: str
) -> None:
    shop = connectif.visit(base + "/late", auto_send=False)
    assert refresh(shop, "/frag/2") is True
    shop.assert_no_more_requests(0.3)
    code = LOADER.split(">", 1)[1].removesuffix("</script>")
    shop.evaluate(
        "code => { const s = document.createElement('script'); s.text = code; document.body.appendChild(s); }",
        code,
    )
    [sent] = shop.wait_for_requests(1)
    assert sent.events == [] and sent.cart is not None and sent.cart["totalQuantity"] == 2
    shop.assert_no_more_requests(0.3)
    shop.assert_no_errors()

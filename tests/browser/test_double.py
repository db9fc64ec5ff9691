"""The Connectif client rules of docs/connectif.md, checked against the client the harness serves.

By default that is tagkit's double; with ``--connectif-client FILE`` the same tests run against a
real client file (tests of the double's own profiles are then skipped).
"""

from __future__ import annotations

import pytest

from tagkit.testing import ConnectifHarness

from .conftest import (
    CLIENT_SCRIPT_URL,
    LOADER,
    NOTIFICATION_URL,
    RED_SHOE,
    STORE_ID,
    page,
    profiles,
)

pytestmark = pytest.mark.browser

NOT_INITIALIZED = "Connectif: cannot getSubscription before initialize"
MANAGED_API = {
    "sendEvents",
    "getAllEvents",
    "getAllEventsAsync",
    "deepEquals",
    "isExcludedPage",
    "getSamplingValue",
    "isAllowedDomain",
}


def first_request_events(connectif: ConnectifHarness, body: str) -> list[dict[str, object]]:
    shop = connectif.open(page(body))
    [request] = shop.wait_for_requests(1)
    return request.events


# --- globals, lifecycle and the request (docs/connectif.md#wait, docs/connectif.md#request) -------


def test_1_3_0_globals_and_lifecycle_events(connectif: ConnectifHarness) -> None:
    shop = connectif.open(page(""), auto_send=False)
    shop.wait_for_initialized()

    assert shop.lifecycle_events() == [
        "connectif.loaded",
        "connectif.managed.initialized",
        "connectif.initialized",
    ]
    found = shop.evaluate(
        "() => ({version: connectif.version, hooks: typeof connectif.addHookHandler,"
        " managed: Object.keys(connectif.managed)})"
    )
    assert found["version"] == "1.3.0"
    assert found["hooks"] == "function"
    assert set(found["managed"]) >= MANAGED_API
    assert "isInitialized" not in found["managed"]


def test_request_url_headers_and_body_shape(connectif: ConnectifHarness) -> None:
    shop = connectif.open(page("", title="Home"))
    [request] = shop.wait_for_requests(1)

    assert request.url == NOTIFICATION_URL
    assert request.store_id == STORE_ID
    assert request.content_type.startswith("text/plain")
    # No contact, no cart and no push subscription: those keys are absent, not null
    # (docs/connectif.md#request-absent-keys).
    assert set(request.body) == {
        "entityInfo",
        "events",
        "bannerPlaceholders",
        "pageInfo",
        "browserInfo",
    }
    assert request.entity_info == {}
    assert request.events == [{"type": "page-visit"}]
    assert request.page_info == {"categories": [], "title": "Home", "keywords": [], "tags": []}
    info = request.browser_info
    assert set(info) == {
        "windowWidth",
        "windowHeight",
        "screenWidth",
        "screenHeight",
        "colorDepth",
        "cookieEnabled",
        "language",
        "platform",
        "url",
        "referer",
        "device",
    }
    assert info["url"] == "https%3A%2F%2Fshop.example%2F"
    assert info["referer"] == ""
    assert info["device"] == "desktop"
    # The tracker id of the response is stored for later requests
    # (docs/connectif.md#request-response).
    stored = shop.evaluate("() => JSON.parse(localStorage.getItem('cn_tracker'))")
    assert stored == {"id": shop.tracker_id}
    shop.assert_no_errors()


def test_auto_send_off_sends_nothing_but_tags_stay_readable(connectif: ConnectifHarness) -> None:
    shop = connectif.open(
        page(f'<div class="cn_product_visited" style="display:none">{RED_SHOE}</div>'),
        auto_send=False,
    )
    shop.wait_for_initialized()
    shop.assert_no_more_requests(wait=0.2)

    events = shop.evaluate("() => connectif.managed.getAllEventsAsync()")
    assert [event["type"] for event in events] == ["product-visited", "page-visit"]


# --- reading tags (docs/connectif.md#lookup, docs/connectif.md#text) ------------------------------


def test_first_match_at_any_depth_wins_for_single_values(connectif: ConnectifHarness) -> None:
    events = first_request_events(
        connectif,
        '<div class="cn_product_visited" style="display:none">'
        '<div class="details"><span class="name">Red shoe</span></div>'
        '<span class="name">Blue shoe</span>'
        '<span class="url">https://shop.example/p/red-shoe</span>'
        '<span class="url">https://shop.example/p/blue-shoe</span>'
        '<span class="product_id">SKU-77</span>'
        '<span class="unit_price">49.90</span>'
        "</div>",
    )
    product = events[0]["product"]
    assert product["name"] == "Red shoe"
    assert product["productDetailUrl"] == "https://shop.example/p/red-shoe"


def test_multi_valued_properties_take_every_match_and_drop_empty_ones(
    connectif: ConnectifHarness,
) -> None:
    events = first_request_events(
        connectif,
        '<div class="cn_product_visited" style="display:none">'
        f"{RED_SHOE}"
        '<span class="category">/Shoes</span>'
        '<span class="category">  </span>'
        '<div><span class="category">/Shoes/Running</span></div>'
        '<span class="tag">summer</span><span class="tag"></span>'
        '<span class="related_external_product_id">SKU-78</span>'
        '<span class="related_external_product_id">SKU-79</span>'
        "</div>"
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/sock</span>'
        '<span class="product_id">SKU-1</span><span class="name">Sock</span>'
        '<span class="unit_price">3</span>'
        "</div>",
    )
    with_lists, without_lists = events[0]["product"], events[1]["product"]
    assert with_lists["categories"] == ["/Shoes", "/Shoes/Running"]
    assert with_lists["tags"] == ["summer"]
    assert with_lists["relatedExternalProductIds"] == ["SKU-78", "SKU-79"]
    # The three arrays are always there (docs/connectif.md#empty-arrays-present).
    assert without_lists["categories"] == []
    assert without_lists["tags"] == []
    assert without_lists["relatedExternalProductIds"] == []


def test_text_is_inner_text_so_css_applies_to_rendered_elements(
    connectif: ConnectifHarness,
) -> None:
    # docs/connectif.md#text-rendered-css: a rendered element is read through CSS; a hidden one is
    # read as written (trimmed).
    events = first_request_events(
        connectif,
        '<div class="cn_product_visited">'
        '<span class="url">https://shop.example/p/red-shoe</span>'
        '<span class="product_id">SKU-77</span>'
        '<span class="name" style="text-transform:uppercase">Red   shoe</span>'
        '<span class="unit_price">49.90</span>'
        "</div>"
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/red-shoe</span>'
        '<span class="product_id">SKU-77</span>'
        '<span class="name" style="text-transform:uppercase">  Red   shoe\n</span>'
        '<span class="unit_price">49.90</span>'
        "</div>",
    )
    assert events[0]["product"]["name"] == "RED SHOE"
    assert events[1]["product"]["name"] == "Red   shoe"


# --- product object (docs/connectif.md#tag-product, docs/connectif.md#event-objects) --------------


def test_product_properties_use_the_renamed_js_keys(connectif: ConnectifHarness) -> None:
    events = first_request_events(
        connectif,
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/red-shoe</span>'
        '<span class="product_id">SKU-77</span>'
        '<span class="name">Red shoe</span>'
        '<span class="unit_price">49.90</span>'
        '<span class="image_url">https://cdn.shop.example/red.jpg</span>'
        '<span class="thumbnail_url">https://cdn.shop.example/red-s.jpg</span>'
        '<span class="description">Light running shoe</span>'
        '<span class="availability">InStock</span>'
        '<span class="category">/Shoes/Running</span>'
        '<span class="tag">summer</span>'
        '<span class="brand">Acme</span>'
        '<span class="related_external_product_id">SKU-78</span>'
        '<span class="priority">3</span>'
        '<span class="rating_value">4.5</span>'
        '<span class="review_count">12</span>'
        '<span class="rating_count">40</span>'
        '<span class="unit_price_original">59.90</span>'
        '<span class="unit_price_without_vat">41.24</span>'
        '<span class="discounted_amount">10.00</span>'
        '<span class="discounted_percentage">16.69</span>'
        '<span class="published_at">2024-05-01T10:20:00Z</span>'
        '<span class="custom_field_1">vegan</span>'
        '<span class="custom_field_2">made in EU</span>'
        '<span class="custom_field_3">42</span>'
        "</div>",
    )
    assert events[0] == {
        "type": "product-visited",
        "product": {
            "productDetailUrl": "https://shop.example/p/red-shoe",
            "productId": "SKU-77",
            "name": "Red shoe",
            "unitPrice": 49.9,
            "imageUrl": "https://cdn.shop.example/red.jpg",
            "thumbnailUrl": "https://cdn.shop.example/red-s.jpg",
            "description": "Light running shoe",
            "availability": "InStock",
            "categories": ["/Shoes/Running"],
            "tags": ["summer"],
            "brand": "Acme",
            "relatedExternalProductIds": ["SKU-78"],
            "priority": 3,
            "rating": 4.5,
            "reviewCount": 12,
            "ratingCount": 40,
            "unitPriceOriginal": 59.9,
            "unitPriceWithoutVAT": 41.24,
            "discountedAmount": 10,
            "discountedPercentage": 16.69,
            # docs/connectif.md#key-not-read: published_at is not read by client 1.3.0, so there is
            # no publishedAt.
            "customField1": "vegan",
            "customField2": "made in EU",
            "customField3": "42",
        },
    }


def test_numbers_are_read_like_parse_float_and_parse_int(connectif: ConnectifHarness) -> None:
    events = first_request_events(
        connectif,
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/red-shoe</span>'
        '<span class="product_id">SKU-77</span>'
        '<span class="name">Red shoe</span>'
        '<span class="unit_price">1.234,50</span>'
        '<span class="unit_price_original">€10</span>'
        '<span class="unit_price_without_vat">10 €</span>'
        '<span class="discounted_percentage">1e1</span>'
        '<span class="priority">2.5</span>'
        '<span class="review_count">12 reviews</span>'
        '<span class="rating_value">four</span>'
        "</div>",
    )
    product = events[0]["product"]
    assert product["unitPrice"] == 1.234
    assert product["unitPriceWithoutVAT"] == 10
    assert product["discountedPercentage"] == 10
    assert product["priority"] == 2
    assert product["reviewCount"] == 12
    # docs/connectif.md#drop-optional-number: an optional number that does not parse is silently
    # absent.
    assert "unitPriceOriginal" not in product
    assert "rating" not in product


def test_product_is_dropped_unless_name_url_id_and_price(connectif: ConnectifHarness) -> None:
    # Every cn_product_visited instance is read (docs/connectif.md#lookup-every-instance), so one
    # page holds every case.
    events = first_request_events(
        connectif,
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/ok</span><span class="product_id">KEPT</span>'
        '<span class="name">Complete</span><span class="unit_price">0</span></div>'
        '<div class="cn_product_visited" style="display:none">'
        '<span class="product_id">NO-URL</span><span class="name">No url</span>'
        '<span class="unit_price">49.90</span></div>'
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/a</span><span class="product_id">EMPTY-NAME</span>'
        '<span class="name"> </span><span class="unit_price">49.90</span></div>'
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/b</span><span class="product_id"></span>'
        '<span class="name">Empty product id</span><span class="unit_price">49.90</span></div>'
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/c</span><span class="product_id">EURO-PRICE</span>'
        '<span class="name">Euro price</span><span class="unit_price">€10</span></div>'
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/d</span><span class="product_id">NEGATIVE</span>'
        '<span class="name">Negative price</span><span class="unit_price">-1</span></div>'
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/e</span><span class="product_id">NO-PRICE</span>'
        '<span class="name">No price</span></div>',
    )
    kept = [event["product"]["productId"] for event in events if event["type"] == "product-visited"]
    assert kept == ["KEPT"]


# --- cn_client_info (docs/connectif.md#contact-block) ---------------------------------------------
# docs/connectif.md#lookup-client-info-direct-children,
# docs/connectif.md#lookup-client-info-class-key


def test_client_info_reads_direct_children_with_renamed_system_keys(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_client_info" style="display:none">'
            '<span class="primary_key">ana@shop.example</span>'
            '<span class="_name">Ana</span>'
            '<span class="_surname">García</span>'
            '<span class="_birthdate">1990-05-17T00:00:00Z</span>'
            '<span class="_newsletter_subscription_status">subscribed</span>'
            '<span class="_email_status">active</span>'
            '<span class="loyalty_tier">gold</span>'
            '<span class="_mobilePhone">+34600000000</span>'
            '<span class="tracker_id">0123456789abcdef0123456789abcdef</span>'
            '<div><span class="points">120</span></div>'
            '<div class="wrapper"><span class="_name">Hidden</span></div>'
            '<span class="_name">Second name</span>'
            "</div>"
        )
    )
    [request] = shop.wait_for_requests(1)
    assert request.entity_info == {
        "primaryKey": "ana@shop.example",
        "_name": "Ana",
        "_surname": "García",
        "_birthdate": "1990-05-17T00:00:00Z",
        "_newsletterSubscriptionStatus": "subscribed",
        "_emailStatus": "active",
        "loyalty_tier": "gold",
        "_mobilePhone": "+34600000000",
        # Cut to 24 characters (docs/connectif.md#contact-tracker-id).
        "trackerId": "0123456789abcdef01234567",
        # A wrapper hides what is inside it; with a class of its own it becomes one more key.
        "wrapper": "Hidden",
    }


def test_client_info_child_with_several_classes_keys_on_the_whole_class_string(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_client_info" style="display:none">'
            '<span class="primary_key highlighted">ana@shop.example</span>'
            "</div>"
        )
    )
    [request] = shop.wait_for_requests(1)
    assert request.entity_info == {"primary_key highlighted": "ana@shop.example"}


# --- instances and order (docs/connectif.md#lookup-first-instance) --------------------------------
# docs/connectif.md#lookup-every-instance, docs/connectif.md#event-order


def test_first_instance_only_for_contact_cart_search_newsletter(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_client_info" style="display:none">'
            '<span class="primary_key">ana@shop.example</span></div>'
            '<div class="cn_client_info" style="display:none">'
            '<span class="primary_key">bob@shop.example</span></div>'
            '<div class="cn_cart" style="display:none"><span class="cart_id">c-1</span>'
            '<span class="total_quantity">0</span><span class="total_price">0</span></div>'
            '<div class="cn_cart" style="display:none"><span class="cart_id">c-2</span>'
            '<span class="total_quantity">0</span><span class="total_price">0</span></div>'
            '<div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>'
            '<div class="cn_search" style="display:none"><span class="search_text">blue</span></div>'
            '<div class="cn_newsletter_subscribe" style="display:none">'
            '<span class="email">ana@shop.example</span></div>'
            '<div class="cn_newsletter_subscribe" style="display:none">'
            '<span class="email">bob@shop.example</span></div>'
        )
    )
    [request] = shop.wait_for_requests(1)
    assert request.entity_info == {"primaryKey": "ana@shop.example"}
    assert request.cart is not None
    assert request.cart["cartId"] == "c-1"
    assert request.events == [
        {"type": "search", "searchText": "red shoe"},
        {"type": "newsletter-subscribe", "email": "ana@shop.example"},
        {"type": "page-visit"},
    ]


def test_every_instance_for_products_and_presence_for_login_register(
    connectif: ConnectifHarness,
) -> None:
    events = first_request_events(
        connectif,
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/a</span><span class="product_id">A</span>'
        '<span class="name">A</span><span class="unit_price">1</span></div>'
        '<div class="cn_product_visited" style="display:none">'
        '<span class="url">https://shop.example/p/b</span><span class="product_id">B</span>'
        '<span class="name">B</span><span class="unit_price">2</span></div>'
        '<div class="cn_product_not_found" style="display:none"><span class="product_id">GONE-1</span></div>'
        '<div class="cn_product_not_found" style="display:none"><span class="product_id"></span></div>'
        '<div class="cn_login" style="display:none"></div>'
        '<div class="cn_login" style="display:none"></div>'
        '<div class="cn_register" style="display:none"></div>',
    )
    assert [event["type"] for event in events] == [
        "product-visited",
        "product-visited",
        "product-not-found",
        "login",
        "register",
        "page-visit",
    ]
    assert [events[0]["product"]["productId"], events[1]["product"]["productId"]] == ["A", "B"]
    assert events[2] == {"type": "product-not-found", "productId": "GONE-1"}


def test_events_follow_the_auto_collect_order_with_page_visit_last(
    connectif: ConnectifHarness,
) -> None:
    # Written in the reverse of the order of docs/connectif.md#event-order: the client's order
    # wins over the document's.
    events = first_request_events(
        connectif,
        '<div class="cn_purchase" style="display:none"><span class="purchase_id">o-1</span>'
        '<span class="total_quantity">0</span><span class="total_price">0</span></div>'
        '<div class="cn_newsletter_subscribe" style="display:none">'
        '<span class="email">ana@shop.example</span></div>'
        '<div class="cn_search" style="display:none"><span class="search_text">shoe</span></div>'
        '<div class="cn_register" style="display:none"></div>'
        '<div class="cn_login" style="display:none"></div>'
        '<div class="cn_product_not_found" style="display:none"><span class="product_id">X</span></div>'
        f'<div class="cn_product_searched" style="display:none">{RED_SHOE}</div>'
        f'<div class="cn_product_visited" style="display:none">{RED_SHOE}</div>',
    )
    assert [event["type"] for event in events] == [
        "product-visited",
        "product-searched",
        "product-not-found",
        "login",
        "register",
        "search",
        "newsletter-subscribe",
        "purchase",
        "page-visit",
    ]


def test_search_needs_text_and_newsletter_is_sent_even_without_email(
    connectif: ConnectifHarness,
) -> None:
    events = first_request_events(
        connectif,
        '<div class="cn_search" style="display:none"><span class="search_text"> </span></div>'
        '<div class="cn_newsletter_subscribe" style="display:none"></div>',
    )
    assert events == [{"type": "newsletter-subscribe"}, {"type": "page-visit"}]


# --- cart and purchase (docs/connectif.md#tag-cart, docs/connectif.md#tag-purchase) ---------------
# docs/connectif.md#tag-cart-empty, docs/connectif.md#drop-cart


def test_empty_cart_is_sent(connectif: ConnectifHarness) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_cart" style="display:none"><span class="cart_id">c-5521</span>'
            '<span class="total_quantity">0</span><span class="total_price">0</span></div>'
        )
    )
    [request] = shop.wait_for_requests(1)
    assert request.cart == {"cartId": "c-5521", "totalQuantity": 0, "totalPrice": 0, "products": []}


def test_cart_lines_are_products_with_quantity_and_line_price(connectif: ConnectifHarness) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_cart" style="display:none">'
            '<span class="cart_id">c-5521</span><span class="total_quantity">3</span>'
            '<span class="total_price">102.80</span>'
            '<span class="cart_recovery_url">https://shop.example/cart/recover/c-5521</span>'
            '<div class="product_basket_item"><span class="quantity">2</span>'
            f'<span class="price">99.80</span>{RED_SHOE}</div>'
            # A line without quantity and price is kept without them
            # (docs/connectif.md#drop-basket-line-keys).
            '<div class="product_basket_item">'
            '<span class="url">https://shop.example/p/sock</span><span class="product_id">SKU-1</span>'
            '<span class="name">Sock</span><span class="unit_price">3</span></div>'
            # A line whose product is invalid (no url) is dropped whole.
            '<div class="product_basket_item"><span class="quantity">1</span>'
            '<span class="price">5</span><span class="product_id">SKU-2</span>'
            '<span class="name">Cap</span><span class="unit_price">5</span></div>'
            "</div>"
        )
    )
    [request] = shop.wait_for_requests(1)
    assert request.cart == {
        "cartId": "c-5521",
        "totalQuantity": 3,
        "totalPrice": 102.8,
        # docs/connectif.md#key-not-read: cart_recovery_url is not read by client 1.3.0, so there is
        # no cartRecoveryUrl.
        "products": [
            {
                "productDetailUrl": "https://shop.example/p/red-shoe",
                "productId": "SKU-77",
                "name": "Red shoe",
                "unitPrice": 49.9,
                "categories": [],
                "tags": [],
                "relatedExternalProductIds": [],
                "quantity": 2,
                "price": 99.8,
            },
            {
                "productDetailUrl": "https://shop.example/p/sock",
                "productId": "SKU-1",
                "name": "Sock",
                "unitPrice": 3,
                "categories": [],
                "tags": [],
                "relatedExternalProductIds": [],
            },
        ],
    }


INVALID_CARTS = {
    "no cart_id": '<span class="total_quantity">1</span><span class="total_price">5</span>',
    "empty cart_id": '<span class="cart_id"></span><span class="total_quantity">1</span>'
    '<span class="total_price">5</span>',
    "unparseable total_price": '<span class="cart_id">c-1</span>'
    '<span class="total_quantity">1</span><span class="total_price">€5</span>',
    "negative total_quantity": '<span class="cart_id">c-1</span>'
    '<span class="total_quantity">-1</span><span class="total_price">5</span>',
    "no total_price": '<span class="cart_id">c-1</span><span class="total_quantity">1</span>',
}


def test_cart_is_dropped_unless_id_and_totals(connectif: ConnectifHarness) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_cart" style="display:none"><span class="cart_id">c-1</span>'
            '<span class="total_quantity">1</span><span class="total_price">5</span></div>'
        )
    )
    [valid] = shop.wait_for_requests(1)
    assert valid.cart == {"cartId": "c-1", "totalQuantity": 1, "totalPrice": 5, "products": []}

    # Each sendEvents call re-reads cn_cart (docs/connectif.md#lookup-reread); an event forces a
    # request each time.
    for count, children in enumerate(INVALID_CARTS.values(), start=2):
        shop.evaluate(
            "(children) => { document.querySelector('.cn_cart').innerHTML = children; }", children
        )
        shop.send_events([{"type": "page-visit"}])
        shop.wait_for_requests(count)
    dropped = dict(zip(INVALID_CARTS, shop.requests[1:], strict=True))
    assert {case: request.cart for case, request in dropped.items()} == dict.fromkeys(INVALID_CARTS)


def test_purchase_object_without_the_properties_client_1_3_0_does_not_read(
    connectif: ConnectifHarness,
) -> None:
    events = first_request_events(
        connectif,
        '<div class="cn_purchase" style="display:none">'
        '<span class="purchase_id">o-981</span><span class="cart_id">c-5521</span>'
        '<span class="total_quantity">2</span><span class="total_price">99.80</span>'
        '<span class="payment_method">card</span>'
        '<span class="purchase_date">2024-05-01T10:20:00Z</span>'
        '<span class="source_name">Web shop</span><span class="source_type">digital-store</span>'
        '<div class="product_basket_item"><span class="quantity">2</span>'
        f'<span class="price">99.80</span>{RED_SHOE}'
        '<span class="published_at">2024-01-01T00:00:00Z</span></div>'
        "</div>"
        '<div class="cn_purchase" style="display:none">'
        '<span class="total_quantity">1</span><span class="total_price">5</span></div>',
    )
    assert events == [
        {
            "type": "purchase",
            "purchase": {
                "purchaseId": "o-981",
                "cartId": "c-5521",
                "totalQuantity": 2,
                "totalPrice": 99.8,
                "paymentMethod": "card",
                "purchaseDate": "2024-05-01T10:20:00Z",
                "products": [
                    {
                        "productDetailUrl": "https://shop.example/p/red-shoe",
                        "productId": "SKU-77",
                        "name": "Red shoe",
                        "unitPrice": 49.9,
                        "categories": [],
                        "tags": [],
                        "relatedExternalProductIds": [],
                        "quantity": 2,
                        "price": 99.8,
                    }
                ],
            },
        },
        # The second purchase has no purchase_id and is dropped.
        {"type": "page-visit"},
    ]


# --- page information and banners (docs/connectif.md#page-info) -----------------------------------
# docs/connectif.md#tag-recognised-only, docs/connectif.md#request-body


def test_page_info_limits(connectif: ConnectifHarness) -> None:
    categories = "".join(
        f'<span class="cn_page_category" style="display:none">/C{n}</span>' for n in range(1, 12)
    )
    tags = "".join(
        f'<span class="cn_page_tag" style="display:none">tag-{n}</span>' for n in range(3, 12)
    )
    shop = connectif.open(
        page(
            '<span class="cn_page_category" style="display:none"></span>'
            f"{categories}"
            '<span class="cn_page_tag" style="display:none">  summer-sale  </span>'
            '<span class="cn_page_tag" style="display:none">a-very-long-page-tag-over-25-units</span>'
            f"{tags}",
            head='<meta name="keywords" content="shoes, running,sale">',
            title="x" * 46 + "😀😀😀",
        )
    )
    [request] = shop.wait_for_requests(1)
    assert request.page_info == {
        "categories": [f"/C{n}" for n in range(1, 11)],
        # 50 UTF-16 code units: each emoji counts two.
        "title": "x" * 46 + "😀😀",
        "keywords": ["shoes", " running", "sale"],
        "tags": ["summer-sale", "a-very-long-page-tag-over"] + [f"tag-{n}" for n in range(3, 11)],
    }


def test_banner_placeholders_are_the_non_empty_ids(connectif: ConnectifHarness) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_banner_placeholder" id="home-top"></div>'
            '<div class="cn_banner_placeholder"></div>'
            '<div class="cn_banner_placeholder" id="footer"></div>'
        )
    )
    [request] = shop.wait_for_requests(1)
    assert request.body["bannerPlaceholders"] == ["home-top", "footer"]


# --- sendEvents (docs/connectif.md#event-send-events, docs/connectif.md#dedup) --------------------

CART_ONE_LINE = (
    '<div class="cn_cart" style="display:none"><span class="cart_id">c-1</span>'
    '<span class="total_quantity">1</span><span class="total_price">49.90</span>'
    f'<div class="product_basket_item"><span class="quantity">1</span><span class="price">49.90</span>'
    f"{RED_SHOE}</div></div>"
)


def test_late_event_tags_are_ignored_but_cart_and_contact_are_reread(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(page(CART_ONE_LINE))
    [first] = shop.wait_for_requests(1)
    assert first.cart is not None
    assert first.cart["totalQuantity"] == 1

    # The AJAX-cart recipe of docs/connectif.md#lookup-reread: replace cn_cart, then sendEvents([]).
    shop.evaluate(
        """() => {
          document.querySelector('.cn_cart').outerHTML =
            '<div class="cn_cart" style="display:none"><span class="cart_id">c-1</span>' +
            '<span class="total_quantity">0</span><span class="total_price">0</span></div>';
          document.body.insertAdjacentHTML('beforeend',
            '<div class="cn_client_info" style="display:none">' +
            '<span class="primary_key">ana@shop.example</span></div>' +
            '<div class="cn_product_visited" style="display:none">' +
            '<span class="url">https://shop.example/p/late</span><span class="product_id">LATE</span>' +
            '<span class="name">Late</span><span class="unit_price">1</span></div>');
        }"""
    )
    shop.send_events([])
    _, second = shop.wait_for_requests(2)
    assert second.events == []
    assert second.cart == {"cartId": "c-1", "totalQuantity": 0, "totalPrice": 0, "products": []}
    assert second.entity_info == {"primaryKey": "ana@shop.example", "trackerId": shop.tracker_id}
    # An explicit getAllEventsAsync() does read the late tag (docs/connectif.md#lookup-start-up).
    late = shop.evaluate("() => connectif.managed.getAllEventsAsync()")
    assert [event["type"] for event in late] == ["product-visited", "page-visit"]


def test_unchanged_cart_is_not_resent_and_an_identical_call_is_skipped(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(page(CART_ONE_LINE))
    shop.wait_for_requests(1)

    # The contact now carries the stored tracker id, so it changed and a request goes out,
    # without the unchanged cart.
    shop.send_events([])
    _, second = shop.wait_for_requests(2)
    assert second.cart is None
    assert second.entity_info == {"trackerId": shop.tracker_id}

    # Same contact, same cart, no events: nothing to say (docs/connectif.md#dedup-request-skip).
    shop.send_events([])
    shop.assert_no_more_requests(wait=0.2)

    # Any event forces a request; the unchanged cart still stays out.
    shop.send_events([{"type": "page-visit"}])
    *_, third = shop.wait_for_requests(3)
    assert third.events == [{"type": "page-visit"}]
    assert third.cart is None


def test_cart_unchanged_on_the_next_page_view_is_left_out(connectif: ConnectifHarness) -> None:
    shop = connectif.open(page(CART_ONE_LINE))
    [first] = shop.wait_for_requests(1)
    assert first.cart is not None

    shop.goto(page(CART_ONE_LINE), url="https://shop.example/next")
    _, second = shop.wait_for_requests(2)
    assert second.events == [{"type": "page-visit"}]
    assert second.cart is None


def test_options_replace_the_dom_and_the_given_contact_gets_the_tracker(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(
        page(
            '<div class="cn_client_info" style="display:none">'
            '<span class="primary_key">ana@shop.example</span></div>'
            '<div class="cn_cart" style="display:none"><span class="cart_id">dom-cart</span>'
            '<span class="total_quantity">0</span><span class="total_price">0</span></div>'
        )
    )
    shop.wait_for_requests(1)

    given = shop.evaluate(
        """async () => {
          const entityInfo = {primaryKey: 'bob@shop.example'};
          const cart = {cartId: 'js-cart', totalQuantity: 1, totalPrice: 5, products: []};
          const result = await connectif.managed.sendEvents([{type: 'login'}], {entityInfo, cart});
          return {result: result === undefined, entityInfo};
        }"""
    )
    _, second = shop.wait_for_requests(2)
    assert second.entity_info == {"primaryKey": "bob@shop.example", "trackerId": shop.tracker_id}
    assert second.cart == {"cartId": "js-cart", "totalQuantity": 1, "totalPrice": 5, "products": []}
    assert second.events == [{"type": "login"}]
    # docs/connectif.md#event-client-substitutions: the client writes the tracker into the object it
    # was given.
    assert given == {
        "result": True,
        "entityInfo": {"primaryKey": "bob@shop.example", "trackerId": shop.tracker_id},
    }


def test_non_array_events_are_treated_as_empty(connectif: ConnectifHarness) -> None:
    shop = connectif.open(page(""), auto_send=False)
    shop.wait_for_initialized()
    shop.send_events({"type": "login"})
    [request] = shop.wait_for_requests(1)
    assert request.events == []


def test_tracker_from_the_url_parameter_is_stored_and_removed(
    connectif: ConnectifHarness,
) -> None:
    tracker = "0123456789abcdef01234567"
    shop = connectif.open(page(""), url=f"https://shop.example/?utm=x&__cn_tracker={tracker}99")
    [request] = shop.wait_for_requests(1)
    assert request.entity_info == {"trackerId": tracker}
    assert shop.url == "https://shop.example/?utm=x"
    assert shop.evaluate("() => JSON.parse(localStorage.getItem('cn_tracker'))") == {"id": tracker}


def test_before_send_data_hook_sees_the_data_and_can_change_it(
    connectif: ConnectifHarness,
) -> None:
    shop = connectif.open(page(""), auto_send=False)
    shop.wait_for_initialized()
    seen = shop.evaluate(
        """async () => {
          let seen = null;
          connectif.addHookHandler('before-send-data', (data, done) => {
            seen = data.events.map((event) => event.type);
            data.events.push({type: 'search', searchText: 'added by hook'});
            done(null, data);
          });
          await connectif.managed.sendEvents([{type: 'login'}]);
          return seen;
        }"""
    )
    [request] = shop.wait_for_requests(1)
    assert seen == ["login"]
    assert request.events == [{"type": "login"}, {"type": "search", "searchText": "added by hook"}]


# --- initialisation (docs/connectif.md#wait-readiness) --------------------------------------------
# docs/connectif.md#wait-not-initialized-throws

CALL_WHILE_LOADING = f"""<script src="{CLIENT_SCRIPT_URL}"></script>
<script>
  window.beforeInit = {{
    isInitialized: typeof connectif.managed.isInitialized === "function"
      ? connectif.managed.isInitialized() : "absent",
  }};
  try {{
    connectif.managed.sendEvents([{{type: "login"}}]);
    window.beforeInit.call = "sent";
  }} catch (error) {{
    window.beforeInit.call = error.message;
  }}
</script>"""


def test_1_3_0_throws_when_called_before_initialisation(connectif: ConnectifHarness) -> None:
    # Synchronous client script in <head>: connectif.managed exists, initialisation waits for
    # DOMContentLoaded, so the call lands in the window of
    # docs/connectif.md#wait-not-initialized-throws.
    shop = connectif.open(
        "<!doctype html><html><head><title>t</title>"
        + CALL_WHILE_LOADING
        + "</head><body></body></html>",
        auto_send=False,
    )
    shop.wait_for_initialized()
    assert shop.evaluate("() => window.beforeInit") == {
        "isInitialized": "absent",
        "call": NOT_INITIALIZED,
    }
    shop.assert_no_more_requests(wait=0.2)

    shop.send_events([{"type": "login"}])
    [request] = shop.wait_for_requests(1)
    assert request.events == [{"type": "login"}]


@pytest.mark.double_profile
def test_newer_profile_exposes_is_initialized(connectif: ConnectifHarness) -> None:
    shop = connectif.open(
        "<!doctype html><html><head><title>t</title>"
        + CALL_WHILE_LOADING
        + "</head><body></body></html>",
        auto_send=False,
        profile="newer",
    )
    shop.wait_for_initialized()
    assert shop.evaluate("() => window.beforeInit") == {
        "isInitialized": False,
        "call": NOT_INITIALIZED,
    }
    assert shop.evaluate("() => connectif.managed.isInitialized()") is True
    assert shop.evaluate("() => connectif.version") != "1.3.0"
    shop.assert_no_more_requests(wait=0.2)


# The readiness logic integrations use, written by hand from docs/connectif.md#wait-readiness.
SEND_WHEN_READY = """<script>
function sendWhenReady(events) {
  var sent = false;
  function send() {
    if (sent) return;
    sent = true;
    window.connectif.managed.sendEvents(events);
  }
  var managed = window.connectif && window.connectif.managed;
  if (managed && typeof managed.isInitialized === "function") {
    if (managed.isInitialized()) { send(); return; }
  } else if (managed) {
    try { send(); return; } catch (error) { sent = false; }
  }
  document.addEventListener("connectif.managed.initialized", send, {once: true});
}
</script>"""
CUSTOM = '[{type: "custom", eventId: "65f1c0ffee0000000000abcd", payload: {plan: "gold"}}]'


@pytest.mark.parametrize("profile", profiles())
@pytest.mark.parametrize("moment", ["before-the-loader", "while-loading", "after-initialisation"])
def test_ready_check_sends_exactly_once(
    connectif: ConnectifHarness, profile: str, moment: str
) -> None:
    if moment == "before-the-loader":
        html = (
            "<!doctype html><html><head><title>t</title>" + SEND_WHEN_READY + "</head><body>"
            f"<script>sendWhenReady({CUSTOM});</script>" + LOADER + "</body></html>"
        )
    elif moment == "while-loading":
        html = (
            "<!doctype html><html><head><title>t</title>"
            + SEND_WHEN_READY
            + f'<script src="{CLIENT_SCRIPT_URL}"></script>'
            + f"<script>sendWhenReady({CUSTOM});</script></head><body></body></html>"
        )
    else:
        html = page("", head=SEND_WHEN_READY)
    shop = connectif.open(html, auto_send=False, profile=profile)
    if moment == "after-initialisation":
        shop.wait_for_initialized()
        shop.evaluate(f"() => sendWhenReady({CUSTOM})")

    [request] = shop.wait_for_requests(1)
    assert request.events == [
        {"type": "custom", "eventId": "65f1c0ffee0000000000abcd", "payload": {"plan": "gold"}}
    ]
    shop.assert_no_more_requests(wait=0.2)
    shop.assert_no_errors()


# --- request skips (docs/connectif.md#request-skip-conditions) ------------------------------------


# Awaits a sendEvents call with onResponded, then gives onResponded up to 2 s to be called: it may
# come on a later task than the one the Promise resolves in (docs/connectif.md#event-options).
AWAIT_SEND_EVENTS = """async () => {
  let responded = false;
  const result = await connectif.managed.sendEvents(
    [{type: 'page-visit'}], {onResponded: () => { responded = true; }});
  const respondedAtAwait = responded;
  for (let i = 0; i < 100 && !responded; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {resolvedToUndefined: result === undefined, respondedAtAwait, responded};
}"""


@pytest.mark.parametrize(
    ("config", "sent"),
    [
        pytest.param({"webTrackingEnabled": False}, False, id="web-tracking-off"),
        pytest.param({"allowedDomains": ["https://shop.example/"]}, True, id="allowed-domain"),
        pytest.param({"allowedDomains": ["https://www.shop.example/"]}, False, id="other-domain"),
        pytest.param({"allowedDomains": ["shop.example"]}, False, id="domain-without-scheme"),
        pytest.param({"excludeTracking": ["/checkout"]}, False, id="excluded-page"),
        pytest.param(
            {"trackAllByDefault": False, "includeTracking": ["/blog/"]}, False, id="not-included"
        ),
        pytest.param(
            {"trackAllByDefault": False, "includeTracking": ["/checkout$"]}, True, id="included"
        ),
        pytest.param({"samplingTrackingPercent": 0}, False, id="sampled-out"),
    ],
)
def test_store_rules_skip_the_request(
    connectif: ConnectifHarness, config: dict[str, object], sent: bool
) -> None:
    shop = connectif.open(
        page(""), auto_send=False, url="https://shop.example/checkout", config=config
    )
    shop.wait_for_initialized()
    outcome = shop.evaluate(AWAIT_SEND_EVENTS)
    # onResponded is called whether the request was sent or skipped
    # (docs/connectif.md#event-options), but not necessarily by the time the Promise resolves.
    assert outcome["resolvedToUndefined"] is True
    assert outcome["responded"] is True
    if not sent:
        # A skipped call returns a resolved Promise and calls onResponded on a later task
        # (setTimeout 0), so the code right after the await runs first.
        assert outcome["respondedAtAwait"] is False
    if sent:
        shop.wait_for_requests(1)
    shop.assert_no_more_requests(wait=0.2)

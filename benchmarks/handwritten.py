"""The baselines: what a speed-conscious developer writes by hand for the same pages.

Tags mode: one autoescaped Jinja2 template per page type, written for that page's data (no
``{% if %}`` for properties the shop always has), subscript access (``c["name"]``: Jinja's
``getitem`` tries the subscript first, ``c.name`` tries ``getattr`` first), values printed as
given. No validation. ``run.py`` asserts that each template emits tagkit's exact bytes.

Events mode: the ``sendEvents`` arguments built from the same input dicts with dict and list
literals (numbers as JSON numbers through ``float``/``int``: ``json`` cannot write ``Decimal``
without a slow ``default=`` hook), one ``json.dumps`` and chained ``str.replace`` for the
script-breaking characters (about 15x faster than ``str.translate`` with a multi-character
table), in a bare ``<script>``. The page categories and tags follow as hidden tags, as in
tagkit's output, because Connectif's client reads page information only from the page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from markupsafe import escape

# -- tags mode: Jinja2 templates -------------------------------------------------------------

_CONTACT = (
    '<div class="cn_client_info" style="display:none">'
    '<span class="primary_key">{{ c["primary_key"] }}</span>'
    '<span class="_name">{{ c["_name"] }}</span>'
    '<span class="_surname">{{ c["_surname"] }}</span>'
)

# One line of a cart or purchase, ``l`` (every line of these pages has the same properties).
_LINE = (
    '<div class="product_basket_item">'
    '<span class="quantity">{{ l["quantity"] }}</span>'
    '<span class="price">{{ l["price"] }}</span>'
    '<span class="url">{{ l["url"] }}</span>'
    '<span class="product_id">{{ l["product_id"] }}</span>'
    '<span class="name">{{ l["name"] }}</span>'
    '<span class="unit_price">{{ l["unit_price"] }}</span>'
    '<span class="image_url">{{ l["image_url"] }}</span>'
    '<span class="availability">{{ l["availability"] }}</span>'
    '{% for x in l["category"] %}<span class="category">{{ x }}</span>{% endfor %}'
    '<span class="brand">{{ l["brand"] }}</span>'
    "</div>"
)

_CART = (
    '<div class="cn_cart" style="display:none">'
    '<span class="cart_id">{{ cart["cart_id"] }}</span>'
    '<span class="total_quantity">{{ cart["total_quantity"] }}</span>'
    '<span class="total_price">{{ cart["total_price"] }}</span>'
    '{% for l in cart["products"] %}' + _LINE + "{% endfor %}</div>"
)

_PAGE_INFO = (
    "{% for x in categories %}\n"
    '<span class="cn_page_category" style="display:none">{{ x }}</span>{% endfor %}'
    "{% for x in tags %}\n"
    '<span class="cn_page_tag" style="display:none">{{ x }}</span>{% endfor %}'
)

PRODUCT_PAGE = (
    _CONTACT + "</div>\n" + _CART + "\n"
    '<div class="cn_product_visited" style="display:none">'
    '<span class="url">{{ p["url"] }}</span>'
    '<span class="product_id">{{ p["product_id"] }}</span>'
    '<span class="name">{{ p["name"] }}</span>'
    '<span class="unit_price">{{ p["unit_price"] }}</span>'
    '<span class="image_url">{{ p["image_url"] }}</span>'
    '<span class="thumbnail_url">{{ p["thumbnail_url"] }}</span>'
    '<span class="description">{{ p["description"] }}</span>'
    '<span class="availability">{{ p["availability"] }}</span>'
    '{% for x in p["category"] %}<span class="category">{{ x }}</span>{% endfor %}'
    '{% for x in p["tag"] %}<span class="tag">{{ x }}</span>{% endfor %}'
    '<span class="brand">{{ p["brand"] }}</span>'
    '{% for x in p["related_external_product_id"] %}'
    '<span class="related_external_product_id">{{ x }}</span>{% endfor %}'
    '<span class="priority">{{ p["priority"] }}</span>'
    '<span class="rating_value">{{ p["rating_value"] }}</span>'
    '<span class="review_count">{{ p["review_count"] }}</span>'
    '<span class="rating_count">{{ p["rating_count"] }}</span>'
    '<span class="unit_price_original">{{ p["unit_price_original"] }}</span>'
    '<span class="unit_price_without_vat">{{ p["unit_price_without_vat"] }}</span>'
    '<span class="discounted_amount">{{ p["discounted_amount"] }}</span>'
    '<span class="discounted_percentage">{{ p["discounted_percentage"] }}</span>'
    '<span class="custom_field_1">{{ p["custom_field_1"] }}</span>'
    "</div>" + _PAGE_INFO
)

# The shop's three custom contact fields.
_CUSTOM_FIELDS = (
    '<span class="loyalty_tier">{{ c["loyalty_tier"] }}</span>'
    '<span class="preferred_store">{{ c["preferred_store"] }}</span>'
    '<span class="shoe_size">{{ c["shoe_size"] }}</span>'
)

CATEGORY_PAGE = _CONTACT + _CUSTOM_FIELDS + "</div>\n" + _CART + _PAGE_INFO

THANK_YOU_PAGE = (
    _CONTACT + "</div>\n"
    '<div class="cn_purchase" style="display:none">'
    '<span class="purchase_id">{{ o["purchase_id"] }}</span>'
    '<span class="cart_id">{{ o["cart_id"] }}</span>'
    '<span class="total_quantity">{{ o["total_quantity"] }}</span>'
    '<span class="total_price">{{ o["total_price"] }}</span>'
    '<span class="payment_method">{{ o["payment_method"] }}</span>'
    '<span class="purchase_date">{{ o["purchase_date"] }}</span>'
    '{% for l in o["products"] %}' + _LINE + "{% endfor %}</div>"
)

_ENV = Environment(autoescape=True)


def tags_renderer(page: str, doc: dict[str, Any]) -> Callable[[], str]:
    """A no-argument function rendering ``doc`` with the hand-written template ``page``."""
    template = _ENV.from_string({"a": PRODUCT_PAGE, "b": CATEGORY_PAGE, "c": THANK_YOU_PAGE}[page])
    render = template.render
    if page == "a":
        return lambda: render(
            c=doc["contact"],
            cart=doc["cart"],
            p=doc["product_visited"][0],
            categories=doc["page_categories"],
            tags=doc["page_tags"],
        )
    if page == "b":
        return lambda: render(
            c=doc["contact"],
            cart=doc["cart"],
            categories=doc["page_categories"],
            tags=doc["page_tags"],
        )
    return lambda: render(c=doc["contact"], o=doc["purchases"][0])


# -- events mode: json.dumps into a bare script ----------------------------------------------


def _js_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The client's product object (tagkit.Page.to_js()): its arrays are always present.
    return [
        {
            "quantity": int(l["quantity"]),
            "price": float(l["price"]),
            "productDetailUrl": l["url"],
            "productId": l["product_id"],
            "name": l["name"],
            "unitPrice": float(l["unit_price"]),
            "imageUrl": l["image_url"],
            "availability": l["availability"],
            "categories": l["category"],
            "tags": [],
            "brand": l["brand"],
            "relatedExternalProductIds": [],
        }
        for l in lines  # noqa: E741
    ]


def _script(events: list[object], options: dict[str, object]) -> str:
    # One dumps for both arguments: "[events,options]" without its brackets.
    args = json.dumps([events, options], ensure_ascii=False, separators=(",", ":"))[1:-1]
    args = (
        args.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return f"<script>connectif.managed.sendEvents({args})</script>"


def _page_info(categories: list[str], tags: list[str]) -> str:
    category = '<span class="cn_page_category" style="display:none">'
    tag = '<span class="cn_page_tag" style="display:none">'
    return "\n".join(
        [f"{category}{escape(x)}</span>" for x in categories]
        + [f"{tag}{escape(x)}</span>" for x in tags]
    )


def events_category_page(doc: dict[str, Any]) -> str:
    c, cart = doc["contact"], doc["cart"]
    options = {
        "entityInfo": {
            "primaryKey": c["primary_key"],
            "_name": c["_name"],
            "_surname": c["_surname"],
            "loyalty_tier": c["loyalty_tier"],
            "preferred_store": c["preferred_store"],
            "shoe_size": c["shoe_size"],
        },
        "cart": {
            "cartId": cart["cart_id"],
            "totalQuantity": int(cart["total_quantity"]),
            "totalPrice": float(cart["total_price"]),
            "products": _js_lines(cart["products"]),
        },
    }
    script = _script([{"type": "page-visit"}], options)
    return script + "\n" + _page_info(doc["page_categories"], doc["page_tags"])


def events_thank_you_page(doc: dict[str, Any]) -> str:
    c, o = doc["contact"], doc["purchases"][0]
    purchase = {
        "purchaseId": o["purchase_id"],
        "cartId": o["cart_id"],
        "totalQuantity": int(o["total_quantity"]),
        "totalPrice": float(o["total_price"]),
        "paymentMethod": o["payment_method"],
        "purchaseDate": o["purchase_date"],
        "products": _js_lines(o["products"]),
    }
    options = {
        "entityInfo": {
            "primaryKey": c["primary_key"],
            "_name": c["_name"],
            "_surname": c["_surname"],
        },
    }
    return _script([{"type": "purchase", "purchase": purchase}, {"type": "page-visit"}], options)


def events_renderer(page: str, doc: dict[str, Any]) -> Callable[[], str]:
    build = {"b": events_category_page, "c": events_thank_you_page}[page]
    return lambda: build(doc)

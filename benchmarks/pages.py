"""The page documents the benchmarks render: plain dicts, as a shop's code would build them.

Every number is canonical text ("129.95", "2"): tagkit accepts it and the hand-written
templates print it as is, which is their fastest form (an int or a Decimal costs them a str()
call inside markupsafe's escape). Some values hold ``&``, quotes or an apostrophe so that
escaping runs on both sides.
"""

from __future__ import annotations

from typing import Any

CATALOGUE = [
    # (product id, name, unit price, category, brand)
    ("TR-GTX-42", 'Trail Runner GTX "Storm"', "129.95", "/Shoes/Running/Trail", "Salomon"),
    ("RS-SOCK-3P", "Running socks (3 pack)", "14.99", "/Accessories/Socks", "Nike"),
    ("CAP-SUN-01", "Sun cap & visor", "19.50", "/Accessories/Caps", "Buff"),
    ("JK-WIND-M", "Men's wind jacket", "89.00", "/Clothing/Jackets", "Patagonia"),
    ("BT-HYD-500", "Hydration bottle 500 ml", "12.00", "/Accessories/Hydration", "CamelBak"),
    ("TS-TECH-W", "Women's tech tee", "34.90", "/Clothing/T-shirts", "Asics"),
    ("SH-ROAD-41", "Road shoe <Pegasus 41>", "119.99", "/Shoes/Running/Road", "Nike"),
    ("LG-TIGHT-W", "Winter tights", "59.95", "/Clothing/Tights", "Craft"),
]


def line(i: int, quantity: int = 1) -> dict[str, Any]:
    """Cart or purchase line ``i``: every line has the same properties, as rows from one query."""
    sku, name, price, category, brand = CATALOGUE[i % len(CATALOGUE)]
    sku = f"{sku}-{i}"
    return {
        "quantity": str(quantity),
        "price": f"{float(price) * quantity:.2f}",
        "url": f"https://www.shop.example/p/{sku.lower()}?utm_source=cart&ref=basket",
        "product_id": sku,
        "name": name,
        "unit_price": price,
        "image_url": f"https://cdn.shop.example/img/{sku.lower()}.jpg",
        "availability": "InStock",
        "category": [category],
        "brand": brand,
    }


def lines(n: int) -> list[dict[str, Any]]:
    return [line(i, quantity=1 + i % 3) for i in range(n)]


def _totals(items: list[dict[str, Any]]) -> tuple[str, str]:
    quantity = sum(int(item["quantity"]) for item in items)
    price = sum(float(item["price"]) for item in items)
    return str(quantity), f"{price:.2f}"


def cart(n: int) -> dict[str, Any]:
    items = lines(n)
    quantity, price = _totals(items)
    return {
        "cart_id": "c-9f3a21",
        "total_quantity": quantity,
        "total_price": price,
        "products": items,
    }


def product_page() -> dict[str, Any]:
    """(a) A product detail page: the product with most optional properties, a contact, a
    2-line cart, 2 page categories and 2 page tags."""
    product = {
        "url": "https://www.shop.example/p/tr-gtx-42?colour=red&size=42",
        "product_id": "TR-GTX-42",
        "name": 'Trail Runner GTX "Storm" - Men\'s',
        "unit_price": "129.95",
        "image_url": "https://cdn.shop.example/img/tr-gtx-42.jpg",
        "thumbnail_url": "https://cdn.shop.example/img/tr-gtx-42-thumb.jpg",
        "description": "Waterproof trail shoe with a Gore-Tex membrane & Vibram sole",
        "availability": "InStock",
        "category": ["/Shoes/Running/Trail", "/Sale"],
        "tag": ["waterproof", "gore-tex", "trail"],
        "brand": "Salomon",
        "related_external_product_id": ["TR-GTX-41", "TR-GTX-43"],
        "priority": "3",
        "rating_value": "4.6",
        "review_count": "218",
        "rating_count": "241",
        "unit_price_original": "159.95",
        "unit_price_without_vat": "107.40",
        "discounted_amount": "30.00",
        "discounted_percentage": "18.76",
        "custom_field_1": "SS26",
    }
    return {
        "contact": {
            "primary_key": "marta.oneill@mail.example",
            "_name": "Marta",
            "_surname": "O'Neill",
        },
        "cart": cart(2),
        "product_visited": [product],
        "page_categories": ["/Shoes/Running/Trail", "/Sale"],
        "page_tags": ["trail-running", "men & women"],
    }


def category_page() -> dict[str, Any]:
    """(b) A category listing: a contact with 3 custom fields, an 8-line cart, 10 page
    categories and 5 page tags."""
    return {
        "contact": {
            "primary_key": "ana.garcia@mail.example",
            "_name": "Ana",
            "_surname": "García",
            "loyalty_tier": "gold",
            "preferred_store": "Madrid - Gran Vía & Callao",
            "shoe_size": "38",
        },
        "cart": cart(8),
        "page_categories": [
            "/Shoes",
            "/Shoes/Running",
            "/Shoes/Running/Trail",
            "/Shoes/Running/Road",
            "/Shoes/Hiking",
            "/Clothing",
            "/Clothing/Jackets",
            "/Accessories",
            "/Accessories/Socks",
            "/Sale",
        ],
        "page_tags": ["autumn-sale", "free shipping", "running", "men & women", "new-in"],
    }


def thank_you_page() -> dict[str, Any]:
    """(c) An order confirmation: a contact and a 15-line purchase."""
    items = lines(15)
    quantity, price = _totals(items)
    purchase = {
        "purchase_id": "ORD-2026-004217",
        "cart_id": "c-9f3a21",
        "total_quantity": quantity,
        "total_price": price,
        "payment_method": "card (Visa & 3-D Secure)",
        "purchase_date": "2026-11-30T09:15:00Z",
        "products": items,
    }
    return {
        "contact": {
            "primary_key": "marta.oneill@mail.example",
            "_name": "Marta",
            "_surname": "O'Neill",
        },
        "purchases": [purchase],
    }


def cart_page(n: int) -> dict[str, Any]:
    """A page holding only an ``n``-line cart (the scaling case)."""
    return {"cart": cart(n)}


def storefront_html(products: int = 40) -> str:
    """A search results page of a storefront, about 60 KB: a header with navigation, a grid of
    product cards, a footer, inline styles and scripts, and Connectif's tags (a contact, a
    3-line cart, the search, one cn_product_searched per product, page categories and tags) as a
    shop's template would place them, inside other markup."""
    import tagkit

    grid = []
    tags = []
    for i in range(products):
        sku, name, price, category, brand = CATALOGUE[i % len(CATALOGUE)]
        sku = f"{sku}-{i}"
        product = {
            "url": f"https://www.shop.example/p/{sku.lower()}",
            "product_id": sku,
            "name": name,
            "unit_price": price,
            "image_url": f"https://cdn.shop.example/img/{sku.lower()}.jpg",
            "availability": "InStock",
            "category": [category],
            "brand": brand,
        }
        tags.append(tagkit.render_tag("product-searched", product))
        grid.append(
            f'<li class="card" data-sku="{sku}"><a href="/p/{sku.lower()}">'
            f'<img src="https://cdn.shop.example/img/{sku.lower()}.jpg" alt="" loading="lazy" '
            f'width="320" height="320"><h3 class="card-title">{tagkit._frames.escape(name)}</h3>'
            f'<p class="price"><span class="amount">{price}</span> <abbr>EUR</abbr></p>'
            f'<p class="brand">{brand}</p></a><button class="add" type="button" '
            f'data-action="add-to-cart" data-sku="{sku}">Add to cart</button>'
            f'<div class="connectif">{tags[-1]}</div></li>'
        )
    page = tagkit.render_page(
        {
            "contact": {"primary_key": "ana.garcia@mail.example", "_name": "Ana"},
            "cart": cart(3),
            "search": "trail shoe",
            "page_categories": ["/Shoes", "/Shoes/Running"],
            "page_tags": ["search", "autumn-sale"],
        }
    )
    nav = "".join(
        f'<li><a href="/c/{c}/{i}">{c.title()} {i}</a></li>'
        for c in ("shoes", "clothing", "accessories", "sale")
        for i in range(40)
    )
    style = (
        "<style>" + " ".join(f".c{i}{{margin:{i}px;padding:0}}" for i in range(300)) + "</style>"
    )
    script = "<script>window.dataLayer=window.dataLayer||[];" + "x();" * 400 + "</script>"
    footer = "".join(f"<p>Store {i}: Calle Mayor {i}, Madrid &amp; more</p>" for i in range(60))
    return (
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Search: trail '
        f"shoe | Shop</title>{style}</head><body><header><nav><ul>{nav}</ul></nav></header>"
        f'<main><h1>Results for "trail shoe"</h1><section class="account">{page}</section>'
        f'<ul class="grid">{"".join(grid)}</ul></main><footer>{footer}</footer>{script}'
        "</body></html>"
    )

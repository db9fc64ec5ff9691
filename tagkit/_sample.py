"""A complete, realistic page document: the demo's data and the tests' reference page."""

from __future__ import annotations

from typing import Any


def product(sku: str, name: str, price: str, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://shop.example/p/{sku.lower()}",
        "product_id": sku,
        "name": name,
        "unit_price": price,
        **extra,
    }


def sample_page() -> dict[str, Any]:
    """Every tag at once, as a data file would hold it."""
    shoe = product(
        "SKU-77",
        "Red running shoe",
        "49.90",
        image_url="https://cdn.shop.example/img/sku-77.jpg",
        description="Light shoe for road running & trails",
        availability="InStock",
        category=["/Shoes/Running", "/Sale"],
        tag=["summer", "running"],
        brand="Acme",
        unit_price_original="59.90",
        discounted_amount="10.00",
        discounted_percentage="16.69",
        rating_value="4.5",
        review_count=12,
    )
    socks = product("SKU-12", "Running socks", "9.95", category=["/Accessories"])
    cap = product("SKU-31", "Sun cap", "14.50", availability="OutOfStock")
    return {
        "contact": {
            "primary_key": "ana@shop.example",
            "_name": "Ana",
            "_surname": "García",
            "_birthdate": "1990-05-17",
            "_newsletter_subscription_status": "subscribed",
            "loyalty_tier": "gold",
        },
        "cart": {
            "cart_id": "c-5521",
            "total_quantity": 4,
            "total_price": "124.25",
            "products": [
                {"quantity": 2, "price": "99.80", **shoe},
                {"quantity": 1, "price": "9.95", **socks},
                {"quantity": 1, "price": "14.50", **cap},
            ],
        },
        "purchases": [
            {
                "purchase_id": "ORD-1001",
                "cart_id": "c-5400",
                "total_quantity": 1,
                "total_price": "9.95",
                "payment_method": "card",
                "purchase_date": "2026-11-30T09:15:00Z",
                "products": [{"quantity": 1, "price": "9.95", **socks}],
            }
        ],
        "product_visited": [shoe],
        "product_searched": [shoe, socks],
        "search": "running shoe",
        "login": True,
        "register": False,
        "newsletter_subscribe": {"email": "ana@shop.example"},
        "page_categories": ["/Shoes/Running"],
        "page_tags": ["summer-sale", "running"],
    }

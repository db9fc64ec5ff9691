"""User code that mypy --strict must accept: the models' attributes have real types."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from tagkit import BasketItem, Cart, Contact, Page, Product, Purchase

cart = Cart.from_dict({"cart_id": "c-1", "total_quantity": 0, "total_price": 0})
total: Decimal = cart.total_price
count: int = cart.total_quantity
lines: tuple[BasketItem, ...] = cart.products
recovery: str | None = cart.cart_recovery_url

product = Product(url="https://shop.example/p/1", product_id="SKU-1", name="Shoe", unit_price=1)
categories: tuple[str, ...] = product.category
rating: Decimal | None = product.rating_value
published: datetime | None = product.published_at

purchase = Purchase.from_dict(
    {"purchase_id": "o-1", "total_quantity": 0, "total_price": 0, "purchase_date": "2026-01-01"}
)
when: datetime | None = purchase.purchase_date
first_name: str | None = Contact(primary_key="ana@shop.example")._name

page = Page.from_dict({"cart": cart, "login": True})
maybe_cart: Cart | None = page.cart
logged_in: bool = page.login
tags: tuple[str, ...] = page.page_tags

"""User code that mypy --strict must reject: a Decimal is not an int."""

from __future__ import annotations

from tagkit import Cart

cart = Cart.from_dict({"cart_id": "c-1", "total_quantity": 0, "total_price": 0})
total: int = cart.total_price

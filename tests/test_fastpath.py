"""The compiled fast path gives exactly what the full rules give, or steps aside."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tagkit._sample import sample_page
from tagkit import BasketItem, Cart, Contact, Product, Purchase, Record

from .conftest import HOSTILE

SAMPLE = sample_page()


def full_rules(cls: type[Record], data: dict[str, Any]) -> Record | None:
    problems: list[Any] = []
    values = cls._collect(data, cls.LABEL, problems)
    if problems:
        return None
    record = cls.__new__(cls)
    record._set(values)
    return record


CASES: list[tuple[type[Record], dict[str, Any]]] = [
    (Cart, SAMPLE["cart"]),
    (Purchase, SAMPLE["purchases"][0]),
    (Product, SAMPLE["product_visited"][0]),
    (BasketItem, SAMPLE["cart"]["products"][0]),
    (Contact, {"primary_key": "ana@shop.example", "_name": "Ana"}),
    (
        Product,
        {
            "url": "https://s.example/p",
            "product_id": "1",
            "name": "n",
            "unit_price": 0,
            "rating_value": "5",
            "discounted_percentage": 100,
        },
    ),
]
for text in HOSTILE:
    CASES.append(
        (
            Product,
            {
                "url": "https://s.example/p",
                "product_id": text,
                "name": text,
                "unit_price": "1.50",
                "tag": [text, ""],
                "brand": text,
            },
        )
    )


@pytest.mark.parametrize(("cls", "data"), CASES, ids=range(len(CASES)))
def test_fast_path_equals_full_rules(cls: type[Record], data: dict[str, Any]) -> None:
    fast = cls._fast_build(data)
    slow = full_rules(cls, data)
    assert slow is not None
    if fast is not None:
        assert fast == slow
        assert list(fast.values.items()) == list(slow.values.items())  # order and types too
        assert [type(v) for v in fast.values.values()] == [type(v) for v in slow.values.values()]


def test_common_input_takes_the_fast_path() -> None:
    for cls, data in CASES[:6]:
        assert cls._fast_build(data) is not None, cls


@pytest.mark.parametrize(
    "change",
    [
        {"unit_price": "1.234,50"},
        {"unit_price": -1},
        {"unit_price": True},
        {"unit_price": 1.5},
        {"rating_value": "6"},
        {"url": "/relative"},
        {"url": "HTTPS://shop.example/p"},
        {"url": "https:///nohost"},
        {"url": "https://shop.example/a b"},
        {"name": ""},
        {"name": "tab\there"},
        {"product_id": 77},
        {"availability": "maybe"},
        {"category": ["Shoes"]},
        {"category": [["Shoes", "Running"]]},
        {"unknown": 1},
        {"published_at": "2024-05-01T10:00:00"},
    ],
)
def test_unusual_input_steps_aside_to_the_full_rules(change: dict[str, Any]) -> None:
    data = {
        "url": "https://s.example/p",
        "product_id": "1",
        "name": "n",
        "unit_price": "1",
        **change,
    }
    assert Product._fast_build(data) is None


def test_totals_that_do_not_add_up_take_the_full_rules() -> None:
    cart = {**SAMPLE["cart"], "total_quantity": 99}
    assert Cart._fast_build(cart) is None


def test_decimal_scale_is_kept() -> None:
    product = Product._fast_build(
        {"url": "https://s.example/p", "product_id": "1", "name": "n", "unit_price": "49.90"}
    )
    assert product is not None
    assert str(product.unit_price) == "49.90"
    assert product.unit_price == Decimal("49.9")


@pytest.mark.parametrize("value", ["9007199254740992", 2**53, "1234567890123456.5"])
def test_huge_numbers_step_aside(value: object) -> None:
    data = {"url": "https://s.example/p", "product_id": "1", "name": "n", "unit_price": value}
    assert Product._fast_build(data) is None

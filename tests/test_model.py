"""Validation rules of the models: one test per rule, asserting the field path and message."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from tagkit import Cart, Contact, Page, Product, Purchase, ValidationError
from tagkit._sample import product, sample_page


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {p.path: p.message for p in exc.value.problems}


def cart(**over: Any) -> dict[str, Any]:
    line = {"quantity": 2, "price": "99.80", **product("SKU-77", "Red shoe", "49.90")}
    return {
        "cart_id": "c-5521",
        "total_quantity": 2,
        "total_price": "99.80",
        "products": [line],
        **over,
    }


def test_a_valid_cart_normalises_numbers() -> None:
    c = Cart.from_dict(cart(total_price=99.8))
    assert c.total_price == Decimal("99.8")
    assert c.products[0].price == Decimal("99.80")
    assert c.to_js()["products"][0]["productDetailUrl"] == "https://shop.example/p/sku-77"


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("1.234,50", False),
        ("€10", False),
        ("10 €", False),
        ("1e3", False),
        ("-1", False),
        (-0.5, False),
        (float("nan"), False),
        (float("inf"), False),
        (Decimal("NaN"), False),
        (True, False),
        ("1,5", False),
        ("180.75", True),
        (180.75, True),
        (Decimal("1E+2"), True),
        (0, True),
    ],
)
def test_total_price_accepts_only_canonical_non_negative_numbers(
    value: object, accepted: bool
) -> None:
    if accepted:
        Cart.from_dict(cart(total_price=value))
        return
    with pytest.raises(ValidationError) as exc:
        Cart.from_dict(cart(total_price=value))
    message = problems(exc)["cart.total_price"]
    assert message.startswith("must be a non-negative number like 180.75")
    assert repr(value) in message


def test_integer_properties_reject_fractions() -> None:
    with pytest.raises(ValidationError) as exc:
        Cart.from_dict(cart(total_quantity="2.5"))
    assert problems(exc)["cart.total_quantity"].startswith("must be a non-negative whole number")


def test_line_quantity_must_be_at_least_one() -> None:
    data = cart()
    data["products"][0]["quantity"] = 0
    with pytest.raises(ValidationError) as exc:
        Cart.from_dict(data)
    assert problems(exc)["cart.products[0].quantity"] == "must be at least 1, got 0"


def test_every_problem_of_one_input_is_reported_with_its_path() -> None:
    data = cart(cart_id="", total_price="1.234,50")
    data["products"].append({"quantity": 1, "price": "x", "url": "/p/1", "name": "Socks"})
    with pytest.raises(ValidationError) as exc:
        Cart.from_dict(data)
    found = problems(exc)
    assert set(found) == {
        "cart.cart_id",
        "cart.total_price",
        "cart.products[1].price",
        "cart.products[1].url",
        "cart.products[1].product_id",
        "cart.products[1].unit_price",
    }
    assert found["cart.cart_id"] == "is required, got ''"
    assert found["cart.products[1].product_id"] == "is required"
    assert "absolute http(s) URL" in found["cart.products[1].url"]


def test_total_quantity_must_add_up() -> None:
    with pytest.raises(ValidationError) as exc:
        Cart.from_dict(cart(total_quantity=3))
    assert (
        problems(exc)["cart.total_quantity"]
        == "must equal the sum of the line quantities (2), got 3"
    )


def test_empty_cart() -> None:
    empty = Cart.empty("c-5521")
    assert empty.to_js() == {
        "cartId": "c-5521",
        "totalQuantity": 0,
        "totalPrice": 0,
        "products": [],
    }


@pytest.mark.parametrize(
    "url",
    ["/p/1", "shop.example/p/1", "ftp://shop.example/p", "https://", "https://shop.example/a b"],
)
def test_urls_must_be_absolute_http(url: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Product(url=url, product_id="1", name="n", unit_price=1)
    assert problems(exc)["product.url"] == (
        f"must be an absolute http(s) URL like 'https://shop.example/p/1' (no spaces), got {url!r}"
    )


def test_naive_datetimes_are_rejected_with_the_spec_wording() -> None:
    with pytest.raises(ValidationError) as exc:
        Purchase(
            purchase_id="o",
            total_quantity=0,
            total_price=0,
            purchase_date=datetime(2024, 5, 1, 10, 20),
        )
    assert (
        problems(exc)["purchase.purchase_date"]
        == "must be timezone-aware, got datetime(2024, 5, 1, 10, 20)"
    )


def test_datetimes_become_utc_whole_seconds() -> None:
    madrid = timezone(timedelta(hours=2))
    p = Purchase(
        purchase_id="o",
        total_quantity=0,
        total_price=0,
        purchase_date=datetime(2024, 5, 1, 12, 20, 5, 999, tzinfo=madrid),
    )
    assert p.to_js()["purchaseDate"] == "2024-05-01T10:20:05Z"
    assert Purchase.from_dict({**p.to_dict(), "purchase_date": "2024-05-01T12:20:05+02:00"}) == p


def test_dates_are_midnight_utc() -> None:
    c = Contact(primary_key="ana@shop.example", _birthdate=date(1990, 5, 17))
    assert c.to_js()["_birthdate"] == "1990-05-17T00:00:00Z"
    assert Contact(primary_key="ana@shop.example", _birthdate="1990-05-17") == c


@pytest.mark.parametrize("text", ["2024-05-01T10:20:00", "01/05/2024", "2024-13-01T00:00:00Z"])
def test_date_text_needs_an_offset_and_a_real_date(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Purchase(purchase_id="o", total_quantity=0, total_price=0, purchase_date=text)
    assert "RFC 3339" in problems(exc)["purchase.purchase_date"]


def test_availability_is_case_insensitive_and_emitted_canonically() -> None:
    p = Product(
        url="https://s.example/p", product_id="1", name="n", unit_price=1, availability="outofstock"
    )
    assert p.availability == "OutOfStock"
    with pytest.raises(ValidationError) as exc:
        Product(
            url="https://s.example/p", product_id="1", name="n", unit_price=1, availability="yes"
        )
    assert (
        problems(exc)["product.availability"]
        == "must be one of 'InStock', 'OutOfStock' (any case), got 'yes'"
    )


@pytest.mark.parametrize(
    ("value", "message"), [(7, "must be between 0 and 5, got 7"), ("-1", None)]
)
def test_rating_is_between_zero_and_five(value: object, message: str | None) -> None:
    with pytest.raises(ValidationError) as exc:
        Product(
            url="https://s.example/p", product_id="1", name="n", unit_price=1, rating_value=value
        )
    if message:
        assert problems(exc)["product.rating_value"] == message


def test_categories_are_the_shops_own_text_or_level_lists() -> None:
    """A shop's existing category names are kept as they are (a path is recommended, and lint
    says so); level lists become paths."""
    p = Product(
        url="https://s.example/p",
        product_id="1",
        name="n",
        unit_price=1,
        category=[["Shoes", "Running"], "/Sale", "Pc/Keyboards/Special", "Shoes"],
    )
    assert p.category == ("/Shoes/Running", "/Sale", "Pc/Keyboards/Special", "Shoes")
    with pytest.raises(ValidationError) as exc:
        Product(
            url="https://s.example/p",
            product_id="1",
            name="n",
            unit_price=1,
            category=[" \ufeff", "a\x01b", ["a/b"]],
        )
    found = problems(exc)
    assert found["product.category[0]"].startswith("is blank once trimmed as the client trims")
    assert found["product.category[1]"].startswith("must not contain the control character")
    assert found["product.category[2]"].startswith("levels must be non-empty names without '/'")


def test_control_characters_are_rejected() -> None:
    with pytest.raises(ValidationError) as exc:
        Product(url="https://s.example/p", product_id="1", name="bad\x00name", unit_price=1)
    assert problems(exc)["product.name"].startswith(
        "must not contain the control character '\\x00'"
    )


def test_strings_are_stripped_and_empty_optionals_omitted() -> None:
    p = Product(
        url="https://s.example/p",
        product_id=" 1 ",
        name="n",
        unit_price=1,
        brand="  ",
        tag=["a", ""],
    )
    assert p.product_id == "1"
    assert p.brand is None
    assert p.tag == ("a",)
    assert "brand" not in p.to_js()


def test_unknown_keys_teach_the_right_name() -> None:
    with pytest.raises(ValidationError) as exc:
        Product(
            url="https://s.example/p", product_id="1", name="n", unit_price=1, unitPrice=2, prise=3
        )
    found = problems(exc)
    assert (
        found["product.unitPrice"]
        == "is the JS key; write the property's class name 'unit_price' instead"
    )
    assert found["product.prise"].startswith("is not a property of a product;")
    assert "known: url, product_id, name, unit_price" in found["product.prise"]


def test_models_are_immutable_and_comparable() -> None:
    a = Product(url="https://s.example/p", product_id="1", name="n", unit_price="1.50")
    with pytest.raises(AttributeError, match="immutable"):
        a.name = "x"  # type: ignore[misc]
    assert a == Product.from_dict(a.to_dict())
    assert hash(a) == hash(Product.from_dict(a.to_dict()))


class TestContact:
    def test_custom_fields_become_text(self) -> None:
        c = Contact(
            primary_key="ana@shop.example",
            loyalty_tier="gold",
            vip=True,
            points=Decimal("12.50"),
            balance=-3,
            since=date(2020, 1, 2),
        )
        assert c.to_js() == {
            "primaryKey": "ana@shop.example",
            "loyalty_tier": "gold",
            "vip": "true",
            "points": "12.50",
            "balance": "-3",
            "since": "2020-01-02T00:00:00Z",
        }

    @pytest.mark.parametrize("key", ["cn_tier", "1tier", "tier name", "tier.name"])
    def test_custom_field_ids_are_one_css_class_token(self, key: str) -> None:
        with pytest.raises(ValidationError) as exc:
            Contact({"primary_key": "ana@shop.example", key: "x"})
        assert problems(exc)[f"contact.{key}"].startswith("is not a usable contact field id")

    def test_misspelt_system_fields_are_caught(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Contact(primary_key="ana@shop.example", _surnme="García")
        assert (
            problems(exc)["contact._surnme"] == "looks like a misspelt '_surname'; write '_surname'"
        )

    def test_lists_are_for_js_only(self) -> None:
        c = Contact(primary_key="ana@shop.example", interests=["running", "trail"])
        assert c.to_js()["interests"] == ["running", "trail"]
        with pytest.raises(ValidationError) as exc:
            c.tag_values()
        assert problems(exc)["contact.interests"].startswith(
            "is a list, which a cn_client_info tag cannot carry"
        )

    def test_primary_key_is_required_unless_anonymous(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Contact(_name="Ana")
        assert problems(exc)["contact.primary_key"] == "is required"
        assert Contact(_name="Ana", anonymous=True).to_js() == {"_name": "Ana"}
        with pytest.raises(ValidationError) as exc:
            Contact(primary_key="ana@shop.example", anonymous=True)
        assert "anonymous" in problems(exc)["contact.primary_key"]

    @pytest.mark.parametrize("email", ["ana", "ana@", "@shop", "a b@shop.example", "a@b@c"])
    def test_emails_need_one_at_and_no_spaces(self, email: str) -> None:
        with pytest.raises(ValidationError) as exc:
            Contact(primary_key=email)
        assert problems(exc)["contact.primary_key"].startswith("must be an email address")

    def test_tracker_id_is_24_hex(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Contact(primary_key="a@b.example", tracker_id="abc")
        assert problems(exc)["contact.tracker_id"].startswith(
            "must match 24 hexadecimal characters"
        )


class TestPage:
    def test_the_sample_page_is_valid_and_ordered_like_the_client(self) -> None:
        page = Page.from_dict(sample_page())
        types = [e["type"] for e in page.to_js()["events"]]  # type: ignore[index]
        assert types == [
            "product-visited",
            "product-searched",
            "product-searched",
            "login",
            "search",
            "newsletter-subscribe",
            "purchase",
            "page-visit",
        ]

    def test_page_limits(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Page.from_dict(
                {"page_categories": [f"/C{i}" for i in range(11)], "page_tags": ["x" * 26]}
            )
        found = problems(exc)
        assert (
            found["page_categories"]
            == "must hold at most 10 values (the client drops the rest), got 11"
        )
        assert found["page_tags[0]"].startswith("must be at most 25 characters")

    def test_page_tag_length_counts_utf16_units(self) -> None:
        Page.from_dict({"page_tags": ["😀" * 12]})  # 24 units
        with pytest.raises(ValidationError):
            Page.from_dict({"page_tags": ["😀" * 13]})  # 26 units, 13 code points

    def test_unknown_page_keys_suggest_the_right_one(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Page.from_dict({"carts": {}})
        assert problems(exc)["carts"].startswith("is not a page document key; did you mean 'cart'?")

    def test_problems_in_nested_records_name_their_place(self) -> None:
        with pytest.raises(ValidationError) as exc:
            Page.from_dict(
                {
                    "purchases": [{"purchase_id": "o", "total_quantity": 0, "total_price": "x"}],
                    "login": "yes",
                }
            )
        found = problems(exc)
        assert "purchases[0].total_price" in found
        assert found["login"] == "must be true or false (a marker carries no data), got 'yes'"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total_quantity", 2**53),
        ("total_quantity", "9007199254740992"),
        ("total_price", Decimal("1E+400")),
        ("total_price", "12345678901234567890.5"),
    ],
)
def test_numbers_beyond_javascripts_exact_range_are_rejected(field: str, value: object) -> None:
    data = {"cart_id": "c", "total_quantity": 0, "total_price": 0, field: value}
    with pytest.raises(ValidationError) as exc:
        Cart.from_dict(data)
    assert problems(exc)[f"cart.{field}"].startswith("must be at most 9007199254740991")


def test_the_largest_exact_number_is_accepted() -> None:
    cart = Cart.from_dict(
        {"cart_id": "c", "total_quantity": 2**53 - 1, "total_price": "9007199254740991.00"}
    )
    assert cart.total_quantity == 2**53 - 1


def test_a_blank_shorthand_is_a_missing_required_value() -> None:
    """Found by the property tests: a required row whose JS key is its class name."""
    with pytest.raises(ValidationError) as info:
        Page.from_dict({"newsletter_subscribe": ""})
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("newsletter_subscribe.email", "is required, got ''")
    ]

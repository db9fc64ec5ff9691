"""API records and bodies come from the vocabulary's API rows; the tags do not change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tagkit import Contact, Product, Purchase, ValidationError, render_tag
from tagkit import vocabulary as vocab
from tagkit.api import ApiContact, ApiProduct, ApiPurchase, api_json, api_record, to_api

from .conftest import product, purchase


def test_contact_body_has_the_api_fields_and_typed_custom_fields() -> None:
    ana = ApiContact(
        primary_key="ana@shop.example",
        _name="Ana",
        _birthdate="1990-05-17",
        _newsletter_subscription_status="subscribed",
        _mobile_phone="+34600111222",
        _mobile_phone_status="active",
        _sms_subscription_status="none",
        _points=12,
        _external_id="cust-9",
        vip=True,
        ratio=4.5,
        visits=3,
        interests=["shoes", "socks"],
        tier="gold",
    )
    assert to_api(ana) == {
        "_name": "Ana",
        "_birthdate": "1990-05-17T00:00:00Z",
        "_newsletterSubscriptionStatus": "subscribed",
        "_mobilePhone": "+34600111222",
        "_mobilePhoneStatus": "active",
        "_smsSubscriptionStatus": "none",
        "_points": 12,
        "_externalId": "cust-9",
        "vip": True,
        "ratio": Decimal("4.5"),
        "visits": 3,
        "interests": ["shoes", "socks"],
        "tier": "gold",
    }
    # The email goes in the path, never in the body; tracker_id is not an API field.
    assert (
        to_api(Contact(primary_key="ana@shop.example", tracker_id="5f1b2c3d4e5f60718293a4b5")) == {}
    )


def test_product_body_uses_the_js_keys_lower_case_availability_and_api_only_rows() -> None:
    body = to_api(
        ApiProduct(
            product(1, availability="OutOfStock", category=[["Shoes", "Running"]], tag=["new"]),
            in_stock_units=0,
            is_blacklisted="true",
        )
    )
    assert body == {
        "productDetailUrl": "https://shop.example/p/1",
        "productId": "P-1",
        "name": "Product 1",
        "unitPrice": Decimal("9.90"),
        "availability": "outofstock",
        "categories": ["/Shoes/Running"],
        "tags": ["new"],
        "inStockUnits": 0,
        "isBlacklisted": True,
    }
    assert api_json(body).startswith('{"productDetailUrl":"https://shop.example/p/1"')
    assert '"unitPrice":9.9,' in api_json(body)
    # A tag Product is accepted as it is.
    assert to_api(Product(product(2)))["productId"] == "P-2"


def test_purchase_body_carries_the_contact_email_and_api_lines_only() -> None:
    data = purchase(7)
    data["products"][0].update(availability="InStock", priority=3, brand="Acme")
    data["source_name"] = "shop"
    record = ApiPurchase.from_dict(data)
    body = to_api(record)
    assert body == {
        "purchaseId": "o-7",
        "totalQuantity": 1,
        "totalPrice": Decimal("9.90"),
        "purchaseDate": "2024-05-01T08:20:00Z",
        "products": [
            {
                "quantity": 1,
                "price": Decimal("9.90"),
                "productDetailUrl": "https://shop.example/p/7-0",
                "productId": "P-7-0",
                "name": "Product 7-0",
                "unitPrice": Decimal("9.90"),
                "brand": "Acme",
            }
        ],
        "contactEmail": "buyer7@shop.example",
    }
    assert ApiPurchase.from_dict({**data, "contact": "ana@shop.example"}).contact.primary_key == (
        "ana@shop.example"
    )


def test_problems_name_the_field_the_value_and_the_accepted_form() -> None:
    with pytest.raises(ValidationError) as caught:
        ApiPurchase.from_dict(
            {"purchase_id": "o-1", "total_quantity": 1, "total_price": "1.234,50"}
        )
    assert [str(p) for p in caught.value.problems] == [
        "purchase.total_price must be a non-negative number like 180.75 (digits and one dot; "
        "no thousands separator, currency or exponent), got '1.234,50'",
        "purchase.contact is required: the buyer, as an object like "
        "{'primary_key': 'ana@shop.example'} or the email alone",
    ]
    with pytest.raises(ValidationError) as caught:
        ApiPurchase.from_dict({**purchase(1), "contact": {"primary_key": "nope"}})
    assert [p.path for p in caught.value.problems] == ["purchase.contact.primary_key"]
    with pytest.raises(ValidationError) as caught:
        ApiProduct(product(1), is_blacklisted="maybe", in_stock_units=-2)
    assert [str(p) for p in caught.value.problems] == [
        "product.is_blacklisted must be one of 'true', 'false' (any case), got 'maybe'",
        "product.in_stock_units must be a non-negative whole number like 3, got -2",
    ]
    with pytest.raises(ValidationError) as caught:
        ApiContact(anonymous=True)
    assert str(caught.value.problems[0]).startswith("contact.anonymous is not accepted by the API")


def test_a_tag_purchase_is_refused_for_lacking_its_contact() -> None:
    tag_purchase = Purchase.from_dict({k: v for k, v in purchase(1).items() if k != "contact"})
    with pytest.raises(ValidationError, match=r"purchase\.contact is required"):
        api_record("purchases", tag_purchase)


def test_api_only_rows_never_reach_the_tags() -> None:
    for rows in (vocab.CONTACT_API_ONLY, vocab.PRODUCT_API_ONLY):
        for row in rows:
            assert all(row not in tag.properties for tag in vocab.ENTRIES)
            assert not row.read_by_client
    with pytest.raises(ValidationError, match="is not a property of a product"):
        render_tag("product-visited", product(1, in_stock_units=3))
    # On a contact tag an API-only name is just a custom field, as before.
    html = render_tag("client-info", {"primary_key": "a@shop.example", "_points": "3"})
    assert '<span class="_points">3</span>' in html

"""The CSV file and form of an import: exact bytes, a stdlib round trip for any text, and the
values a CSV cell cannot carry refused by record, field and value."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tagkit.api import (
    ApiConfigError,
    ApiContact,
    ApiCoupon,
    ApiProduct,
    ImportFileTooLarge,
    api_record,
    import_csv,
)
from tagkit.api._imports import ImportOptions
from tagkit.errors import ValidationError

from .conftest import product


def _table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_contacts_golden() -> None:
    contacts = [
        ApiContact(
            primary_key="ana@shop.example",
            _name='Ana "La Jefa", Ruiz',
            _birthdate="1990-02-03",
            _points=10,
            vip=True,
            score=4.50,
            interests=["shoes", "bags"],
        ),
        ApiContact(primary_key="bo@shop.example", _newsletter_subscription_status="subscribed"),
    ]
    assert import_csv("contacts", contacts) == (
        b"_email,_name,_birthdate,_newsletterSubscriptionStatus,_points,vip,score,interests\r\n"
        b'ana@shop.example,"Ana ""La Jefa"", Ruiz",1990-02-03T00:00:00Z,,10,true,4.5,shoes|bags\r\n'
        b"bo@shop.example,,,subscribed,,,,\r\n"
    )


def test_products_golden_uses_the_keys_of_to_api() -> None:
    rows = [
        ApiProduct.from_dict(
            product(
                1,
                category=["/Shoes", "/Shoes/Running"],
                tag=["new"],
                availability="OutOfStock",
                is_blacklisted=True,
                in_stock_units=0,
                related_external_product_id=["P-2", "P-3"],
            )
        ),
        ApiProduct.from_dict(product(2, brand="Acme; Co")),
    ]
    assert import_csv("products", rows).decode() == (
        "productDetailUrl,productId,name,unitPrice,availability,categories,tags,brand,"
        "relatedExternalProductIds,inStockUnits,isBlacklisted\r\n"
        "https://shop.example/p/1,P-1,Product 1,9.90,outofstock,/Shoes|/Shoes/Running,new,,"
        "P-2|P-3,0,true\r\n"
        "https://shop.example/p/2,P-2,Product 2,9.90,,,,Acme; Co,,,\r\n"
    )


def test_coupons_golden() -> None:
    codes = [
        ApiCoupon(code="SPRING-10"),
        api_record("coupons", "a,b"),
        api_record("coupons", "x|y"),
    ]
    assert import_csv("coupons", codes) == b'code\r\nSPRING-10\r\n"a,b"\r\nx|y\r\n'


HOSTILE = [
    'say "hi"',
    "a,b",
    "a;b",
    "line\nbreak",
    "carriage\rreturn",
    "crlf\r\nend",
    "pipe | in text",
    "</script><script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "tab\there",
    "ünïcødé ✓ 😀",
    '"',
    "\u2028\u2029",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_survives_the_round_trip(text: str) -> None:
    contact = ApiContact(primary_key="ana@shop.example", _name=f"x{text}x", note=f"y{text}y")
    thing = ApiProduct.from_dict(product(1, name=f"z{text}z", description=f"d{text}."))
    [header, row] = _table(import_csv("contacts", [contact]))
    assert dict(zip(header, row, strict=True)) == {
        "_email": "ana@shop.example",
        "_name": f"x{text}x",
        "note": f"y{text}y",
    }
    [header, row] = _table(import_csv("products", [thing]))
    cells = dict(zip(header, row, strict=True))
    assert (cells["name"], cells["description"]) == (f"z{text}z", f"d{text}.")


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|"),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip() == t and t)


@settings(max_examples=150, deadline=None)
@given(
    name=TEXT,
    custom=st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda k: k != "anonymous"),
        st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=3)),
        max_size=3,
    ),
)
def test_a_contact_survives_the_csv_round_trip(name: str, custom: dict[str, Any]) -> None:
    try:
        contact = ApiContact(primary_key="ana@shop.example", _name=name, **custom)
    except ValidationError:
        return  # a field id tagkit refuses anyway (a misspelt built-in name)
    [header, row] = _table(import_csv("contacts", [contact]))
    cells = dict(zip(header, row, strict=True))
    assert cells.pop("_email") == "ana@shop.example"
    expected = {
        key: "|".join(value) if isinstance(value, list) else value
        for key, value in {"_name": name, **custom}.items()
    }
    assert cells == {k: v for k, v in expected.items() if k in cells}
    assert set(cells) == set(expected)
    # Each list cell splits back into its values.
    for key, value in custom.items():
        if isinstance(value, list):
            assert cells[key].split("|") == value


def test_a_list_value_holding_the_separator_is_refused_by_record_field_and_value() -> None:
    good = ApiProduct.from_dict(product(1))
    bad = ApiProduct.from_dict(product(2, category=["/Shoes", "/A|B"]))
    with pytest.raises(ValidationError) as refused:
        import_csv("products", [good, bad])
    assert [str(p) for p in refused.value.problems] == [
        "products[1].category holds '|' in the value '/A|B': an import's list cell joins its "
        "values with '|', so this value cannot be imported; remove it, or send the record one "
        "by one (without --import)"
    ]
    contact = ApiContact(primary_key="a@shop.example", sizes=["M", "L|XL"])
    with pytest.raises(ValidationError, match=r"contacts\[0\]\.sizes holds '\|'"):
        import_csv("contacts", [contact])


def test_what_no_cell_can_carry_is_refused_not_flattened() -> None:
    with pytest.raises(ValidationError) as nested:
        api_record("contacts", {"primary_key": "a@shop.example", "address": {"city": "Madrid"}})
    assert "contact.address must be text, a number, true/false" in str(nested.value)
    with pytest.raises(ValidationError) as surrogate:
        api_record("contacts", {"primary_key": "a@shop.example", "_name": "bad\ud800"})
    assert "lone surrogate" in str(surrogate.value)
    with pytest.raises(ValueError, match="not 'purchases'"):
        import_csv("purchases", [])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("contacts", False, True, None), "update_only_empty_fields=True needs override_existing"),
        (("coupons", False, False, None), "a coupons import needs coupon_set_id"),
        (("products", True, False, "set-1"), "coupon_set_id goes with a coupons import only"),
        (("purchases", True, False, None), "purchases cannot be imported"),
        (("contacts", "yes", False, None), "override_existing must be True or False"),
    ],
)
def test_options_connectif_refuses_are_refused_first(
    options: tuple[Any, ...], message: str
) -> None:
    with pytest.raises(ApiConfigError, match=message):
        ImportOptions(*options)


def test_the_form_fields() -> None:
    assert ImportOptions("products", True, True).form() == {
        "type": "products",
        "overrideExisting": "true",
        "updateOnlyEmptyFields": "true",
        "delimiter": ",",
    }


def test_a_file_over_the_limit_is_refused_before_sending(client, double) -> None:  # type: ignore[no-untyped-def]
    rows = [{"primary_key": f"c{n}@shop.example", "_name": "x" * 50} for n in range(100)]
    with pytest.raises(ImportFileTooLarge) as refused:
        client.start_import(
            "contacts",
            rows,
            override_existing=True,
            update_only_empty_fields=False,
            max_bytes=5_000,
        )
    assert refused.value.status == 413 and refused.value.size > 5_000
    assert f"the import file is {refused.value.size:,} bytes, more than the 5,000 bytes" in str(
        refused.value
    )
    assert double.requests == []

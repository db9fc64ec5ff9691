"""API records and their request bodies, derived from the vocabulary's ``api_key`` column.

An API data file uses the tags' keys (``product_id``, ``unit_price``, ``category``) plus the
rows only the API carries (``vocab.CONTACT_API_ONLY``, ``vocab.PRODUCT_API_ONLY``), and a
purchase holds its ``contact``. :func:`to_api` turns any record (these or tagkit's tag models)
into the JSON body Connectif's REST API takes (docs/api-sync.md#fields).

>>> body = to_api(ApiProduct(url="https://shop.example/p/1", product_id="P-1", name="Shoe",
...                          unit_price="49.90", availability="InStock", is_blacklisted=True))
>>> sorted(body)[:3], body[vocab.PRODUCT_API_ONLY[1].js_key]
(['availability', 'isBlacklisted', 'name'], True)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from .. import vocabulary as vocab
from .._model import (
    ANONYMOUS,
    BasketItem,
    Contact,
    Product,
    Purchase,
    Record,
    _custom_field_problem,
    custom_text,
    join,
)
from .._values import (
    MAX_SAFE_INTEGER,
    Invalid,
    normalise_decimal,
    quoted,
    to_text,
)
from ..errors import Problem, ValidationError
from ..vocabulary import Kind, Prop
from . import _routes as routes

__all__ = [
    "ApiContact",
    "ApiCoupon",
    "ApiProduct",
    "ApiPurchase",
    "api_json",
    "api_record",
    "contact_email",
    "to_api",
]

_BOOLEAN_ROWS = {
    p.data_key
    for rows in (vocab.CONTACT_API, vocab.PRODUCT_API)
    for p in rows
    if p.choices == vocab.BOOLEAN_CHOICES
}
_ROW_NAMES_CONTACT = frozenset(p.name for p in vocab.CONTACT_API)


def _booleans(data: Mapping[str, object]) -> Mapping[str, object]:
    """JSON true/false of yes/no rows as their text, which the rows' choices name."""
    if not any(type(data.get(key)) is bool for key in _BOOLEAN_ROWS):
        return data
    return {
        k: (to_text(v) if k in _BOOLEAN_ROWS and type(v) is bool else v) for k, v in data.items()
    }


def _api_custom_value(raw: object) -> object:
    """A custom contact field as the API types it: text, a list of texts (checkbox fields),
    true/false, or a number (docs/api-sync.md#custom-fields)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        if abs(raw) > MAX_SAFE_INTEGER:
            raise Invalid(f"must be at most {MAX_SAFE_INTEGER} either way, got {quoted(raw)}")
        return raw
    if isinstance(raw, (float, Decimal)):
        number = normalise_decimal(abs(raw))
        return -number if raw < 0 else number
    return custom_text(raw)


class ApiContact(Contact):
    """A contact for the API: always keyed by its email (``primary_key``), with the API-only
    fields, and custom fields that keep their JSON type (true stays a boolean, 4.5 a number).

    >>> ana = ApiContact(primary_key="ana@shop.example", _points=10)
    >>> ana.values[vocab.CONTACT_API_ONLY[3].name]
    10
    """

    PROPS = vocab.CONTACT_API

    @classmethod
    def _requires(cls, prop: Prop, data: Mapping[str, object]) -> bool:
        return True  # the API has no anonymous contact

    @classmethod
    def _extra(
        cls,
        key: object,
        raw: object,
        path: str,
        values: dict[str, object],
        problems: list[Problem],
    ) -> None:
        if key == ANONYMOUS:
            problems.append(
                Problem(
                    join(path, ANONYMOUS),
                    "is not accepted by the API: a contact is identified by its "
                    f"{vocab.PRIMARY_KEY.name} (the email)",
                )
            )
            return
        if raw is None or not isinstance(key, str) or isinstance(raw, str):
            super()._extra(key, raw, path, values, problems)
            return
        problem = _custom_field_problem(key)
        if problem is not None:
            problems.append(Problem(join(path, key), problem))
            return
        try:
            value = _api_custom_value(raw)
        except Invalid as exc:
            problems.append(Problem(join(path, key), str(exc)))
            return
        if value != ():
            values[key] = value

    @property
    def custom_fields(self) -> Mapping[str, Any]:
        return {k: v for k, v in self._values.items() if k not in _ROW_NAMES_CONTACT}


class ApiProduct(Product):
    """A product for the API: the tags' product rows plus ``in_stock_units`` and
    ``is_blacklisted`` (true/false)."""

    PROPS = vocab.PRODUCT_API

    @classmethod
    def _collect(
        cls, data: Mapping[str, object], path: str, problems: list[Problem]
    ) -> dict[str, object]:
        return super()._collect(_booleans(data), path, problems)


class ApiPurchase(Purchase):
    """A purchase for the API: the tag's purchase rows plus its ``contact`` (an object like
    ``{"primary_key": "ana@shop.example"}``, or the email alone)."""

    # The tag's rows, so tags data is accepted as it is; to_api sends vocab.PURCHASE_API.
    PROPS = vocab.PURCHASE
    OPEN = True  # one key beyond the rows: the contact

    @classmethod
    def _extra(
        cls,
        key: object,
        raw: object,
        path: str,
        values: dict[str, object],
        problems: list[Problem],
    ) -> None:
        if key != vocab.PURCHASE_CONTACT_KEY:
            Record._extra.__func__(cls, key, raw, path, values, problems)  # type: ignore[attr-defined]
            return
        if raw is None:
            return
        if isinstance(raw, str):
            raw = {vocab.PRIMARY_KEY.name: raw}
        contact = ApiContact.build(raw, join(path, vocab.PURCHASE_CONTACT_KEY), problems)
        if contact is not None:
            values[vocab.PURCHASE_CONTACT_KEY] = contact

    @classmethod
    def _check(cls, values: Mapping[str, object], path: str, problems: list[Problem]) -> None:
        super()._check(values, path, problems)
        where = join(path, vocab.PURCHASE_CONTACT_KEY)
        if vocab.PURCHASE_CONTACT_KEY not in values and not any(
            p.path == where or p.path.startswith(where + ".") for p in problems
        ):
            problems.append(
                Problem(
                    where,
                    "is required: the buyer, as an object like "
                    f"{{{vocab.PRIMARY_KEY.name!r}: 'ana@shop.example'}} or the email alone",
                )
            )

    @property
    def contact(self) -> ApiContact:
        found = self._values[vocab.PURCHASE_CONTACT_KEY]
        assert isinstance(found, ApiContact)
        return found

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        out[vocab.PURCHASE_CONTACT_KEY] = self.contact.to_dict()
        return out


class ApiCoupon(Record):
    """A coupon code for a coupons import (a coupon set's ``multiple`` codes): the one
    ``code`` column Connectif's coupons import reads.

    >>> ApiCoupon(code=" SPRING-10 ").code
    'SPRING-10'
    """

    PROPS = (
        Prop(
            name=routes.COUPON_CODE,
            js_key=routes.COUPON_CODE,
            kind=Kind.STRING,
            required=True,
            doc="a code of the coupon set, as the shop's own system knows it",
            api_key=routes.COUPON_CODE,
        ),
    )
    LABEL = "coupon"  # not a Connectif name: the label of a record in messages
    WHAT = "a coupon"

    code: str


def contact_email(contact: Contact) -> str:
    """The email that keys ``contact`` in the API; :class:`ValidationError` if it has none."""
    email = contact.primary_key
    if not email:
        raise ValidationError(
            [
                Problem(
                    join(contact.LABEL, vocab.PRIMARY_KEY.name),
                    "is required to send a contact to the API (it goes in the request path)",
                )
            ]
        )
    return email


def _api_value(prop: Prop, value: object) -> object:
    if prop.kind is Kind.OBJECT:
        assert isinstance(value, tuple)
        return [to_api(line) for line in value]
    if prop.multiple:
        assert isinstance(value, tuple)
        return [_api_value(prop._replace(multiple=False), item) for item in value]
    if isinstance(value, datetime):
        return to_text(value)
    mapped = vocab.API_VALUES.get(prop.name)
    if mapped is not None and isinstance(value, str):
        return mapped.get(value, value)
    return value


def _body(values: Mapping[str, object], rows: tuple[Prop, ...]) -> dict[str, object]:
    out: dict[str, object] = {}
    for prop in rows:
        if prop.api_key is None or prop.name not in values:
            continue
        out[prop.api_key] = _api_value(prop, values[prop.name])
    return out


def to_api(record: Record) -> dict[str, object]:
    """The JSON body of ``record`` for Connectif's REST API, keyed by the vocabulary's API
    field ids. Numbers stay ``Decimal``/``int`` (:func:`api_json` writes them as JSON numbers),
    dates are ISO 8601 text.

    A contact's body leaves out its email, which goes in the request path; a purchase's
    carries its contact's email.

    >>> to_api(ApiContact(primary_key="ana@shop.example", _name="Ana", tier="gold"))
    {'_name': 'Ana', 'tier': 'gold'}
    """
    values = record.values
    if isinstance(record, Contact):
        rows = tuple(p for p in vocab.CONTACT_API if p is not vocab.PRIMARY_KEY)
        out = _body(values, rows)
        names = {p.name for p in vocab.CONTACT_API} | {ANONYMOUS}
        for key, value in values.items():
            if key not in names:
                out[key] = list(value) if isinstance(value, tuple) else value
        return out
    if isinstance(record, Purchase):
        out = _body(values, vocab.PURCHASE_API)
        contact = values.get(vocab.PURCHASE_CONTACT_KEY)
        if isinstance(contact, Contact):
            out[vocab.PURCHASE_CONTACT_API_KEY] = contact_email(contact)
        return out
    if isinstance(record, BasketItem):
        return _body(values, vocab.PURCHASE_LINE_API)
    if isinstance(record, Product):
        return _body(values, vocab.PRODUCT_API)
    return _body(values, record.PROPS)


# The kinds of API records, as commands and journals name them.
CONTACTS = "contacts"
PRODUCTS = "products"  # not a Connectif name: a kind of record
PURCHASES = "purchases"
COUPONS = "coupons"
# The API record type of each kind.
API_TYPES: dict[str, type[Record]] = {
    CONTACTS: ApiContact,
    PRODUCTS: ApiProduct,
    PURCHASES: ApiPurchase,
    COUPONS: ApiCoupon,
}


_TAG_TYPES: dict[str, type[Record]] = {
    CONTACTS: Contact,
    PRODUCTS: Product,
    PURCHASES: ApiPurchase,
    COUPONS: ApiCoupon,
}


def api_record(kind: str, data: object, *, path: str | None = None) -> Record:
    """The API record of ``kind`` (``contacts``, ``products``, ``purchases``, ``coupons``) for
    ``data``: a mapping, or a record (tagkit's ``Contact`` and ``Product`` are accepted as they
    are; a purchase needs its contact, so a tag ``Purchase`` is refused for lacking it). A
    coupon may also be its code alone.

    >>> api_record("contacts", {"primary_key": "ana@shop.example"}).primary_key
    'ana@shop.example'
    """
    record_type = API_TYPES[kind]
    if kind == COUPONS and isinstance(data, str):
        data = {routes.COUPON_CODE: data}
    if isinstance(data, _TAG_TYPES[kind]):
        assert isinstance(data, Record)
        return data
    if isinstance(data, Record):  # a tag purchase: it lacks the contact, which this names
        data = data.to_dict()
    return record_type.from_dict(data, path=path)


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        # The API parses JSON numbers as doubles; canonical decimals stay well inside them.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")


def api_json(body: object) -> str:
    """``body`` as compact JSON text, ``Decimal`` as JSON numbers.

    >>> api_json({"unitPrice": Decimal("49.90"), "quantity": 2})
    '{"unitPrice":49.9,"quantity":2}'
    """
    return json.dumps(body, default=_json_default, ensure_ascii=False, separators=(",", ":"))

"""Every Connectif tag, property, JS key, type and rule, as one declarative table.

This table is the only place a Connectif name is written. Models, templates, the parser, the
JSON Schema and the CLI listing are all derived from it: adding a property is one row here.
The table mirrors docs/connectif.md#tag and ``tests/data/connectif-vocabulary.json``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Literal, NamedTuple

from .errors import UnknownTag

CLIENT_VERSION = "1.3.0"


class Kind(str, Enum):
    """The value types tagkit knows (docs/connectif.md#text-value-types)."""

    STRING = "string"
    URL = "url"
    EMAIL = "email"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATETIME = "datetime"
    ENUM = "enum"
    OBJECT = "object"
    PAYLOAD = "payload"


class Prop(NamedTuple):
    """One property: a child element's class in a tag and a key in the client's JS object."""

    name: str
    js_key: str
    kind: Kind
    required: bool = False
    multiple: bool = False
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    read_by_client: bool = True
    obj: str | None = None
    doc: str = ""
    pattern_hint: str | None = None
    api_key: str | None = None
    # A list may be given as its levels (["Shoes", "Running"] -> "/Shoes/Running"); the form
    # recommended, which lint checks, but which input need not follow.
    levels: bool = False
    recommended: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.DECIMAL, Kind.INTEGER)

    @property
    def data_key(self) -> str:
        """The key of this property in a data file: the class name, or for nested objects
        (cart lines) the JS key of the list, ``products``."""
        return self.js_key if self.kind is Kind.OBJECT else self.name


def _p(
    name: str,
    js_key: str,
    kind: Kind,
    *,
    required: bool = False,
    multiple: bool = False,
    choices: tuple[str, ...] = (),
    pattern: str | None = None,
    minimum: int | str | None = None,
    maximum: int | str | None = None,
    read_by_client: bool = True,
    obj: str | None = None,
    doc: str = "",
    pattern_hint: str | None = None,
    api: str | Literal[False] | None = None,
    levels: bool = False,
    recommended: str | None = None,
) -> Prop:
    # Every number Connectif reads is non-negative unless a row says otherwise
    # (docs/connectif.md#number-ranges).
    if kind in (Kind.DECIMAL, Kind.INTEGER) and minimum is None:
        minimum = 0
    if recommended == CATEGORY_PATTERN and pattern_hint is None:
        pattern_hint = CATEGORY_HINT
    return Prop(
        name=name,
        js_key=js_key,
        kind=kind,
        required=required,
        multiple=multiple,
        choices=choices,
        pattern=pattern,
        minimum=None if minimum is None else Decimal(minimum),
        maximum=None if maximum is None else Decimal(maximum),
        read_by_client=read_by_client,
        obj=obj,
        doc=doc,
        pattern_hint=pattern_hint,
        api_key=None if api is False else (api or js_key),
        levels=levels,
        recommended=recommended,
    )


TEXT, URL, EMAIL, DEC, INT, DATE, ENUM, OBJ, PAYLOAD = (
    Kind.STRING,
    Kind.URL,
    Kind.EMAIL,
    Kind.DECIMAL,
    Kind.INTEGER,
    Kind.DATETIME,
    Kind.ENUM,
    Kind.OBJECT,
    Kind.PAYLOAD,
)

CATEGORY_PATTERN = r"^/[^/]+(/[^/]+)*$"
CATEGORY_HINT = "a path like '/Shoes/Running' (starts with '/', no empty level, no trailing '/')"

# docs/connectif.md#tag-product. Order is the order tagkit emits: the required four first.
PRODUCT: tuple[Prop, ...] = (
    _p("url", "productDetailUrl", URL, required=True, doc="product detail page"),
    _p("product_id", "productId", TEXT, required=True, doc="catalogue id; the same id everywhere"),
    _p("name", "name", TEXT, required=True, doc="product name"),
    _p("unit_price", "unitPrice", DEC, required=True, doc="current price of one unit"),
    _p("image_url", "imageUrl", URL),
    _p("thumbnail_url", "thumbnailUrl", URL),
    _p("description", "description", TEXT, doc="plain text; strip HTML first"),
    _p("availability", "availability", ENUM, choices=("InStock", "OutOfStock")),
    _p(
        "category",
        "categories",
        TEXT,
        multiple=True,
        levels=True,
        recommended=CATEGORY_PATTERN,
        doc="the shop's category, best as a full path like /Shoes/Running",
    ),
    _p("tag", "tags", TEXT, multiple=True),
    _p("brand", "brand", TEXT),
    _p(
        "related_external_product_id",
        "relatedExternalProductIds",
        TEXT,
        multiple=True,
        doc="product_id values of related products",
    ),
    _p("priority", "priority", INT),
    _p("rating_value", "rating", DEC, maximum=5, doc="0 to 5"),
    _p("review_count", "reviewCount", INT),
    _p("rating_count", "ratingCount", INT),
    _p("unit_price_original", "unitPriceOriginal", DEC, doc="price before discount"),
    _p("unit_price_without_vat", "unitPriceWithoutVAT", DEC),
    _p("discounted_amount", "discountedAmount", DEC, doc="unit_price_original - unit_price"),
    _p("discounted_percentage", "discountedPercentage", DEC, maximum=100, doc="0 to 100, no %"),
    _p("published_at", "publishedAt", DATE, read_by_client=False),
    _p("custom_field_1", "customField1", TEXT),
    _p("custom_field_2", "customField2", TEXT),
    _p("custom_field_3", "customField3", TEXT),
)

# A cart or purchase line is a product plus its quantity and line total
# (docs/connectif.md#tag-basket-item).
BASKET_ITEM: tuple[Prop, ...] = (
    _p("quantity", "quantity", INT, required=True, minimum=1, doc="units on this line, >= 1"),
    _p("price", "price", DEC, required=True, doc="line total for all units"),
    *PRODUCT,
)

LINES = _p(
    "product_basket_item",
    "products",
    OBJ,
    multiple=True,
    obj="product_basket_item",
    doc="one element per cart line",
)

CART: tuple[Prop, ...] = (
    _p("cart_id", "cartId", TEXT, required=True, doc="non-empty, stable for the cart's life"),
    _p("total_quantity", "totalQuantity", INT, required=True, doc="sum of line quantities"),
    _p("total_price", "totalPrice", DEC, required=True, doc="cart total"),
    LINES,
    _p("cart_recovery_url", "cartRecoveryUrl", URL, read_by_client=False),
)

PURCHASE: tuple[Prop, ...] = (
    _p("purchase_id", "purchaseId", TEXT, required=True, doc="order id"),
    _p("cart_id", "cartId", TEXT, doc="the cn_cart id; marks that cart as bought"),
    _p("total_quantity", "totalQuantity", INT, required=True),
    _p("total_price", "totalPrice", DEC, required=True),
    _p("payment_method", "paymentMethod", TEXT, doc="free text"),
    _p("purchase_date", "purchaseDate", DATE),
    LINES,
    _p("source_name", "source_name", TEXT, read_by_client=False, doc="sales channel name"),
    _p(
        "source_type",
        "source_type",
        ENUM,
        choices=("marketplace", "digital-store", "point-of-sale", "third-party", "other"),
        read_by_client=False,
    ),
)

CONTACT: tuple[Prop, ...] = (
    _p("primary_key", "primaryKey", EMAIL, required=True, doc="the contact's email"),
    _p(
        "tracker_id",
        "trackerId",
        TEXT,
        pattern=r"^[0-9a-fA-F]{24}$",
        pattern_hint="24 hexadecimal characters like '5f1b2c3d4e5f60718293a4b5'",
        doc="24 hex characters; normally left to the client",
        api=False,
    ),
    _p("_name", "_name", TEXT, doc="first name"),
    _p("_surname", "_surname", TEXT),
    _p("_birthdate", "_birthdate", DATE),
    _p(
        "_newsletter_subscription_status",
        "_newsletterSubscriptionStatus",
        ENUM,
        choices=("subscribed", "unsubscribed", "none"),
    ),
    _p("_email_status", "_emailStatus", ENUM, choices=("active", "bounced", "paused", "banned")),
)


# The class of a custom contact field is its field id (docs/connectif.md#contact-custom-fields).
CUSTOM_FIELD_PATTERN = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")
CUSTOM_FIELD_FORBIDDEN_PREFIX = "cn_"

SEARCH: tuple[Prop, ...] = (
    _p("search_text", "searchText", TEXT, required=True, doc="the text the visitor searched for"),
)

NEWSLETTER: tuple[Prop, ...] = (
    _p("email", "email", EMAIL, required=True, doc="the subscribed address"),
)

# A custom integration event: JavaScript only, no tag (docs/connectif.md#event-custom).
CUSTOM_EVENT: tuple[Prop, ...] = (
    _p(
        "event_id",
        "eventId",
        TEXT,
        required=True,
        doc="the id of the custom integration event defined in Connectif",
    ),
    _p("payload", "payload", PAYLOAD, doc="flat: field id -> text, number, true/false or date"),
)


def _row(props: tuple[Prop, ...], name: str) -> Prop:
    return next(p for p in props if p.name == name)


# Rows that rules across properties name (line quantities add up to the total, the contact's
# key, the emptied cart).
LINE_QUANTITY = _row(BASKET_ITEM, "quantity")
CART_ID = _row(CART, "cart_id")
PURCHASE_ID = _row(PURCHASE, "purchase_id")
TOTAL_QUANTITY = _row(CART, "total_quantity")
TOTAL_PRICE = _row(CART, "total_price")
PRIMARY_KEY = _row(CONTACT, "primary_key")
TRACKER_ID = _row(CONTACT, "tracker_id")

# Objects by name, as ``Prop.obj`` refers to them.
PRODUCT_OBJECT = "product"
LINE_OBJECT = "product_basket_item"
OBJECTS: MappingProxyType[str, tuple[Prop, ...]] = MappingProxyType(
    {PRODUCT_OBJECT: PRODUCT, LINE_OBJECT: BASKET_ITEM}
)

Instances = Literal["first", "all", "presence"]
# How an event carries its tag's data in sendEvents (docs/connectif.md#event-types):
# "nested" under ``event_field`` ({type, product: {...}}), "flat" beside ``type``
# ({type, searchText}), or "bare" (just {type}).
EventShape = Literal["nested", "flat", "bare"]


class Tag(NamedTuple):
    """One thing a page tells Connectif: a container class (or a JavaScript-only event), its
    properties, its key in tagkit's page document and what the client makes of it."""

    name: str
    short: str
    title: str
    instances: Instances
    properties: tuple[Prop, ...] = ()
    element: Literal["div", "span"] = "div"
    event_type: str | None = None
    event_field: str | None = None
    event_shape: EventShape = "bare"
    body_path: str | None = None
    value_is_text: bool = False
    max_items: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    doc: str = ""
    levels: bool = False
    recommended: str | None = None
    # tagkit's own columns: the page-document key, the property a bare value fills
    # (``"red shoe"`` -> ``{"search_text": "red shoe"}``), whether keys outside the table are
    # custom fields, whether the client reads only direct children keyed by their whole class
    # attribute, whether an event needs the contact's primary key, and JavaScript-only rows.
    page_key: str = ""
    shorthand: str | None = None
    open_fields: bool = False
    direct_children: bool = False
    needs_contact: bool = False
    js_only: bool = False

    @property
    def prop_index(self) -> Mapping[str, Prop]:
        """The properties by class name."""
        return {p.name: p for p in self.properties}

    @property
    def is_event(self) -> bool:
        return self.event_type is not None

    @property
    def multiple(self) -> bool:
        """Whether a page may carry several (a list in the page document)."""
        return self.instances == "all"


TAGS: tuple[Tag, ...] = (
    Tag(
        "cn_client_info",
        "client-info",
        "Contact information",
        "first",
        CONTACT,
        body_path="entityInfo",
        page_key="contact",
        open_fields=True,
        direct_children=True,
        doc="every page where the visitor is identified; never from a shared page cache",
    ),
    Tag(
        "cn_cart",
        "cart",
        "Current cart status",
        "first",
        CART,
        body_path="cart",
        page_key="cart",
        doc="every page while a cart exists, and after any change, including emptying it",
    ),
    Tag(
        "cn_purchase",
        "purchase",
        "Purchase completed",
        "all",
        PURCHASE,
        event_type="purchase",
        event_field="purchase",
        event_shape="nested",
        page_key="purchases",
        doc="the first view of the order confirmation page only",
    ),
    Tag(
        "cn_product_visited",
        "product-visited",
        "Contact has visited a product",
        "all",
        PRODUCT,
        event_type="product-visited",
        event_field="product",
        event_shape="nested",
        page_key="product_visited",
        doc="product detail page; one container per product",
    ),
    Tag(
        "cn_product_searched",
        "product-searched",
        "Contact has searched for a product",
        "all",
        PRODUCT,
        event_type="product-searched",
        event_field="product",
        event_shape="nested",
        page_key="product_searched",
        doc="search results page; one container per product listed",
    ),
    Tag(
        "cn_search",
        "search",
        "Search text",
        "first",
        SEARCH,
        event_type="search",
        event_field="searchText",
        event_shape="flat",
        page_key="search",
        shorthand="search_text",
        doc="search results page",
    ),
    Tag(
        "cn_login",
        "login",
        "Contact has logged in",
        "presence",
        event_type="login",
        page_key="login",
        needs_contact=True,
        doc="first page after a login, once; needs cn_client_info on the same page",
    ),
    Tag(
        "cn_register",
        "register",
        "Contact has registered",
        "presence",
        event_type="register",
        page_key="register",
        needs_contact=True,
        doc="first page after registration, once; needs cn_client_info on the same page",
    ),
    Tag(
        "cn_newsletter_subscribe",
        "newsletter-subscribe",
        "Newsletter subscription",
        "first",
        NEWSLETTER,
        event_type="newsletter-subscribe",
        event_field="email",
        event_shape="flat",
        page_key="newsletter_subscribe",
        shorthand="email",
        doc="page shown after the subscription form, once",
    ),
    Tag(
        "cn_page_category",
        "page-category",
        "Page category",
        "all",
        element="span",
        body_path="pageInfo.categories",
        value_is_text=True,
        max_items=10,
        levels=True,
        recommended=CATEGORY_PATTERN,
        page_key="page_categories",
        doc="one element per category path, e.g. /Shoes/Running",
    ),
    Tag(
        "cn_page_tag",
        "page-tag",
        "Page tag",
        "all",
        element="span",
        body_path="pageInfo.tags",
        value_is_text=True,
        max_items=10,
        max_length=25,
        page_key="page_tags",
        doc="one element per tag, at most 25 characters",
    ),
)

# JavaScript-only rows: sent by sendEvents, never written as a tag.
JS_ONLY: tuple[Tag, ...] = (
    Tag(
        "custom",
        "custom",
        "Custom integration event",
        "all",
        CUSTOM_EVENT,
        event_type="custom",
        event_shape="flat",
        page_key="custom_events",
        js_only=True,
        doc="events mode only: a custom integration event defined in Connectif",
    ),
)

# Every row a page document may hold, in the order of the page document and of rendering.
ENTRIES: tuple[Tag, ...] = (*TAGS, *JS_ONLY)

TAG_BY_NAME: MappingProxyType[str, Tag] = MappingProxyType({t.name: t for t in TAGS})
TAG_BY_SHORT: MappingProxyType[str, Tag] = MappingProxyType({t.short: t for t in TAGS})
ENTRY_BY_PAGE_KEY: MappingProxyType[str, Tag] = MappingProxyType({t.page_key: t for t in ENTRIES})
EVENT_TAGS: MappingProxyType[str, Tag] = MappingProxyType(
    {t.event_type: t for t in ENTRIES if t.event_type is not None}
)

# The rows the request body's top-level objects come from (docs/connectif.md#request-body).
CONTACT_TAG: Tag = TAG_BY_NAME["cn_client_info"]
CART_TAG: Tag = TAG_BY_NAME["cn_cart"]
PURCHASE_TAG: Tag = TAG_BY_NAME["cn_purchase"]
CUSTOM_TAG: Tag = JS_ONLY[0]
PAGE_INFO_TAGS: tuple[Tag, ...] = tuple(
    t for t in TAGS if t.body_path is not None and "." in t.body_path
)

# The client reads only the first instance of these containers
# (docs/connectif.md#lookup-first-instance).
FIRST_ONLY: frozenset[str] = frozenset(t.name for t in TAGS if t.instances == "first")

# Keys of the request body and of one sendEvents call (docs/connectif.md#request-body).
EVENTS_KEY = "events"
OPTIONS_KEY = "options"
EVENT_TYPE_KEY = "type"
PAGE_INFO_KEY = "pageInfo"

# The order the client collects events in, page-visit last (docs/connectif.md#event-order).
# Custom events come first, where the client puts the custom events it carries over.
EVENT_ORDER: tuple[str, ...] = (
    "custom",
    "product-visited",
    "product-searched",
    "product-not-found",
    "login",
    "register",
    "search",
    "newsletter-subscribe",
    "purchase",
    "page-visit",
)
PAGE_VISIT = EVENT_ORDER[-1]
EVENT_RANK: MappingProxyType[str, int] = MappingProxyType(
    {name: i for i, name in enumerate(EVENT_ORDER)}
)
# Every event type tagkit sends, in the client's order.
EVENT_TYPES: tuple[str, ...] = tuple(t for t in EVENT_ORDER if t in EVENT_TAGS or t == PAGE_VISIT)

# Recognised but never rendered (docs/connectif.md#tag-recognised-only).
RECOGNISED_ONLY: frozenset[str] = frozenset({"cn_product_not_found", "cn_banner_placeholder"})


# -- Connectif's REST API (docs/api-sync.md#fields) ------------------------------------------
# API data files use the tags' keys; these rows are the fields only the API carries. They are
# never part of a tag's rows, so rendering and parsing do not know them.
CONTACT_API_ONLY: tuple[Prop, ...] = (
    _p("_mobile_phone", "_mobilePhone", TEXT, read_by_client=False, doc="international format"),
    _p(
        "_mobile_phone_status",
        "_mobilePhoneStatus",
        ENUM,
        choices=("active", "bounced", "paused"),
        read_by_client=False,
    ),
    _p(
        "_sms_subscription_status",
        "_smsSubscriptionStatus",
        ENUM,
        choices=("subscribed", "unsubscribed", "none"),
        read_by_client=False,
    ),
    _p("_points", "_points", INT, read_by_client=False, doc="the contact's score"),
    _p("_external_id", "_externalId", TEXT, read_by_client=False, doc="the shop's contact id"),
)
# Every contact row an API data file may hold; primary_key goes in the request path.
CONTACT_API: tuple[Prop, ...] = (*CONTACT, *CONTACT_API_ONLY)
# The contact's email as an API field id: the key column of a contact import.
API_EMAIL_FIELD = "_email"

# Yes/no API fields are written true/false in data files (JSON booleans too).
BOOLEAN_CHOICES: tuple[str, ...] = ("true", "false")
PRODUCT_API_ONLY: tuple[Prop, ...] = (
    _p("in_stock_units", "inStockUnits", INT, read_by_client=False, doc="units in stock"),
    _p(
        "is_blacklisted",
        "isBlacklisted",
        ENUM,
        choices=BOOLEAN_CHOICES,
        read_by_client=False,
        doc="true keeps the product out of recommendations",
    ),
)
PRODUCT_API: tuple[Prop, ...] = (*PRODUCT, *PRODUCT_API_ONLY)

# A purchase sent through the API: the tag's rows the API's purchase carries (it has no sales
# channel fields), and lines without the catalogue-only product fields.
PURCHASE_API: tuple[Prop, ...] = tuple(
    p for p in PURCHASE if p.name not in ("source_name", "source_type")
)
PURCHASE_LINE_API: tuple[Prop, ...] = tuple(
    p
    for p in BASKET_ITEM
    if p.name not in ("availability", "priority", "related_external_product_id")
)
# A purchase record also holds its contact (an object whose primary_key is the email, or the
# email itself), sent as the contact's email.
PURCHASE_CONTACT_KEY: str = CONTACT_TAG.page_key
PURCHASE_CONTACT_API_KEY = "contactEmail"

# Values the API writes differently from the tags, by row name.
API_VALUES: MappingProxyType[str, MappingProxyType[str, object]] = MappingProxyType(
    {
        "availability": MappingProxyType({"InStock": "instock", "OutOfStock": "outofstock"}),
        "is_blacklisted": MappingProxyType({"true": True, "false": False}),
    }
)


def lookup_tag(name: str) -> Tag:
    """The tag called ``name``: its Connectif class (``cn_cart``) or short name (``cart``).

    >>> lookup_tag("cart").name
    'cn_cart'
    """
    tag = (TAG_BY_NAME.get(name) or TAG_BY_SHORT.get(name)) if isinstance(name, str) else None
    if tag is None:
        known = ", ".join(t.short for t in TAGS)
        raise UnknownTag(
            f"unknown tag {name!r}; expected a Connectif class like 'cn_cart' or one of: {known}"
        )
    return tag


__all__ = [
    "CLIENT_VERSION",
    "ENTRIES",
    "EVENT_ORDER",
    "EVENT_TYPES",
    "JS_ONLY",
    "PAGE_VISIT",
    "TAGS",
    "Kind",
    "Prop",
    "Tag",
    "lookup_tag",
]

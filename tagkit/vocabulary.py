"""Every Connectif tag, property, JS key, type and rule, as one declarative table.

This table is the only place a Connectif name is written. Models, templates, the parser, the
JSON Schema and the CLI listing are all derived from it: adding a property is one row here.
The table mirrors ``connectif-spec.md`` section 3 and ``connectif-vocabulary.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Literal

CLIENT_VERSION = "1.3.0"


class Kind(str, Enum):
    """The value types of the spec (section 3, "Types")."""

    STRING = "string"
    URL = "url"
    EMAIL = "email"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATETIME = "datetime"
    ENUM = "enum"
    OBJECT = "object"


@dataclass(frozen=True)
class Prop:
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

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.DECIMAL, Kind.INTEGER)


def _p(
    name: str,
    js_key: str,
    kind: Kind,
    *,
    required: bool = False,
    multiple: bool = False,
    choices: tuple[str, ...] = (),
    pattern: str | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    read_by_client: bool = True,
    obj: str | None = None,
    doc: str = "",
) -> Prop:
    # Every number in this spec is non-negative (D10) unless a row says otherwise.
    if kind in (Kind.DECIMAL, Kind.INTEGER) and minimum is None:
        minimum = 0
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
    )


TEXT, URL, EMAIL, DEC, INT, DATE, ENUM, OBJ = (
    Kind.STRING,
    Kind.URL,
    Kind.EMAIL,
    Kind.DECIMAL,
    Kind.INTEGER,
    Kind.DATETIME,
    Kind.ENUM,
    Kind.OBJECT,
)

CATEGORY_PATTERN = r"^/[^/]+(/[^/]+)*$"

# Spec 3.2. Order is the order tagkit emits: the required four first, as in the spec's shapes.
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
        pattern=CATEGORY_PATTERN,
        doc="full path, e.g. /Shoes/Running",
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

# Spec 3.7: a cart or purchase line is a product plus its quantity and line total.
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
        doc="24 hex characters; normally left to the client",
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

# Spec 3.1, D4: the class of a custom contact field is its field id.
CUSTOM_FIELD_PATTERN = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")
CUSTOM_FIELD_FORBIDDEN_PREFIX = "cn_"

SEARCH: tuple[Prop, ...] = (
    _p("search_text", "searchText", TEXT, required=True, doc="the text the visitor searched for"),
)

NEWSLETTER: tuple[Prop, ...] = (
    _p("email", "email", EMAIL, required=True, doc="the subscribed address"),
)

# Objects by name, as ``Prop.obj`` refers to them.
OBJECTS: MappingProxyType[str, tuple[Prop, ...]] = MappingProxyType(
    {"product": PRODUCT, "product_basket_item": BASKET_ITEM}
)

Instances = Literal["first", "all", "presence"]


@dataclass(frozen=True)
class Tag:
    """One Connectif tag: a container class, its properties and what the client makes of it."""

    name: str
    short: str
    title: str
    instances: Instances
    properties: tuple[Prop, ...] = ()
    element: Literal["div", "span"] = "div"
    event_type: str | None = None
    event_field: str | None = None
    body_path: str | None = None
    value_is_text: bool = False
    max_items: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    doc: str = ""
    prop_index: MappingProxyType[str, Prop] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = MappingProxyType({p.name: p for p in self.properties})
        object.__setattr__(self, "prop_index", index)

    @property
    def is_event(self) -> bool:
        return self.event_type is not None


TAGS: tuple[Tag, ...] = (
    Tag(
        "cn_client_info",
        "client-info",
        "Contact information",
        "first",
        CONTACT,
        body_path="entityInfo",
        doc="every page where the visitor is identified; never from a shared page cache",
    ),
    Tag(
        "cn_cart",
        "cart",
        "Current cart status",
        "first",
        CART,
        body_path="cart",
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
        doc="search results page",
    ),
    Tag(
        "cn_login",
        "login",
        "Contact has logged in",
        "presence",
        event_type="login",
        doc="first page after a login, once; needs cn_client_info on the same page",
    ),
    Tag(
        "cn_register",
        "register",
        "Contact has registered",
        "presence",
        event_type="register",
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
        pattern=CATEGORY_PATTERN,
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
        doc="one element per tag, at most 25 characters",
    ),
)

TAG_BY_NAME: MappingProxyType[str, Tag] = MappingProxyType({t.name: t for t in TAGS})
TAG_BY_SHORT: MappingProxyType[str, Tag] = MappingProxyType({t.short: t for t in TAGS})

# Spec 2.10: the client reads only the first instance of these containers.
FIRST_ONLY: frozenset[str] = frozenset(t.name for t in TAGS if t.instances == "first")

# Spec 4.5: the order the client collects events in, page-visit last.
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
PAGE_VISIT = "page-visit"
CUSTOM_EVENT = "custom"

# Spec 3.13: recognised but never rendered.
RECOGNISED_ONLY: frozenset[str] = frozenset({"cn_product_not_found", "cn_banner_placeholder"})


def lookup_tag(name: str) -> Tag:
    """The tag called ``name``: its Connectif class (``cn_cart``) or short name (``cart``).

    >>> lookup_tag("cart").name
    'cn_cart'
    """
    tag = TAG_BY_NAME.get(name) or TAG_BY_SHORT.get(name)
    if tag is None:
        known = ", ".join(t.short for t in TAGS)
        raise KeyError(
            f"unknown tag {name!r}; expected a Connectif class like 'cn_cart' or one of: {known}"
        )
    return tag

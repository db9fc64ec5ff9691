"""The request body Connectif's client builds from a page, computed without a browser.

This reproduces the client's reading (docs/connectif.md#lookup, docs/connectif.md#text-read,
docs/connectif.md#number-client-parse, docs/connectif.md#drop) on the tree a browser builds
(:mod:`tagkit._dom`), including what the shop did not mean: ``1.234,50`` is sent as 1.234, an
invalid product vanishes, a second ``cn_cart`` is ignored. It is the body of the first request
of a fresh visitor, without ``browserInfo`` (window and screen sizes, which only a browser
knows) and without ``pushSubscription`` (never present on a first visit). Text is read as
``textContent``: exact for hidden containers, which is how the client reads them
(docs/connectif.md#markup-hidden); a visible container is read through CSS in a browser, and the
linter warns about it.

>>> body = request_body(parse_document(
...     '<div class="cn_cart"><span class="cart_id">c-1</span>'
...     '<span class="total_quantity">1</span><span class="total_price">1.234,50</span></div>'))
>>> body["cart"]
{'cartId': 'c-1', 'totalQuantity': 1, 'totalPrice': 1.234, 'products': []}
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import vocabulary as vocab
from ._dom import JS_SPACE, Document, parse_document
from ._parse import contact_children
from .vocabulary import Kind, Prop, Tag

# parseFloat reads the longest prefix that is a StrDecimalLiteral; parseInt(text, 10) the longest
# run of digits (docs/connectif.md#number-client-parse).
_FLOAT_PREFIX = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_INT_PREFIX = re.compile(r"[+-]?[0-9]+")
# The client's tracker parameter (docs/connectif.md#request-client-storage).
TRACKER_PARAMETER = "__cn_tracker"
TRACKER_LENGTH = 24
TITLE_LENGTH = 50

# Request body keys the linter and the inspector name (docs/connectif.md#request-body).
BANNERS_KEY = "bannerPlaceholders"
TITLE_KEY = "title"
KEYWORDS_KEY = "keywords"
NOT_FOUND_EVENT = "product-not-found"
NOT_FOUND_TAG = next(name for name in vocab.RECOGNISED_ONLY if name.endswith("not_found"))
BANNER_TAG = next(name for name in vocab.RECOGNISED_ONLY if name != NOT_FOUND_TAG)

PRODUCT_PROPS = vocab.OBJECTS[vocab.PRODUCT_OBJECT]
LINE_PROPS = vocab.OBJECTS[vocab.LINE_OBJECT]
# The product id, the one property the client reads from a not-found tag
# (docs/connectif.md#tag-recognised-only): the required text property renamed in JS.
PRODUCT_ID = next(
    p for p in PRODUCT_PROPS if p.required and p.kind is Kind.STRING and p.js_key != p.name
)
# What the client needs to keep a record (docs/connectif.md#drop): the required properties,
# except a line's own quantity and price, which it sends without
# (docs/connectif.md#drop-basket-line-keys), and the newsletter's email, which it sends without
# (docs/connectif.md#drop-newsletter-email).
_PRODUCT_NAMES = frozenset(p.name for p in PRODUCT_PROPS)
NEWSLETTER_TAG = vocab.lookup_tag("newsletter-subscribe")


def client_required(tag_or_obj: Tag | None, prop: Prop) -> bool:
    """Whether the client drops the record when ``prop`` is missing or unreadable."""
    if not prop.required:
        return False
    if prop.name not in _PRODUCT_NAMES and any(prop is p for p in LINE_PROPS):
        return False
    return not (tag_or_obj is not None and tag_or_obj.name == NEWSLETTER_TAG.name)


def js_number(value: float) -> int | float | None:
    """A JavaScript number as ``JSON.stringify`` writes it: integral values without a fraction,
    NaN and infinities as null."""
    if math.isnan(value) or math.isinf(value):
        return None
    if value == int(value) and abs(value) < 1e21:
        return int(value)
    return value


def parse_float(text: str) -> float | None:
    """JavaScript's ``parseFloat``; ``None`` for NaN.

    >>> parse_float("1.234,50"), parse_float(" 10 €"), parse_float("€10"), parse_float("1e3")
    (1.234, 10.0, None, 1000.0)
    """
    match = _FLOAT_PREFIX.match(text.lstrip(JS_SPACE))
    if match is None:
        return None
    literal = match.group()
    if literal.lstrip("+-") == "Infinity":
        return -math.inf if literal.startswith("-") else math.inf
    return float(literal)


def parse_int(text: str) -> float | None:
    """JavaScript's ``parseInt(text, 10)``; ``None`` for NaN.

    >>> parse_int("2.5"), parse_int("1e3"), parse_int("x")
    (2.0, 1.0, None)
    """
    match = _INT_PREFIX.match(text.lstrip(JS_SPACE))
    if match is None:
        return None
    return float(int(match.group()))


def read_number(prop: Prop, text: str | None) -> float | None:
    """What the client makes of a numeric property's text; ``None`` when absent or NaN."""
    if text is None:
        return None
    return parse_float(text) if prop.kind is Kind.DECIMAL else parse_int(text)


def utf16_prefix(text: str, units: int) -> str:
    """``text.substring(0, units)`` in JavaScript (UTF-16 code units)."""
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) <= units * 2:
        return text
    return data[: units * 2].decode("utf-16-le", "surrogatepass")


def _single(doc: Document, root: int, name: str) -> str | None:
    found = doc.within(root, name)
    return doc.text(found[0]) if found else None


def read_record(doc: Document, root: int, props: tuple[Prop, ...]) -> dict[str, Any]:
    """The object the client builds from one container or line, before its validity check."""
    out: dict[str, Any] = {}
    for prop in props:
        if not prop.read_by_client:
            continue
        if prop.kind is Kind.OBJECT:
            lines = (read_line(doc, line) for line in doc.within(root, prop.name))
            out[prop.js_key] = [line for line in lines if line is not None]
        elif prop.multiple:
            texts = (doc.text(el) for el in doc.within(root, prop.name))
            out[prop.js_key] = [text for text in texts if text]
        elif prop.numeric:
            number = read_number(prop, _single(doc, root, prop.name))
            if number is not None:
                out[prop.js_key] = js_number(number)
        else:
            text = _single(doc, root, prop.name)
            if text is not None:
                out[prop.js_key] = text
    return out


def _number_or_nan(record: dict[str, Any], prop: Prop) -> bool:
    value = record.get(prop.js_key)
    return isinstance(value, (int, float)) and value >= 0


def kept(record: dict[str, Any], props: tuple[Prop, ...], owner: Tag | None = None) -> bool:
    """Whether the client keeps a record: its required text is non-empty and its required
    numbers parse to numbers >= 0 (docs/connectif.md#drop)."""
    for prop in props:
        if not client_required(owner, prop) or not prop.read_by_client:
            continue
        if prop.numeric:
            if not _number_or_nan(record, prop):
                return False
        elif not record.get(prop.js_key):
            return False
    return True


def read_product(doc: Document, root: int) -> dict[str, Any] | None:
    product = read_record(doc, root, PRODUCT_PROPS)
    return product if kept(product, PRODUCT_PROPS) else None


def read_line(doc: Document, root: int) -> dict[str, Any] | None:
    """A cart or purchase line; ``None`` when its product is invalid
    (docs/connectif.md#drop-product)."""
    line = read_record(doc, root, LINE_PROPS)
    return line if kept(line, LINE_PROPS) else None


def read_container(doc: Document, tag: Tag, root: int) -> dict[str, Any] | None:
    """The object of one container (cart, purchase, product), or ``None`` when dropped."""
    record = read_record(doc, root, tag.properties)
    return record if kept(record, tag.properties, tag) else None


def entity_info(doc: Document, url: str | None = None) -> dict[str, Any]:
    """The contact the client sends: the first ``cn_client_info``'s direct children keyed by
    their whole class attribute, then the tracker substitution of a fresh visitor
    (docs/connectif.md#event-client-substitutions)."""
    info: dict[str, Any] = {}
    containers = doc.with_class(vocab.CONTACT_TAG.name)
    if containers:
        keys = {p.name: p.js_key for p in vocab.CONTACT_TAG.properties}
        for key, child in contact_children(doc, containers[0]):
            js_key = keys.get(key, key)
            if js_key not in info:
                info[js_key] = doc.text(child)
    tracker_key = vocab.TRACKER_ID.js_key
    tracker = info.get(tracker_key) or _tracker_from_url(url)
    if tracker:
        info[tracker_key] = utf16_prefix(str(tracker), TRACKER_LENGTH)
    return info


def _tracker_from_url(url: str | None) -> str | None:
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get(TRACKER_PARAMETER)
    return values[0] if values else None


def _event(tag: Tag, payload: object) -> dict[str, Any]:
    event: dict[str, Any] = {vocab.EVENT_TYPE_KEY: tag.event_type}
    if tag.event_field is not None and payload is not None:
        event[tag.event_field] = payload
    return event


def read_events(doc: Document) -> list[dict[str, Any]]:
    """The events the client collects at start-up, in its order, page-visit last
    (docs/connectif.md#event-order)."""
    found: list[tuple[int, dict[str, Any]]] = []
    for tag in vocab.TAGS:
        if tag.event_type is None:
            continue
        rank = vocab.EVENT_RANK[tag.event_type]
        containers = doc.with_class(tag.name)
        if not containers:
            continue
        if tag.instances == "presence":
            found.append((rank, _event(tag, None)))
        elif tag.event_shape == "flat":
            # One property, read from the first instance (search, newsletter-subscribe).
            (prop,) = tag.properties
            text = _single(doc, containers[0], prop.name)
            if text or not client_required(tag, prop):
                found.append((rank, _event(tag, text)))
        else:
            for root in containers if tag.instances == "all" else containers[:1]:
                record = read_container(doc, tag, root)
                if record is not None:
                    found.append((rank, _event(tag, record)))
    rank = vocab.EVENT_RANK[NOT_FOUND_EVENT]
    for root in doc.with_class(NOT_FOUND_TAG):
        product_id = _single(doc, root, PRODUCT_ID.name)
        if product_id:
            found.append(
                (rank, {vocab.EVENT_TYPE_KEY: NOT_FOUND_EVENT, PRODUCT_ID.js_key: product_id})
            )
    found.sort(key=lambda pair: pair[0])
    return [event for _, event in found] + [{vocab.EVENT_TYPE_KEY: vocab.PAGE_VISIT}]


def title(doc: Document) -> str:
    """``document.title``: the first ``<title>``'s text, whitespace stripped and collapsed."""
    element = doc.first("title")
    if element is None:
        return ""
    text = "".join(str(s) for s in element.find_all(string=True, recursive=False))
    return " ".join(re.split(r"[\t\n\f\r ]+", text)).strip(" ")


def keywords(doc: Document) -> list[str]:
    """``<meta name="keywords">`` content split on commas, untrimmed
    (docs/connectif.md#page-info-keywords); ``[]`` without one."""
    for element in doc.elements:
        attribute = element.attrs.get("name")  # not a Connectif name: the meta attribute
        if element.name == "meta" and attribute == KEYWORDS_KEY:
            return str(element.attrs.get("content") or "").split(",")
    return []


def page_info(doc: Document) -> dict[str, Any]:
    """``pageInfo``: page categories and tags after the client's limits, title, keywords
    (docs/connectif.md#page-info)."""
    info: dict[str, Any] = {}
    for tag in vocab.PAGE_INFO_TAGS:
        assert tag.body_path is not None
        texts = (doc.text(el) for el in doc.with_class(tag.name))
        if tag.max_length is not None:
            texts = (utf16_prefix(text, tag.max_length) for text in texts)
        values = [text for text in texts if text]
        if tag.max_items is not None:
            values = values[: tag.max_items]
        info[tag.body_path.partition(".")[2]] = values
    info[TITLE_KEY] = utf16_prefix(title(doc), TITLE_LENGTH)
    info[KEYWORDS_KEY] = keywords(doc)
    return info


def banner_placeholders(doc: Document) -> list[str]:
    ids = (doc.elements[el].attrs.get("id") for el in doc.with_class(BANNER_TAG))
    return [str(value) for value in ids if value]


def request_body(doc: Document, url: str | None = None) -> dict[str, Any]:
    """The body of the client's first request for this page (docs/connectif.md#request-body),
    without ``browserInfo``. ``url`` is the page's address (a ``__cn_tracker`` parameter
    there becomes the tracker id)."""
    body: dict[str, Any] = {vocab.CONTACT_TAG.body_path or "": entity_info(doc, url)}
    carts = doc.with_class(vocab.CART_TAG.name)
    if carts:
        cart = read_container(doc, vocab.CART_TAG, carts[0])
        if cart is not None:
            body[vocab.CART_TAG.body_path or ""] = cart
    body[vocab.EVENTS_KEY] = read_events(doc)
    body[BANNERS_KEY] = banner_placeholders(doc)
    body[vocab.PAGE_INFO_KEY] = page_info(doc)
    return body


def inspect_html(html: str | bytes, url: str | None = None) -> dict[str, Any]:
    """:func:`request_body` of a page's HTML."""
    return request_body(parse_document(html), url)


__all__ = [
    "BANNERS_KEY",
    "KEYWORDS_KEY",
    "TITLE_KEY",
    "client_required",
    "entity_info",
    "inspect_html",
    "js_number",
    "kept",
    "page_info",
    "parse_float",
    "parse_int",
    "read_container",
    "read_events",
    "read_line",
    "read_number",
    "read_record",
    "request_body",
    "utf16_prefix",
]

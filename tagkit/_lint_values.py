"""The value rules: what the client drops or misreads in each container (docs/connectif.md#drop).

Each container is read as the client reads it (:mod:`tagkit._request`); a value the client would
send differently from what the shop wrote, or a record it would drop, is a finding at the
element that carries it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from . import vocabulary as vocab
from ._findings import Finding
from ._lint_context import PageContext
from ._request import (
    LINE_PROPS,
    PRODUCT_PROPS,
    client_required,
    js_number,
    kept,
    read_number,
    read_record,
)
from ._values import (
    DECIMAL_TEXT,
    INTEGER_TEXT,
    MAX_SAFE_INTEGER,
    RFC3339,
    Invalid,
    normalise_email,
    normalise_url,
    utf16_length,
)
from .vocabulary import Kind, Prop, Tag

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENCODED_URL = re.compile(r"^https?%3a", re.IGNORECASE)
_DECIMAL_FORM = (
    "a number like 180.75 (digits and one dot; no thousands separator, currency, sign or exponent)"
)
_INTEGER_FORM = "a whole number like 3 (digits only)"
# What a container holds, as the messages say it.
GOODS = "product"  # not a Connectif name: the owner of a product container
_DROP_CODE = {"cart": "TK213", "purchase": "TK215", GOODS: "TK201", "line": "TK201"}


def _shown(number: float | None) -> str:
    if number is None:
        return "no number (NaN)"
    value = js_number(number)
    return "null" if value is None else repr(value)


def _form(prop: Prop) -> str:
    return _INTEGER_FORM if prop.kind is Kind.INTEGER else _DECIMAL_FORM


class RecordCheck:
    """The findings of one container or line, and why the client would drop it."""

    def __init__(self, ctx: PageContext, path: str) -> None:
        self.ctx = ctx
        self.path = path
        self.findings: list[Finding] = []
        self.reasons: list[str] = []

    def add(self, code: str, element: int | None, message: str) -> None:
        self.findings.append(self.ctx.finding(code, element, message))

    def number(self, prop: Prop, text: str, element: int, *, owner: str, required: bool) -> None:
        field = f"{self.path}.{prop.name}"
        value = read_number(prop, text)
        if value is None or (required and value < 0):
            if required and owner in _DROP_CODE:
                self.reasons.append(f"{prop.name} {text!r} is not {_form(prop)}")
            elif owner == "line":
                self.add(
                    "TK204",
                    element,
                    f"{field} is {text!r}, which the client cannot read as a number: it sends "
                    f"the line without {prop.name}. Write {_form(prop)}.",
                )
            else:
                self.add(
                    "TK203",
                    element,
                    f"{field} is {text!r}, which the client cannot read as a number: it leaves "
                    f"{prop.js_key} out. Write {_form(prop)}.",
                )
            return
        pattern = INTEGER_TEXT if prop.kind is Kind.INTEGER else DECIMAL_TEXT
        if not pattern.match(text):
            self.add(
                "TK202",
                element,
                f"{field} is {text!r}; the client reads it as {_shown(value)}. Write "
                f"{_form(prop)}.",
            )
            return
        number = Decimal(text)
        if number > MAX_SAFE_INTEGER:
            self.add(
                "TK202",
                element,
                f"{field} is {text!r}, above {MAX_SAFE_INTEGER}: the client's JavaScript sends "
                f"{_shown(value)}. Write a smaller number.",
            )
        elif (prop.minimum is not None and number < prop.minimum) or (
            prop.maximum is not None and number > prop.maximum
        ):
            span = (
                f"between {prop.minimum} and {prop.maximum}"
                if prop.maximum is not None
                else f"at least {prop.minimum}"
            )
            self.add(
                "TK205",
                element,
                f"{field} is {text!r}; it must be {span}. The client sends it as it is.",
            )

    def text(self, prop: Prop, text: str, element: int) -> None:
        field = f"{self.path}.{prop.name}"
        if prop.kind is Kind.URL:
            try:
                normalise_url(text)
            except Invalid as exc:
                self.add("TK211", element, f"{field} {exc}; the client sends it as it is.")
                return
            if _ENCODED_URL.match(text):
                self.add(
                    "TK211",
                    element,
                    f"{field} is percent-encoded as a whole, got {text!r}; write the URL itself "
                    "like 'https://shop.example/p/1'.",
                )
        elif prop.kind is Kind.EMAIL:
            try:
                normalise_email(text)
            except Invalid as exc:
                self.add("TK221", element, f"{field} {exc}; the client sends it as it is.")
        elif prop.kind is Kind.DATETIME:
            if not RFC3339.match(text):
                self.add(
                    "TK218",
                    element,
                    f"{field} must be an ISO 8601 date and time with an offset like "
                    f"'2024-05-01T10:20:00Z', got {text!r}; the client sends it as it is.",
                )
        elif prop.kind is Kind.ENUM and text not in prop.choices:
            listed = ", ".join(repr(c) for c in prop.choices)
            if text.lower() in (c.lower() for c in prop.choices):
                self.add("TK207", element, f"{field} is {text!r}; write it as one of {listed}.")
            else:
                self.add(
                    "TK206",
                    element,
                    f"{field} must be one of {listed}, got {text!r}; the client sends it as it is.",
                )
        bad = _CONTROL.search(text)
        if bad:
            self.add(
                "TK222",
                element,
                f"{field} contains the control character {bad.group()!r}; remove it (only tab, "
                f"line feed and carriage return are text), got {text!r}.",
            )
        if prop.pattern is not None and not re.match(prop.pattern, text):
            self.add("TK306", element, f"{field} must be {prop.pattern_hint}, got {text!r}.")
        if prop.recommended is not None and not re.match(prop.recommended, text):
            self.add("TK208", element, f"{field} is best {prop.pattern_hint}, got {text!r}.")


def _has_child_elements(ctx: PageContext, element: int) -> bool:
    return ctx.doc.ends[element] > element


def check_record(
    ctx: PageContext, root: int, props: tuple[Prop, ...], path: str, owner: str
) -> tuple[RecordCheck, dict[str, object]]:
    """Check one container or line whose properties are ``props``; ``owner`` names what it is
    (``cart``, ``purchase``, ``product``, ``line``, ``search``, ``newsletter``)."""
    doc = ctx.doc
    check = RecordCheck(ctx, path)
    record = read_record(doc, root, props)
    owner_tag = vocab.lookup_tag("newsletter-subscribe") if owner == "newsletter" else None
    for prop in props:
        found = doc.within(root, prop.name)
        if prop.kind is Kind.OBJECT:
            for i, line in enumerate(found):
                line_path = f"{path}.{prop.name}[{i}]"
                line_check, _ = check_record(ctx, line, LINE_PROPS, line_path, "line")
                check.findings.extend(line_check.findings)
                if line_check.reasons:
                    _dropped(line_check, "TK201", line, _REQUIRED_WORDS["line"])
                    check.findings.append(line_check.findings[-1])
            continue
        required = client_required(owner_tag, prop)
        if not found:
            if required:
                check.reasons.append(f"{prop.name} is missing")
            elif prop.required and owner == "line":
                check.add(
                    "TK204",
                    root,
                    f"{path} has no {prop.name} element: the client sends the line without "
                    f'{prop.js_key}. Add <span class="{prop.name}">.',
                )
            continue
        if not prop.read_by_client and any(doc.text(el) for el in found):
            check.add(
                "TK111",
                found[0],
                f"{path}.{prop.name} is not read by client {vocab.CLIENT_VERSION}; keep it for "
                "newer clients, or remove it.",
            )
        for element in found:
            if _has_child_elements(ctx, element):
                check.add(
                    "TK108",
                    element,
                    f"{path}.{prop.name} contains elements; the client concatenates their text "
                    "and may pick up classes inside. Put plain text in it.",
                )
        if prop.multiple:
            for i, element in enumerate(found):
                text = doc.text(element)
                if not text:
                    check.add(
                        "TK212",
                        element,
                        f"{path}.{prop.name}[{i}] is empty; the client drops it. Remove the "
                        "element.",
                    )
                else:
                    check.text(prop, text, element)
            continue
        for extra in found[1:]:
            check.add(
                "TK107",
                extra,
                f"{path}.{prop.name} appears {len(found)} times; the client reads only the first, "
                f"{doc.text(found[0])!r}. Keep one element.",
            )
        element = found[0]
        text = doc.text(element)
        if not text:
            if required:
                check.reasons.append(f"{prop.name} is empty")
            continue
        if prop.numeric:
            check.number(prop, text, element, owner=owner, required=required)
        else:
            check.text(prop, text, element)
    return check, record


def _dropped(check: RecordCheck, code: str, root: int, what: str) -> None:
    reasons = "; ".join(check.reasons)
    check.add(code, root, f"{check.path} is dropped by the client: {reasons}. {what}")


def _records(ctx: PageContext) -> Iterator[Finding]:
    doc = ctx.doc
    for tag in vocab.TAGS:
        if tag.instances == "presence" or tag.value_is_text or tag.direct_children:
            continue
        containers = doc.with_class(tag.name)
        if tag.instances == "first":
            containers = containers[:1]
        for i, root in enumerate(containers):
            path = tag.name if tag.instances == "first" else f"{tag.name}[{i}]"
            yield from _container(ctx, tag, root, path)


def _owner(tag: Tag) -> str:
    if tag is vocab.CART_TAG:
        return "cart"
    if tag is vocab.PURCHASE_TAG:
        return "purchase"
    if tag.properties == PRODUCT_PROPS:
        return GOODS
    if tag.name == vocab.lookup_tag("newsletter-subscribe").name:
        return "newsletter"
    return "search"


_REQUIRED_WORDS = {
    GOODS: "A product needs name, url, product_id and a unit_price like 49.90.",
    "line": "A line needs name, url, product_id and a unit_price like 49.90; the client "
    "drops the whole line otherwise.",
    "cart": "A cart needs a non-empty cart_id and total_quantity and total_price like 0.",
    "purchase": "A purchase needs a non-empty purchase_id, total_quantity and total_price.",
}


def _container(ctx: PageContext, tag: Tag, root: int, path: str) -> Iterator[Finding]:
    owner = _owner(tag)
    check, record = check_record(ctx, root, tag.properties, path, owner)
    yield from check.findings
    if owner == "search":
        if check.reasons:
            (prop,) = tag.properties
            yield ctx.finding(
                "TK219",
                root,
                f"{path}.{prop.name} is missing or empty: the client sends no search event. "
                f'Put the searched text in <span class="{prop.name}">.',
            )
        return
    if owner == "newsletter":
        (prop,) = tag.properties
        if not any(ctx.doc.text(el) for el in ctx.doc.within(root, prop.name)):
            yield ctx.finding(
                "TK220",
                root,
                f"{path}.{prop.name} is missing or empty: the client sends the subscription "
                f'without an address. Add <span class="{prop.name}">ana@shop.example</span>.',
            )
        return
    if check.reasons:
        fixed = RecordCheck(ctx, path)
        fixed.reasons = check.reasons
        _dropped(fixed, _DROP_CODE[owner], root, _REQUIRED_WORDS[owner])
        yield from fixed.findings
        return
    if owner == "cart":
        yield from _cart_totals(ctx, root, path, record)
    if owner == "purchase":
        lines = ctx.doc.within(root, vocab.LINES.name)
        if not lines:
            yield ctx.finding(
                "TK216",
                root,
                f"{path} has no product_basket_item lines; add one per product bought.",
            )
        cart_ids = ctx.doc.within(root, vocab.CART_ID.name)
        if not cart_ids or not ctx.doc.text(cart_ids[0]):
            yield ctx.finding(
                "TK217",
                root,
                f"{path} has no cart_id; add the cart_id of the {vocab.CART_TAG.name} to mark "
                "that cart as bought.",
            )


def _cart_totals(
    ctx: PageContext, root: int, path: str, record: dict[str, object]
) -> Iterator[Finding]:
    lines = record.get(vocab.LINES.js_key)
    total = record.get(vocab.TOTAL_QUANTITY.js_key)
    if not isinstance(lines, list) or not isinstance(total, int):
        return
    quantities = [line.get(vocab.LINE_QUANTITY.js_key) for line in lines if isinstance(line, dict)]
    if not lines or not all(isinstance(q, int) for q in quantities):
        return
    counted = sum(q for q in quantities if isinstance(q, int))
    if counted != total:
        found = ctx.doc.within(root, vocab.TOTAL_QUANTITY.name)
        yield ctx.finding(
            "TK214",
            found[0] if found else root,
            f"{path}.total_quantity is {total} but its lines add up to {counted}; the client "
            "sends both as they are. Make the total the sum of the line quantities.",
        )


# -- the contact -----------------------------------------------------------------------------


def _contact(ctx: PageContext) -> Iterator[Finding]:
    doc = ctx.doc
    containers = doc.with_class(vocab.CONTACT_TAG.name)
    if not containers:
        return
    root = containers[0]
    path = vocab.CONTACT_TAG.name
    props = vocab.CONTACT_TAG.prop_index
    check = RecordCheck(ctx, path)
    seen: set[str] = set()
    direct = set(doc.children(root))
    for child in doc.children(root):
        value = doc.elements[child].attrs.get("class")
        tokens = doc.classes(child)
        if not value or not str(value).strip():
            check.add(
                "TK303",
                child,
                f"a child of {path} has no class; the client ignores it, got "
                f"{doc.text(child)!r}. Give it exactly one class, e.g. {vocab.PRIMARY_KEY.name}.",
            )
            continue
        key = str(value)
        if len(tokens) != 1 or key != tokens[0]:
            known = [t for t in tokens if t in props]
            lost = f": its {known[0]} is lost" if known else ""
            check.add(
                "TK302",
                child,
                f"{path} child has class {key!r}; the client uses the whole attribute as the "
                f"key{lost}. Give it exactly one class.",
            )
            continue
        if key in seen:
            check.add(
                "TK107",
                child,
                f"{path}.{key} appears more than once; the client reads only the first.",
            )
            continue
        seen.add(key)
        prop = props.get(key)
        if prop is None:
            continue
        text = doc.text(child)
        if _has_child_elements(ctx, child):
            check.add(
                "TK108",
                child,
                f"{path}.{key} contains elements; the client concatenates their text. Put plain "
                "text in it.",
            )
        if not text:
            if prop is vocab.PRIMARY_KEY:
                check.add(
                    "TK304",
                    child,
                    f"{path}.{key} is empty; the client sends an empty primary key, whose effect "
                    "is unknown. Remove the element for an anonymous visitor.",
                )
            continue
        if prop is vocab.TRACKER_ID and utf16_length(text) > 24:
            check.add(
                "TK306",
                child,
                f"{path}.{key} has {utf16_length(text)} characters; the client cuts it to 24, "
                f"got {text!r}.",
            )
            continue
        check.text(prop, text, child)
    names = set(props)
    for element in range(root + 1, doc.ends[root] + 1):
        if element in direct:
            continue
        inner = [t for t in doc.classes(element) if t in names]
        if inner:
            check.add(
                "TK301",
                element,
                f"{path}.{inner[0]} is not a direct child of {path}; the client reads direct "
                "children only and ignores it. Move it out of its wrapper.",
            )
    yield from check.findings


# -- page information ------------------------------------------------------------------------


def _page_info(ctx: PageContext) -> Iterator[Finding]:
    doc = ctx.doc
    for tag in vocab.PAGE_INFO_TAGS:
        elements = doc.with_class(tag.name)
        kept_count = 0
        for i, element in enumerate(elements):
            text = doc.text(element)
            path = f"{tag.name}[{i}]"
            if not text:
                yield ctx.finding(
                    "TK212", element, f"{path} is empty; the client drops it. Remove it."
                )
                continue
            kept_count += 1
            if tag.max_items is not None and kept_count == tag.max_items + 1:
                yield ctx.finding(
                    "TK209",
                    element,
                    f"{tag.name} has more than {tag.max_items} values; the client keeps the "
                    f"first {tag.max_items} and drops this one, {text!r}, and any after it.",
                )
            if tag.max_length is not None and utf16_length(text) > tag.max_length:
                yield ctx.finding(
                    "TK210",
                    element,
                    f"{path} is longer than {tag.max_length} characters; the client cuts it "
                    f"to {text[: tag.max_length]!r}, got {text!r}.",
                )
            if tag.recommended is not None and not re.match(tag.recommended, text):
                yield ctx.finding(
                    "TK208", element, f"{path} is best {vocab.CATEGORY_HINT}, got {text!r}."
                )
            bad = _CONTROL.search(text)
            if bad:
                yield ctx.finding(
                    "TK222",
                    element,
                    f"{path} contains the control character {bad.group()!r}, got {text!r}.",
                )


def _purchase_cart(ctx: PageContext) -> Iterator[Finding]:
    """A purchase page renders the emptied cart (docs/connectif.md#tag-purchase)."""
    doc = ctx.doc
    purchases = doc.with_class(vocab.PURCHASE_TAG.name)
    if not purchases:
        return
    carts = doc.with_class(vocab.CART_TAG.name)
    cart_name = vocab.CART_TAG.name
    if not carts:
        yield ctx.finding(
            "TK401",
            purchases[0],
            f"the page has a {vocab.PURCHASE_TAG.name} but no {cart_name}: Connectif keeps the "
            f"bought cart and may run abandoned-cart flows. Add the emptied {cart_name} "
            "(its cart_id, total_quantity 0, total_price 0, no lines).",
        )
        return
    cart = read_record(doc, carts[0], vocab.CART_TAG.properties)
    if not kept(cart, vocab.CART_TAG.properties, vocab.CART_TAG):
        return  # TK213 says why
    lines = cart.get(vocab.LINES.js_key)
    if (
        cart.get(vocab.TOTAL_QUANTITY.js_key) != 0
        or cart.get(vocab.TOTAL_PRICE.js_key) != 0
        or (isinstance(lines, list) and lines)
    ):
        yield ctx.finding(
            "TK401",
            carts[0],
            f"the {cart_name} on this purchase page is not empty; after a purchase render it with "
            "total_quantity 0, total_price 0 and no lines.",
        )


CHECKS: tuple[Callable[[PageContext], Iterable[Finding]], ...] = (
    _records,
    _contact,
    _page_info,
    _purchase_cart,
)

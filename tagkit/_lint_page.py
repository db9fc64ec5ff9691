"""The page rules: loaders, containers and class names (docs/connectif.md#drop-checklist)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

from . import vocabulary as vocab
from ._dom import HTML_NAMESPACE, Document, ascii_lower
from ._findings import Finding
from ._lint_context import PageContext
from ._request import LINE_PROPS, TITLE_LENGTH, read_container, title
from ._values import close_match, utf16_length

TAG_NAMES = frozenset(t.name for t in vocab.TAGS)
KNOWN_CLASSES = TAG_NAMES | vocab.RECOGNISED_ONLY
# Elements a browser never renders: what is inside them is read as textContent.
_NOT_RENDERED = frozenset(
    {"head", "script", "style", "template", "title", "noscript", "meta", "link", "datalist"}
)
_CN_PREFIX = re.compile(r"^cn[_-](?!_)")
_TYPO_CUTOFF = 0.8


# -- loaders ---------------------------------------------------------------------------------


def _loaders(ctx: PageContext) -> Iterator[Finding]:
    loaders = ctx.loaders
    if not loaders:
        tagged = any(ctx.doc.with_class(name) for name in TAG_NAMES)
        effect = (
            "its tags are never sent"
            if tagged
            else "the visit is not tracked (every page needs one)"
        )
        yield ctx.finding(
            "TK101",
            None,
            f"the page has no Connectif loader: the client never runs and {effect}. Add the "
            "loader first in <body> (tagkit loader --store-id ID --region REGION).",
        )
        return
    first = loaders[0]
    for loader in loaders[1:]:
        stores = {first.store_id, loader.store_id}
        detail = (
            f"for another store ({loader.store_id} after {first.store_id})"
            if len(stores) > 1
            else "for the same store"
        )
        yield ctx.finding(
            "TK102",
            loader.element,
            f"a second Connectif loader ({loader.kind}) {detail}: the client is loaded twice "
            "or for the wrong store. Keep exactly one loader per page.",
        )
    for loader in loaders:
        if loader.kind == "legacy":
            yield ctx.finding(
                "TK103",
                loader.element,
                "legacy PrestaShop loader (window._cnid): it works, but the client ignores its "
                "queue. Replace it with the current snippet (tagkit loader).",
            )


# -- containers ------------------------------------------------------------------------------


def _display_none(style: str) -> bool:
    display = None
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip().lower() == "display":
            display = value.replace("!important", "").strip().lower()
    return display == "none"


def is_hidden(doc: Document, index: int) -> bool:
    """Whether the element is not rendered: it or an ancestor has ``display:none`` inline or the
    ``hidden`` attribute, or sits in an element a browser never renders."""
    for i in (index, *doc.ancestors(index)):
        tag = doc.elements[i]
        if tag.name in _NOT_RENDERED and tag.namespace in (None, HTML_NAMESPACE):
            return True
        hidden = tag.attrs.get("hidden")
        if hidden is not None and str(hidden).strip().lower() != "until-found":
            return True
        style = tag.attrs.get("style")
        if isinstance(style, str) and _display_none(style):
            return True
    return False


def _containers(ctx: PageContext) -> Iterator[Finding]:
    doc = ctx.doc
    for tag in vocab.TAGS:
        elements = doc.with_class(tag.name)
        for element in elements:
            if not is_hidden(doc, element):
                yield ctx.finding(
                    "TK104",
                    element,
                    f"{tag.name} is visible: shoppers see it, and the client reads its text "
                    "through CSS (innerText), which can differ from the markup. Add "
                    'style="display:none" or the hidden attribute.',
                )
            outer = next(
                (a for a in doc.ancestors(element) if any(n in TAG_NAMES for n in doc.classes(a))),
                None,
            )
            if outer is not None:
                outer_name = next(n for n in doc.classes(outer) if n in TAG_NAMES)
                yield ctx.finding(
                    "TK105",
                    element,
                    f"{tag.name} is inside {outer_name}: the outer container's lookups, which go "
                    "to any depth, see its values. Move it out.",
                )
        if tag.instances == "first":
            for element in elements[1:]:
                yield ctx.finding(
                    "TK106",
                    element,
                    f"a second {tag.name}: the client reads only the first one on the page and "
                    "ignores this one. Keep one.",
                )


@functools.cache
def _close(token: str, known: frozenset[str]) -> str | None:
    return close_match(token, sorted(known), cutoff=_TYPO_CUTOFF)


def _property_names(tag: vocab.Tag) -> frozenset[str]:
    names = {p.name for p in tag.properties}
    if any(p.kind is vocab.Kind.OBJECT for p in tag.properties):
        names |= {p.name for p in LINE_PROPS}
    return frozenset(names)


def _typos(ctx: PageContext) -> Iterator[Finding]:
    doc = ctx.doc
    for token, elements in doc.by_class.items():
        if token in KNOWN_CLASSES or not _CN_PREFIX.match(ascii_lower(token)):
            continue
        lower = ascii_lower(token)
        guess = lower if lower in KNOWN_CLASSES else _close(lower, KNOWN_CLASSES)
        if guess is None:
            continue
        for element in elements:
            shown = next((t for t in doc.classes(element) if ascii_lower(t) == lower), token)
            yield ctx.finding(
                "TK110",
                element,
                f"class {shown!r} is no Connectif tag; did you mean {guess!r}? The client "
                "ignores this element and everything in it.",
            )
    for tag in vocab.TAGS:
        if not tag.properties:
            continue
        known = _property_names(tag)
        for root in doc.with_class(tag.name):
            if tag.direct_children:
                inside: Iterable[int] = doc.children(root)
            else:
                inside = range(root + 1, doc.ends[root] + 1)
            for element in inside:
                for token in doc.classes(element):
                    if token in known or token in KNOWN_CLASSES:
                        continue
                    guess = _close(token, known)
                    if guess is not None:
                        yield ctx.finding(
                            "TK109",
                            element,
                            f"class {token!r} inside {tag.name} is not one of its properties; "
                            f"did you mean {guess!r}? The client ignores it.",
                        )


# -- the page ---------------------------------------------------------------------------------


def _title(ctx: PageContext) -> Iterator[Finding]:
    text = title(ctx.doc)
    if utf16_length(text) > TITLE_LENGTH:
        element = ctx.doc.first("title")
        index = ctx.doc.index_of(element) if element is not None else None
        yield ctx.finding(
            "TK112",
            index,
            f"the title has {utf16_length(text)} characters; the client sends the first "
            f"{TITLE_LENGTH}: {text[:TITLE_LENGTH]!r}.",
        )


def _recognised_only(ctx: PageContext) -> Iterator[Finding]:
    for name in sorted(vocab.RECOGNISED_ONLY):
        for element in ctx.doc.with_class(name):
            yield ctx.finding(
                "TK113",
                element,
                f"{name} is read by the client but undocumented or legacy; tagkit never "
                "renders it.",
            )


def _primary_key(doc: Document) -> str:
    containers = doc.with_class(vocab.CONTACT_TAG.name)
    if not containers:
        return ""
    for child in doc.children(containers[0]):
        if doc.elements[child].attrs.get("class") == vocab.PRIMARY_KEY.name:
            return doc.text(child)
    return ""


def _markers(ctx: PageContext) -> Iterator[Finding]:
    doc = ctx.doc
    markers = [t for t in vocab.TAGS if t.needs_contact and doc.with_class(t.name)]
    if not markers or _primary_key(doc):
        return
    for tag in markers:
        yield ctx.finding(
            "TK305",
            doc.with_class(tag.name)[0],
            f"{tag.name} without a {vocab.PRIMARY_KEY.name} in {vocab.CONTACT_TAG.name} on the "
            f"page: the {tag.event_type} event is tied to no email. Render the contact block "
            "on the same page.",
        )


def _public_cache(cache_control: str) -> bool:
    directives = {d.strip().split("=")[0].strip().lower() for d in cache_control.split(",")}
    shared = "public" in directives or "s-maxage" in directives
    return shared and not directives & {"private", "no-store"}


def _personal_data(ctx: PageContext) -> Iterator[Finding]:
    """Personal data in a response a shared cache may keep (docs/connectif.md#contact-private)."""
    cache_control = ctx.headers.get("cache-control", "")
    if not cache_control or not _public_cache(cache_control):
        return
    doc = ctx.doc
    where = f"the response is served with Cache-Control: {cache_control!r}"
    if _primary_key(doc):
        yield ctx.finding(
            "TK402",
            doc.with_class(vocab.CONTACT_TAG.name)[0],
            f"{vocab.CONTACT_TAG.name} holds a visitor's email and {where}: a shared cache "
            "serves it to other visitors. Send Cache-Control: private, or render the contact in "
            "a private fragment or in JavaScript.",
        )
    carts = doc.with_class(vocab.CART_TAG.name)
    if carts:
        cart = read_container(doc, vocab.CART_TAG, carts[0])
        lines = cart.get(vocab.LINES.js_key) if cart else None
        if cart is not None and (lines or cart.get(vocab.TOTAL_QUANTITY.js_key)):
            yield ctx.finding(
                "TK402",
                carts[0],
                f"{vocab.CART_TAG.name} holds a visitor's cart and {where}: a shared cache "
                "serves it to other visitors. Send Cache-Control: private, or send the cart "
                "in JavaScript.",
            )


CHECKS: tuple[Callable[[PageContext], Iterable[Finding]], ...] = (
    _loaders,
    _containers,
    _typos,
    _title,
    _recognised_only,
    _markers,
    _personal_data,
)

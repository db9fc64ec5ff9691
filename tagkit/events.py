"""Connectif JavaScript event calls: one ``<script>`` per moment, one ``sendEvents`` call.

Build events with the helpers (:func:`product_visited`, :func:`search`, :func:`login`,
:func:`custom` …) or from page-document data with :func:`event`, then render them:

>>> html = render_events([search("red shoe")], page_visit=True, render_id="demo")
>>> '{"events":[{"searchText":"red shoe","type":"search"},{"type":"page-visit"}]' in html
True

The script waits for Connectif's client (docs/connectif.md#wait-readiness), sends exactly once even
when the same rendered script is included twice, and builds fresh payload objects for every call
(the client writes ``trackerId`` into ``entityInfo``). Every value reaches the script through
:mod:`tagkit.jsonsafe`. ``inline=False`` writes a JSON island instead, sent by the shipped
``tagkit-events.js`` (no inline code, for a strict Content-Security-Policy).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring as json_string

from markupsafe import Markup

from . import _pagefast
from . import vocabulary as vocab
from ._csp import check_nonce
from ._env import filler
from ._input import validate
from ._model import Cart, Contact, CustomEvent, Record, event_js, record_type
from ._page import Page
from ._render import render_tags
from ._values import did_you_mean, quoted
from .errors import ConfigError, Problem, ValidationError
from .jsonsafe import _escape as _escape_json
from .jsonsafe import compact, script_json, script_json_text

PAGE_VISIT = vocab.PAGE_VISIT
CUSTOM_EVENT = vocab.CUSTOM_TAG.event_type
# Every event type tagkit sends, in the client's order.
EVENT_TYPES = vocab.EVENT_TYPES
# The browser files a site serves, in static/, which ``tagkit static`` copies: the runner of
# the no-inline mode, and the AJAX cart kit.
RUNTIME_FILES: tuple[str, ...] = ("tagkit-events.js", "tagkit-cart.js")

_RENDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Event:
    """One browsing event of a ``sendEvents`` call: its Connectif ``type`` and its model.

    Build it with the helpers below or :func:`event`; ``to_js()`` is the object the client
    builds from the matching tag (docs/connectif.md#event-types).
    """

    type: str
    data: Record | None = None

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise ValidationError([Problem("type", _unknown_type(self.type))])
        tag = vocab.EVENT_TAGS.get(self.type)
        carries = tag is not None and tag.event_shape != "bare"
        if not carries:
            if self.data is not None:
                raise TypeError(f"a {self.type!r} event carries no data, got {self.data!r}")
            return
        assert tag is not None
        expected = record_type(tag.properties)
        if type(self.data) is not expected:
            raise TypeError(
                f"a {self.type!r} event needs a {expected.__name__}, got {self.data!r}; "
                f"build it with tagkit.events.event({self.type!r}, data)"
            )

    def to_js(self) -> dict[str, object]:
        """The event object for ``sendEvents``.

        >>> event("search", "red shoe").to_js()
        {'type': 'search', 'searchText': 'red shoe'}
        """
        tag = vocab.EVENT_TAGS.get(self.type)
        if tag is None:
            return {vocab.EVENT_TYPE_KEY: self.type}
        return event_js(tag, self.data)


def _unknown_type(name: object) -> str:
    hint = did_you_mean(str(name), EVENT_TYPES)
    return (
        f"is not an event type tagkit renders; {hint}known: {', '.join(EVENT_TYPES)}, "
        f"got {quoted(name)}"
    )


def needs_data(event_type: str) -> bool:
    """Whether events of this type carry data (``login``, ``register``, ``page-visit`` don't)."""
    tag = vocab.EVENT_TAGS.get(event_type)
    return tag is not None and tag.event_shape != "bare"


def event(event_type: str, data: object = None, *, path: str | None = None) -> Event:
    """An event from its Connectif type and its data in the page-document shape.

    ``data`` is a model or the mapping it is built from, through the same input path as
    ``render_tag`` and page documents: a product for ``product-visited`` / ``product-searched``,
    a purchase, ``{"search_text": ...}`` (or the text), ``{"email": ...}`` (or the address),
    ``{"event_id": ..., "payload": {...}}`` for ``custom``; nothing (or true) for ``login``,
    ``register`` and ``page-visit``. Problems are named under ``path`` (default: the page
    document's key, as in a page).

    >>> event("newsletter-subscribe", "ana@shop.example").to_js()
    {'type': 'newsletter-subscribe', 'email': 'ana@shop.example'}
    """
    if event_type not in EVENT_TYPES:
        raise ValidationError([Problem(path or "type", _unknown_type(event_type))])
    tag = vocab.EVENT_TAGS.get(event_type)
    if tag is None:  # page-visit: no tag, no data
        if data is not None and data is not True:
            raise ValidationError(
                [
                    Problem(
                        path or event_type,
                        f"takes no data (the event is only its type), got {quoted(data)}",
                    )
                ]
            )
        return Event(event_type)
    if tag.event_shape == "bare":
        if validate(tag, True if data is None else data, path=path) is not True:
            raise ValidationError(
                [Problem(path or tag.page_key, "must be true: false sends no event; leave it out")]
            )
        return Event(event_type)
    if tag.multiple and isinstance(data, (list, tuple)):
        raise ValidationError(
            [
                Problem(
                    path or tag.page_key,
                    f"an event carries one {tag.title.lower()}; call event() once per item, "
                    f"got a list of {len(data)}",
                )
            ]
        )
    value = validate(tag, data, path=path)
    record = value[0] if isinstance(value, tuple) else value
    assert isinstance(record, Record)
    return Event(event_type, record)


def product_visited(product: Record | Mapping[str, object]) -> Event:
    """The visitor viewed a product's detail page (``cn_product_visited``)."""
    return event("product-visited", product)


def product_searched(product: Record | Mapping[str, object]) -> Event:
    """A product listed on a search results page (``cn_product_searched``); one per product."""
    return event("product-searched", product)


def search(text: str | Record | Mapping[str, object]) -> Event:
    """The text the visitor searched for (``cn_search``)."""
    return event("search", text)


def login() -> Event:
    """The visitor logged in; render it with ``contact=`` carrying ``primary_key``."""
    return event("login")


def register() -> Event:
    """The visitor registered; render it with ``contact=`` carrying ``primary_key``."""
    return event("register")


def newsletter_subscribe(email: str | Record | Mapping[str, object]) -> Event:
    """The visitor subscribed to the newsletter with ``email``."""
    return event("newsletter-subscribe", email)


def purchase(order: Record | Mapping[str, object]) -> Event:
    """A completed purchase; render it on the first view of the confirmation page only."""
    return event("purchase", order)


def custom(event_id: str, payload: Mapping[str, object] | None = None) -> Event:
    """A custom integration event: its Connectif id and a flat payload
    (docs/connectif.md#event-custom).

    >>> custom("64a1f0c2e4b0a1b2c3d4e5f6", {"size": 42}).to_js()["payload"]
    {'size': 42}
    """
    event_id_row, payload_row = vocab.CUSTOM_TAG.properties
    return event("custom", {event_id_row.name: event_id, payload_row.name: payload})


def page_events(page: Page) -> tuple[Event, ...]:
    """The events of a page document (custom events included, page-visit not), in the
    client's order (docs/connectif.md#event-order)."""
    events: list[Event] = []
    for key, value in page._values.items():  # only the rows the page holds
        tag = _EVENT_ROWS.get(key)
        if tag is None:
            continue
        event_type = tag.event_type or ""
        if value is True:
            events.append(Event(event_type))
        elif isinstance(value, tuple):
            events.extend(Event(event_type, record) for record in value)
        elif isinstance(value, Record):
            events.append(Event(event_type, value))
    return tuple(_ordered(events))


# The rows that are events, by page-document key.
_EVENT_ROWS = {tag.page_key: tag for tag in vocab.ENTRIES if tag.event_type is not None}


def _ordered(events: Iterable[Event]) -> list[Event]:
    # Stable: events of one type keep the caller's order.
    return sorted(events, key=lambda e: vocab.EVENT_RANK[e.type])


def _option(tag: vocab.Tag, data: object, problems: list[Problem]) -> Record | None:
    if data is None:
        return None
    try:
        value = validate(tag, data)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return None
    assert isinstance(value, Record)
    return value


_Call = tuple[list["Event"], Record | None, Record | None]


def events_payload(
    events: Iterable[Event | CustomEvent] = (),
    *,
    contact: Contact | Mapping[str, object] | None = None,
    cart: Cart | Mapping[str, object] | None = None,
    page_visit: bool = False,
) -> dict[str, object]:
    """The arguments of one ``sendEvents`` call: ``{"events": [...], "options": {...}}``.

    Events are put in the client's order, ``page-visit`` last (docs/connectif.md#event-order).
    ``contact`` becomes ``options.entityInfo`` and ``cart`` ``options.cart``; ``login`` and
    ``register`` need a contact with ``primary_key`` (docs/connectif.md#tag-login-register).
    Useful to call ``sendEvents`` from your own code.

    >>> events_payload([search("red shoe")], contact={"primary_key": "ana@shop.example"})["events"]
    [{'type': 'search', 'searchText': 'red shoe'}]
    """
    ordered, people, basket = _call(events, contact, cart, page_visit)
    options: dict[str, object] = {}
    for tag, record in ((vocab.CONTACT_TAG, people), (vocab.CART_TAG, basket)):
        if record is not None:
            options[tag.body_path or ""] = record.to_js()
    return {vocab.EVENTS_KEY: [e.to_js() for e in ordered], vocab.OPTIONS_KEY: options}


def _call(
    events: Iterable[Event | CustomEvent],
    contact: Record | Mapping[str, object] | None,
    cart: Record | Mapping[str, object] | None,
    page_visit: bool,
) -> _Call:
    """One sendEvents call, checked: its events in the client's order, its contact and cart."""
    problems: list[Problem] = []
    if not isinstance(page_visit, bool):
        raise ValidationError(
            [Problem("page_visit", f"must be true or false, got {quoted(page_visit)}")]
        )
    items: list[Event] = []
    for i, item in enumerate(events):
        if isinstance(item, CustomEvent):
            items.append(Event(vocab.CUSTOM_TAG.event_type or "", item))
        elif isinstance(item, Event):
            items.append(item)
        else:
            raise TypeError(
                f"events[{i}] must be a tagkit.events.Event, got {quoted(item)}; build it with "
                "event(type, data) or a helper like product_visited(product)"
            )
    people = _option(vocab.CONTACT_TAG, contact, problems)
    basket = _option(vocab.CART_TAG, cart, problems)
    visits = sum(1 for e in items if e.type == PAGE_VISIT) + int(page_visit)
    if visits > 1:
        problems.append(
            Problem(
                vocab.EVENTS_KEY,
                f"may hold one {PAGE_VISIT!r}, sent last in the first call of a page view "
                f"(docs/connectif.md#event-page-visit); got {visits}",
            )
        )
    needing = sorted(
        {e.type for e in items if (t := vocab.EVENT_TAGS.get(e.type)) and t.needs_contact}
    )
    contact_key = vocab.CONTACT_TAG.page_key
    has_key = isinstance(people, Contact) and vocab.PRIMARY_KEY.name in people.values
    if needing and not has_key and not any(p.path.startswith(contact_key) for p in problems):
        what = " and ".join(repr(t) for t in needing)
        where = contact_key if people is None else f"{contact_key}.{vocab.PRIMARY_KEY.name}"
        problems.append(
            Problem(
                where,
                f"is required with a {what} event: the client takes the email only from "
                f"{vocab.CONTACT_TAG.body_path}.{vocab.PRIMARY_KEY.js_key} "
                "(docs/connectif.md#tag-login-register); pass the contact, like "
                f"{{{vocab.PRIMARY_KEY.name!r}: 'ana@shop.example'}}",
            )
        )
    if problems:
        raise ValidationError(problems)
    ordered = _ordered(e for e in items if e.type != PAGE_VISIT)
    if visits:
        ordered.append(Event(PAGE_VISIT))
    return ordered, people, basket


def _key(name: str) -> str:
    return json_string(name) + ":"


_OPTIONS = sorted((tag.body_path or "", tag) for tag in (vocab.CONTACT_TAG, vocab.CART_TAG))


def _record_json(record: Record) -> str:
    found = record._json
    return found if found is not None else compact(record.to_js())


def _event_json(event: Event) -> str:
    tag = vocab.EVENT_TAGS.get(event.type)
    record = event.data
    if record is None:  # page-visit, login, register: the type alone
        return "".join(("{", _TYPE, json_string(event.type), "}"))
    if tag is not None and tag.event_shape == "nested" and record is not None:
        members = sorted(
            [
                (tag.event_field or "", _record_json(record)),
                (vocab.EVENT_TYPE_KEY, json_string(event.type)),
            ]
        )
        # One join: a record's JSON can be a page long, and each + would copy it.
        return "".join(
            ("{", _key(members[0][0]), members[0][1], ",", _key(members[1][0]), members[1][1], "}")
        )
    return compact(event.to_js())


def _payload_json(call: _Call) -> str:
    """The JSON text of :func:`events_payload`'s value, exactly as :func:`tagkit.jsonsafe.compact`
    writes it, assembled from the JSON each record brought from the fast path."""
    ordered, people, basket = call
    found = {
        tag.page_key: record
        for tag, record in ((vocab.CONTACT_TAG, people), (vocab.CART_TAG, basket))
    }
    options = [
        _key(path) + _record_json(record)
        for path, tag in _OPTIONS
        if (record := found[tag.page_key]) is not None
    ]
    events = ",".join([_event_json(e) for e in ordered])
    return "".join(("{", _EVENTS, "[", events, "],", _OPTIONS_KEY, "{", ",".join(options), "}}"))


_EVENTS = _key(vocab.EVENTS_KEY)
_TYPE = _key(vocab.EVENT_TYPE_KEY)
_OPTIONS_KEY = _key(vocab.OPTIONS_KEY)


def new_render_id() -> str:
    """A fresh id for one rendered script: two renders never share one, so both send."""
    return secrets.token_urlsafe(12)


def _check_render_id(render_id: str | None) -> str:
    if render_id is None:
        return new_render_id()
    if not isinstance(render_id, str) or not _RENDER_ID.fullmatch(render_id):
        raise ConfigError(
            "render_id must be 1 to 64 letters, digits, '-' or '_' (leave it out to get a fresh "
            f"random id), got {quoted(render_id)}"
        )
    return render_id


def render_payload(
    payload: Mapping[str, object],
    *,
    nonce: str | None = None,
    inline: bool = True,
    render_id: str | None = None,
) -> Markup:
    """The script (or JSON island) for a payload from :func:`events_payload`."""
    return _script(script_json(payload), nonce=nonce, inline=inline, render_id=render_id)


def _script(
    payload_json: Markup, *, nonce: str | None, inline: bool, render_id: str | None
) -> Markup:
    """The script (or JSON island) around ``payload_json``, after checking the nonce and the
    render id."""
    check_nonce(nonce)
    rid = _check_render_id(render_id)
    return Markup(_checked_script(payload_json, nonce, inline, rid))  # noqa: S704


def _checked_script(payload_json: str, nonce: str | None, inline: bool, rid: str) -> str:
    """The script's text, from a checked nonce and render id. The render id is letters,
    digits, '-' and '_', so its JSON string is the id between quotes and its attribute text is
    the id; a nonce holds only base64 characters, which HTML escaping leaves unchanged."""
    if nonce is None:
        return _FILLERS[inline, False](payload_json, f'"{rid}"' if inline else rid)
    return _FILLERS[inline, True](payload_json, f'"{rid}"' if inline else rid, nonce)


class _Fillers(dict[tuple[bool, bool], Callable[..., str]]):
    """The script templates' fillers by (inline, with a nonce), made on first use."""

    def __missing__(self, key: tuple[bool, bool]) -> Callable[..., str]:
        inline, with_nonce = key
        name = "events.html.j2" if inline else "events-island.html.j2"
        holes = ("payload_json", "id_json" if inline else "id")
        made = filler(name, (*holes, "nonce")) if with_nonce else filler(name, holes, nonce=None)
        self[key] = made
        return made


_FILLERS = _Fillers()


def render_events(
    events: Iterable[Event | CustomEvent] = (),
    *,
    contact: Contact | Mapping[str, object] | None = None,
    cart: Cart | Mapping[str, object] | None = None,
    page_visit: bool = False,
    nonce: str | None = None,
    inline: bool = True,
    render_id: str | None = None,
) -> Markup:
    """One ``<script>`` that sends ``events`` (and contact, cart) in one ``sendEvents`` call.

    ``page_visit=True`` ends the call with ``page-visit``: do it in the first call of each page
    view in JS mode, never in tag mode (docs/connectif.md#event-page-visit).
    ``render_events(cart=cart)`` alone is the cart notification ``sendEvents([], {cart})``.
    ``nonce`` is the page's CSP nonce. ``inline=False`` writes a
    ``<script type="application/json" data-tagkit-events>`` island instead, sent by
    ``tagkit-events.js``. ``render_id`` fixes the script's id (tests, reproducible builds); by
    default every render gets a new one, so a single-page app that renders the same events again
    sends them again, while one rendered script included twice sends once.

    >>> "connectif.managed.initialized" in render_events([login()],
    ...     contact={"primary_key": "ana@shop.example"})
    True
    """
    check_nonce(nonce)
    _check_render_id(render_id)
    payload = _payload_json(_call(events, contact, cart, page_visit))
    return _script(script_json_text(payload), nonce=nonce, inline=inline, render_id=render_id)


def render_page_events(
    page: Page | Mapping[str, object],
    *,
    nonce: str | None = None,
    inline: bool = True,
    hidden: bool = False,
    render_id: str | None = None,
) -> Markup:
    """A page document in JS mode: one script sending all its events, then its page tags.

    The script carries the contact as ``entityInfo``, the cart as ``cart``, the custom events
    and the page's events in the client's order and ``page-visit`` last. Page categories and
    tags follow as ``cn_page_category`` / ``cn_page_tag`` elements, because the client reads
    page information only from the DOM (docs/connectif.md#page-info-from-dom).

    >>> island, tags = render_page_events({"page_tags": ["sale"]}, inline=False).splitlines()
    >>> island.endswith('>{"events":[{"type":"page-visit"}],"options":{}}</script>')
    True
    >>> print(tags)
    <span class="cn_page_tag" style="display:none">sale</span>
    """
    check_nonce(nonce)
    rid = _check_render_id(render_id)
    if type(page) is dict and type(hidden) is bool:
        # The common page document takes the compiled page path; anything else, or any
        # problem, the general one, which reports it.
        fast = _pagefast.render_events(page, hidden)
        if fast is not None:
            payload, tags = fast
            script = _checked_script(_escape_json(payload), nonce, inline, rid)
            return Markup(f"{script}\n{tags}" if tags else script)  # noqa: S704
    built = page if isinstance(page, Page) else Page._for_events(page)
    call = _call(page_events(built), built.get(vocab.CONTACT_TAG), built.get(vocab.CART_TAG), True)
    script = _checked_script(script_json_text(_payload_json(call)), nonce, inline, rid)
    info = render_tags(built, vocab.PAGE_INFO_TAGS, hidden=hidden)
    # Both are markup already: joined as text, marked once.
    return Markup(f"{script}\n{info}" if info else script)  # noqa: S704


__all__ = [
    "EVENT_TYPES",
    "PAGE_VISIT",
    "CustomEvent",
    "Event",
    "custom",
    "event",
    "events_payload",
    "login",
    "newsletter_subscribe",
    "product_searched",
    "product_visited",
    "purchase",
    "register",
    "render_events",
    "render_page_events",
    "render_payload",
    "search",
]

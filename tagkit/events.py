"""Connectif JavaScript event calls: one ``<script>`` per moment, one ``sendEvents`` call.

Build events with the helpers (:func:`product_visited`, :func:`search`, :func:`login`,
:func:`custom` …) or from page-document data with :func:`event`, then render them:

>>> html = render_events([search("red shoe")], page_visit=True, render_id="demo")
>>> '{"events":[{"searchText":"red shoe","type":"search"},{"type":"page-visit"}]' in html
True

The script waits for Connectif's client (spec 4.3, D12), sends exactly once even when the same
rendered script is included twice, and builds fresh payload objects for every call (the client
writes ``trackerId`` into ``entityInfo``). Every value reaches the script through
:mod:`tagkit.jsonsafe`. ``inline=False`` writes a JSON island instead, sent by the shipped
``tagkit-events.js`` (no inline code, for a strict Content-Security-Policy).
"""

from __future__ import annotations

import difflib
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import ClassVar

from markupsafe import Markup

from . import vocabulary as vocab
from ._values import (
    Invalid,
    normalise_datetime,
    normalise_decimal,
    normalise_integer,
    normalise_text,
    to_text,
)
from .csp import check_nonce
from .errors import ConfigError, Problem, ValidationError
from .jsonsafe import script_json
from .model import PAGE_KEYS, RECORD_FOR_TAG, Cart, Contact, Page, Record
from .render import render_tags, render_template
from .vocabulary import Tag

# Every browsing event tagkit renders, by its Connectif ``type``, from the one vocabulary table.
EVENT_TAGS: Mapping[str, Tag] = MappingProxyType(
    {t.event_type: t for t in vocab.TAGS if t.event_type is not None}
)
# Login and register are the presence markers; JS calls must carry entityInfo.primaryKey (D3).
NEEDS_CONTACT: frozenset[str] = frozenset(
    t.event_type for t in vocab.TAGS if t.event_type is not None and t.instances == "presence"
)
EVENT_TYPES: tuple[str, ...] = tuple(
    t for t in vocab.EVENT_ORDER if t in EVENT_TAGS or t in (vocab.CUSTOM_EVENT, vocab.PAGE_VISIT)
)
# The sendEvents options (spec 4.4) are the request keys the contact and cart tags fill.
ENTITY_INFO = vocab.TAG_BY_NAME["cn_client_info"].body_path or ""
CART_OPTION = vocab.TAG_BY_NAME["cn_cart"].body_path or ""
PAGE_VISIT = vocab.PAGE_VISIT
CUSTOM_EVENT = vocab.CUSTOM_EVENT
# The page-document key for custom events (JS only, spec 4.5).
CUSTOM_EVENTS_KEY = "custom_events"
# The shipped runner of the no-inline mode, in static/; ``tagkit static`` copies it.
RUNTIME_FILES: tuple[str, ...] = ("tagkit-events.js",)
# Tags that carry page information: read from the DOM by every request, never a JS option.
PAGE_INFO_TAGS: frozenset[str] = frozenset(
    t.name for t in vocab.TAGS if t.body_path and t.body_path.startswith("pageInfo.")
)

_TAG_KEY = {tag_name: key for key, tag_name in PAGE_KEYS.items()}
_RENDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# -- custom events (spec 4.5) -----------------------------------------------------------------

CustomScalar = str | bool | int | Decimal


def _payload_value(raw: object) -> CustomScalar | None:
    """One custom-event payload value: text, number (2.6), true/false, or a date as text."""
    if raw is None:
        return None  # D8: absent
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return normalise_integer(raw)
    if isinstance(raw, (float, Decimal)):
        return normalise_decimal(raw)
    if isinstance(raw, (datetime, date)):
        return to_text(normalise_datetime(raw))
    if isinstance(raw, str):
        return normalise_text(raw)
    if isinstance(raw, Mapping):
        raise Invalid(
            "is a nested object; a custom event payload is flat: field id -> text, number, "
            f"true/false or date (spec 4.5), got {raw!r}"
        )
    if isinstance(raw, (list, tuple, set, frozenset)):
        raise Invalid(
            "is a list; lists are not accepted in a custom event payload until a list-typed "
            f"field is confirmed (spec 4.5): send one value, got {raw!r}"
        )
    raise Invalid(f"must be text, a number, true/false or a date, got {raw!r}")


@dataclass(frozen=True, init=False)
class CustomEvent:
    """A custom integration event (spec 4.5): the event's Connectif id and a flat payload.

    >>> CustomEvent("64a1f0c2e4b0a1b2c3d4e5f6", {"size": 42, "gift": True}).to_js()
    {'type': 'custom', 'eventId': '64a1f0c2e4b0a1b2c3d4e5f6', 'payload': {'size': 42, 'gift': True}}
    """

    event_id: str
    payload: Mapping[str, CustomScalar]

    LABEL: ClassVar[str] = "custom_event"
    TYPE: ClassVar[str] = vocab.CUSTOM_EVENT
    # The JS keys of a custom event (spec 4.5); the data keys are tagkit's snake_case.
    KEYS: ClassVar[Mapping[str, str]] = MappingProxyType(
        {"event_id": "eventId", "payload": "payload"}
    )

    def __init__(self, event_id: str, payload: Mapping[str, object] | None = None) -> None:
        problems: list[Problem] = []
        values = self._validate({"event_id": event_id, "payload": payload}, self.LABEL, problems)
        if problems or values is None:
            raise ValidationError(problems)
        object.__setattr__(self, "event_id", values[0])
        object.__setattr__(self, "payload", values[1])

    @classmethod
    def from_dict(cls, data: object, *, path: str | None = None) -> CustomEvent:
        """Build from ``{"event_id": ..., "payload": {...}}``, naming problems under ``path``.

        >>> CustomEvent.from_dict({"event_id": "e-1"}).payload
        mappingproxy({})
        """
        problems: list[Problem] = []
        built = cls._build(data, cls.LABEL if path is None else path, problems)
        if problems or built is None:
            raise ValidationError(problems)
        return built

    @classmethod
    def _build(cls, data: object, path: str, problems: list[Problem]) -> CustomEvent | None:
        if isinstance(data, CustomEvent):
            return data
        if not isinstance(data, Mapping):
            problems.append(
                Problem(
                    path,
                    f"must be an object like {{'event_id': ..., 'payload': {{}}}}, got {data!r}",
                )
            )
            return None
        values = cls._validate(data, path, problems)
        if values is None:
            return None
        event = cls.__new__(cls)
        object.__setattr__(event, "event_id", values[0])
        object.__setattr__(event, "payload", values[1])
        return event

    @classmethod
    def _validate(
        cls, data: Mapping[str, object], path: str, problems: list[Problem]
    ) -> tuple[str, Mapping[str, CustomScalar]] | None:
        before = len(problems)
        unknown = [key for key in data if key not in cls.KEYS]
        for key in unknown:
            problems.append(Problem(f"{path}.{key}", _unknown_custom_key(key)))
        if unknown and data.get("event_id") is None:
            return None  # "eventId" / "evnt_id": the hint above says it all
        event_id = cls._event_id(data.get("event_id"), f"{path}.event_id", problems)
        payload = cls._payload(data.get("payload"), f"{path}.payload", problems)
        if len(problems) > before or event_id is None:
            return None
        return event_id, payload

    @staticmethod
    def _event_id(raw: object, path: str, problems: list[Problem]) -> str | None:
        form = (
            "the id of the custom integration event defined in Connectif, "
            "like '64a1f0c2e4b0a1b2c3d4e5f6'"
        )
        if raw is None:
            problems.append(Problem(path, f"is required: {form}"))
            return None
        try:
            text = normalise_text(raw, what=f"text: {form}")
        except Invalid as exc:
            problems.append(Problem(path, str(exc)))
            return None
        if not text or not isinstance(raw, str):
            problems.append(Problem(path, f"must be non-empty text: {form}, got {raw!r}"))
            return None
        return text

    @staticmethod
    def _payload(raw: object, path: str, problems: list[Problem]) -> Mapping[str, CustomScalar]:
        values: dict[str, CustomScalar] = {}
        if raw is None:
            return MappingProxyType(values)
        if not isinstance(raw, Mapping):
            problems.append(
                Problem(
                    path,
                    f"must be an object of field id -> value, like {{'size': 42}}, got {raw!r}",
                )
            )
            return MappingProxyType(values)
        for key, item in raw.items():
            if not isinstance(key, str) or not key or key != key.strip():
                problems.append(
                    Problem(
                        path,
                        f"field ids must be non-empty text without surrounding spaces, got {key!r}",
                    )
                )
                continue
            try:
                value = _payload_value(item)
            except Invalid as exc:
                problems.append(Problem(f"{path}.{key}", str(exc)))
                continue
            if value is not None:
                values[key] = value
        return MappingProxyType(values)

    def __hash__(self) -> int:
        return hash((self.event_id, tuple(sorted(self.payload.items()))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CustomEvent):
            return NotImplemented
        return self.event_id == other.event_id and dict(self.payload) == dict(other.payload)

    def to_dict(self) -> dict[str, object]:
        """The data form; ``CustomEvent.from_dict(e.to_dict()) == e``. Numbers stay numbers
        (``Decimal`` keeps its scale): in a payload, ``"19.90"`` is text, not a number."""
        return {"event_id": self.event_id, "payload": dict(self.payload)}

    def to_js(self) -> dict[str, object]:
        """The event object for ``sendEvents`` (spec 4.5)."""
        return {
            "type": self.TYPE,
            self.KEYS["event_id"]: self.event_id,
            self.KEYS["payload"]: dict(self.payload),
        }


def _unknown_custom_key(key: str) -> str:
    by_js = {js: data for data, js in CustomEvent.KEYS.items() if js != data}
    if key in by_js:
        return f"is the JS key; write {by_js[key]!r} instead"
    close = difflib.get_close_matches(key, list(CustomEvent.KEYS), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"is not a key of a custom event; {hint}known: {', '.join(CustomEvent.KEYS)}"


def page_custom_events(raw: object, *, path: str = CUSTOM_EVENTS_KEY) -> tuple[CustomEvent, ...]:
    """Validate a page document's ``custom_events`` list; problems name ``custom_events[i]``.

    >>> page_custom_events([{"event_id": "e-1", "payload": {"size": 42}}])[0].payload["size"]
    42
    """
    if raw is None:
        return ()
    if not isinstance(raw, (list, tuple)):
        raise ValidationError([Problem(path, f"must be a list of custom events, got {raw!r}")])
    problems: list[Problem] = []
    built = [CustomEvent._build(item, f"{path}[{i}]", problems) for i, item in enumerate(raw)]
    if problems:
        raise ValidationError(problems)
    return tuple(e for e in built if e is not None)


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One browsing event of a ``sendEvents`` call: its Connectif ``type`` and its model.

    Build it with the helpers below or :func:`event`; ``to_js()`` is the object the client
    builds from the matching tag (spec 4.5, 4.6).
    """

    type: str
    data: Record | CustomEvent | None = None

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise ValidationError([Problem("type", _unknown_type(self.type))])
        expected = _data_type(self.type)
        if expected is None:
            if self.data is not None:
                raise TypeError(f"a {self.type!r} event carries no data, got {self.data!r}")
        elif not isinstance(self.data, expected):
            raise TypeError(
                f"a {self.type!r} event needs a {expected.__name__}, got {self.data!r}; "
                f"build it with tagkit.events.event({self.type!r}, data)"
            )

    def to_js(self) -> dict[str, object]:
        """The event object for ``sendEvents``.

        >>> event("search", "red shoe").to_js()
        {'type': 'search', 'searchText': 'red shoe'}
        """
        if isinstance(self.data, CustomEvent):
            return self.data.to_js()
        out: dict[str, object] = {"type": self.type}
        if self.data is None:
            return out
        tag = EVENT_TAGS[self.type]
        assert tag.event_field is not None
        js = self.data.to_js()
        # Scalar events (search, newsletter-subscribe) carry their one value directly.
        out[tag.event_field] = js[tag.properties[0].js_key] if len(tag.properties) == 1 else js
        return out


def _unknown_type(name: object) -> str:
    close = difflib.get_close_matches(str(name), EVENT_TYPES, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (
        f"is not an event type tagkit renders; {hint}known: {', '.join(EVENT_TYPES)}, got {name!r}"
    )


def _data_type(event_type: str) -> type[Record] | type[CustomEvent] | None:
    if event_type == vocab.CUSTOM_EVENT:
        return CustomEvent
    tag = EVENT_TAGS.get(event_type)
    if tag is None or tag.instances == "presence":
        return None
    return RECORD_FOR_TAG[tag.name]


def needs_data(event_type: str) -> bool:
    """Whether events of this type carry data (``login``, ``register``, ``page-visit`` don't)."""
    return _data_type(event_type) is not None


def event(event_type: str, data: object = None, *, path: str | None = None) -> Event:
    """An event from its Connectif type and its data in the page-document shape.

    ``data`` is a model or the mapping it is built from: a product for ``product-visited`` /
    ``product-searched``, a purchase, ``{"search_text": ...}`` (or the text), ``{"email": ...}``
    (or the address), ``{"event_id": ..., "payload": {...}}`` for ``custom``; nothing for
    ``login``, ``register`` and ``page-visit``. Problems are named under ``path``.

    >>> event("newsletter-subscribe", "ana@shop.example").to_js()
    {'type': 'newsletter-subscribe', 'email': 'ana@shop.example'}
    """
    if event_type not in EVENT_TYPES:
        raise ValidationError([Problem(path or "type", _unknown_type(event_type))])
    expected = _data_type(event_type)
    if expected is None:
        if data not in (None, True, {}):
            where = path or event_type
            raise ValidationError(
                [Problem(where, f"takes no data (the event is only its type), got {data!r}")]
            )
        return Event(event_type)
    if expected is CustomEvent:
        return Event(event_type, CustomEvent.from_dict(data, path=path))
    assert issubclass(expected, Record)
    if isinstance(data, expected):
        return Event(event_type, data)
    tag = EVENT_TAGS[event_type]
    if isinstance(data, str) and len(tag.properties) == 1:
        data = {tag.properties[0].name: data}  # "red shoe" -> {"search_text": "red shoe"}
    return Event(event_type, expected.from_dict(data, path=path))


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
    """The visitor logged in; render it with ``contact=`` carrying ``primary_key`` (D3)."""
    return event("login")


def register() -> Event:
    """The visitor registered; render it with ``contact=`` carrying ``primary_key`` (D3)."""
    return event("register")


def newsletter_subscribe(email: str | Record | Mapping[str, object]) -> Event:
    """The visitor subscribed to the newsletter with ``email``."""
    return event("newsletter-subscribe", email)


def purchase(order: Record | Mapping[str, object]) -> Event:
    """A completed purchase; render it on the first view of the confirmation page only."""
    return event("purchase", order)


def custom(event_id: str, payload: Mapping[str, object] | None = None) -> Event:
    """A custom integration event (spec 4.5): its Connectif id and a flat payload.

    >>> custom("64a1f0c2e4b0a1b2c3d4e5f6", {"size": 42}).to_js()["payload"]
    {'size': 42}
    """
    return Event(vocab.CUSTOM_EVENT, CustomEvent(event_id, payload))


# Import-time check that every helper's type is in the vocabulary table.
assert {"product-visited", "product-searched", "search", "login", "register"} <= set(EVENT_TAGS)
assert {"newsletter-subscribe", "purchase"} <= set(EVENT_TAGS)


def page_events(page: Page) -> tuple[Event, ...]:
    """The events of a page document (without custom events and page-visit), in spec 4.5 order."""
    events: list[Event] = []
    for event_type, tag in EVENT_TAGS.items():
        if tag.instances == "presence":
            if getattr(page, _TAG_KEY[tag.name]):
                events.append(Event(event_type))
            continue
        events.extend(Event(event_type, record) for record in page.records(tag.name))
    return tuple(_ordered(events))


def _ordered(events: Iterable[Event]) -> list[Event]:
    # Stable: events of one type keep the caller's order.
    return sorted(events, key=lambda e: vocab.EVENT_ORDER.index(e.type))


def _coerce(
    kind: type[Contact] | type[Cart], data: object, path: str, problems: list[Problem]
) -> Contact | Cart | None:
    if data is None or isinstance(data, kind):
        return data
    try:
        return kind.from_dict(data, path=path)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return None


def events_payload(
    events: Iterable[Event | CustomEvent] = (),
    *,
    contact: Contact | Mapping[str, object] | None = None,
    cart: Cart | Mapping[str, object] | None = None,
    page_visit: bool = False,
) -> dict[str, object]:
    """The arguments of one ``sendEvents`` call: ``{"events": [...], "options": {...}}``.

    Events are put in the client's order (spec 4.5), ``page-visit`` last (D14). ``contact``
    becomes ``options.entityInfo`` and ``cart`` ``options.cart``; ``login`` and ``register``
    need a contact with ``primary_key`` (D3). Useful to call ``sendEvents`` from your own code.

    >>> events_payload([search("red shoe")], contact={"primary_key": "ana@shop.example"})["events"]
    [{'type': 'search', 'searchText': 'red shoe'}]
    """
    problems: list[Problem] = []
    items: list[Event] = []
    for i, item in enumerate(events):
        if isinstance(item, CustomEvent):
            items.append(Event(vocab.CUSTOM_EVENT, item))
        elif isinstance(item, Event):
            items.append(item)
        else:
            raise TypeError(
                f"events[{i}] must be a tagkit.events.Event, got {item!r}; build it with "
                "event(type, data) or a helper like product_visited(product)"
            )
    people = _coerce(Contact, contact, "contact", problems)
    basket = _coerce(Cart, cart, "cart", problems)
    visits = sum(1 for e in items if e.type == vocab.PAGE_VISIT) + int(page_visit)
    if visits > 1:
        problems.append(
            Problem(
                "events",
                f"may hold one {vocab.PAGE_VISIT!r}, sent last in the first call of a page view "
                f"(D14); got {visits}",
            )
        )
    needing = sorted({e.type for e in items if e.type in NEEDS_CONTACT})
    has_key = isinstance(people, Contact) and "primary_key" in people.values
    if needing and not has_key and not any(p.path.startswith("contact") for p in problems):
        what = " and ".join(repr(t) for t in needing)
        where = "contact" if people is None else "contact.primary_key"
        problems.append(
            Problem(
                where,
                f"is required with a {what} event: the client takes the email only from "
                f"{ENTITY_INFO}.primaryKey (D3); pass the contact, like "
                "{'primary_key': 'ana@shop.example'}",
            )
        )
    if problems:
        raise ValidationError(problems)
    ordered = _ordered(e for e in items if e.type != vocab.PAGE_VISIT)
    if visits:
        ordered.append(Event(vocab.PAGE_VISIT))
    options: dict[str, object] = {}
    if people is not None:
        options[ENTITY_INFO] = people.to_js()
    if basket is not None:
        options[CART_OPTION] = basket.to_js()
    return {"events": [e.to_js() for e in ordered], "options": options}


def new_render_id() -> str:
    """A fresh id for one rendered script: two renders never share one, so both send."""
    return secrets.token_urlsafe(12)


def _check_render_id(render_id: str | None) -> str:
    if render_id is None:
        return new_render_id()
    if not isinstance(render_id, str) or not _RENDER_ID.fullmatch(render_id):
        raise ConfigError(
            "render_id must be 1 to 64 letters, digits, '-' or '_' (leave it out to get a fresh "
            f"random id), got {render_id!r}"
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
    check_nonce(nonce)
    rid = _check_render_id(render_id)
    if inline:
        return render_template(
            "events.html.j2",
            id_json=script_json(rid),
            payload_json=script_json(payload),
            nonce=nonce,
        )
    return render_template(
        "events-island.html.j2", id=rid, payload_json=script_json(payload), nonce=nonce
    )


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
    view in JS mode (D14), never in tag mode. ``render_events(cart=cart)`` alone is the cart
    notification ``sendEvents([], {cart})``. ``nonce`` is the page's CSP nonce.
    ``inline=False`` writes a ``<script type="application/json" data-tagkit-events>`` island
    instead, sent by ``tagkit-events.js``. ``render_id`` fixes the script's id (tests,
    reproducible builds); by default every render gets a new one, so a single-page app that
    renders the same events again sends them again, while one rendered script included twice
    sends once.

    >>> "connectif.managed.initialized" in render_events([login()],
    ...     contact={"primary_key": "ana@shop.example"})
    True
    """
    check_nonce(nonce)
    _check_render_id(render_id)
    payload = events_payload(events, contact=contact, cart=cart, page_visit=page_visit)
    return render_payload(payload, nonce=nonce, inline=inline, render_id=render_id)


def render_page_events(
    page: Page | Mapping[str, object],
    *,
    custom_events: Sequence[CustomEvent | Mapping[str, object]] = (),
    nonce: str | None = None,
    inline: bool = True,
    hidden: bool = False,
    render_id: str | None = None,
) -> Markup:
    """A page document in JS mode: one script sending all its events, then its page tags.

    The script carries the contact as ``entityInfo``, the cart as ``cart``, the custom events
    and the page's events in spec 4.5 order and ``page-visit`` last (D14). Page categories and
    tags follow as ``cn_page_category`` / ``cn_page_tag`` elements, because the client reads
    page information only from the DOM (spec 3.11). A mapping may hold ``custom_events``.

    >>> island, tags = render_page_events({"page_tags": ["sale"]}, inline=False).splitlines()
    >>> island.endswith('>{"events":[{"type":"page-visit"}],"options":{}}</script>')
    True
    >>> print(tags)
    <span class="cn_page_tag" style="display:none">sale</span>
    """
    check_nonce(nonce)
    _check_render_id(render_id)
    problems: list[Problem] = []
    built: Page | None = None
    if isinstance(page, Page):
        built = page
        raw_customs = page.extra.get(CUSTOM_EVENTS_KEY)
    else:
        raw_customs = page.get(CUSTOM_EVENTS_KEY) if isinstance(page, Mapping) else None
        try:
            built = Page.from_dict(page, extra_keys=(CUSTOM_EVENTS_KEY,))
        except ValidationError as exc:
            problems.extend(exc.problems)
    customs: list[CustomEvent] = []
    try:
        customs.extend(page_custom_events(raw_customs))
    except ValidationError as exc:
        problems.extend(exc.problems)
    for i, item in enumerate(custom_events):
        one = CustomEvent._build(item, f"{CUSTOM_EVENTS_KEY}[{i}]", problems)
        if one is not None:
            customs.append(one)
    if built is None:
        raise ValidationError(problems)
    try:
        payload = events_payload(
            [*customs, *page_events(built)],
            contact=built.contact,
            cart=built.cart,
            page_visit=True,
        )
    except ValidationError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    script = render_payload(payload, nonce=nonce, inline=inline, render_id=render_id)
    info = render_tags(built, [t for t in vocab.TAGS if t.name in PAGE_INFO_TAGS], hidden=hidden)
    if not info:
        return script
    return script + Markup("\n") + info


__all__ = [
    "CUSTOM_EVENT",
    "CUSTOM_EVENTS_KEY",
    "EVENT_TYPES",
    "PAGE_VISIT",
    "RUNTIME_FILES",
    "CustomEvent",
    "CustomScalar",
    "Event",
    "custom",
    "event",
    "events_payload",
    "login",
    "needs_data",
    "new_render_id",
    "newsletter_subscribe",
    "page_custom_events",
    "page_events",
    "product_searched",
    "product_visited",
    "purchase",
    "register",
    "render_events",
    "render_page_events",
    "render_payload",
    "search",
]

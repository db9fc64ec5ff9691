"""What the template helpers of every framework render: the loader, a page's data and one
event, for a site's :class:`Settings` and the current :class:`Visit`.

Framework code only finds the settings, the session and the nonce; this module decides what a
page sends: the page's own data, plus the one-shot events queued in the session, minus the
purchases already sent. Everything is validated before anything is emitted, and the session
changes only once the markup is complete, so a failing page neither emits half a tag nor loses
a queued event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import Page, render_page
from .. import vocabulary as vocab
from ..errors import ConfigError
from ..events import PAGE_VISIT, Event, event, render_events, render_page_events
from . import _oneshot
from ._settings import EVENTS_MODE, TAGS_MODE, Settings, check_mode

# The page-document keys whose events must reach Connectif once: a page showing them must not
# be kept by the browser's cache, or the back button would show it, and send it, again.
ONE_SHOT_KEYS: frozenset[str] = frozenset(
    vocab.EVENT_TAGS[t].page_key
    for t in ("login", "register", "newsletter-subscribe", "purchase", "custom")
)
CART_EVENT = "cart"  # not a Connectif name: connectif_event("cart", cart) sends a cart alone


@dataclass
class Visit:
    """One request, as the template helpers need it.

    - ``session``: the visitor's session (a mutable mapping whose values are JSON), where
      ``queue_event`` keeps one-shot events and the purchases already sent; ``None`` without
      sessions (one-shot events and purchase memory are then off).
    - ``nonce``: the response's CSP nonce, put on every script unless a call passes its own.
    - ``one_shot``: called when the page carries a one-shot event, so the framework can send
      ``Cache-Control: private, no-store`` and the back button cannot replay it.
    """

    session: MutableMapping[str, Any] | None = None
    nonce: object = None
    one_shot: Callable[[], None] | None = None

    def mark_one_shot(self) -> None:
        """Tell the framework that this response must not be stored."""
        if self.one_shot is not None:
            self.one_shot()

    def pick_nonce(self, nonce: str | None) -> str | None:
        """``nonce`` if given, else the request's, as plain text (django-csp's is a lazy
        object)."""
        chosen = nonce if nonce is not None else self.nonce
        if chosen is None:
            return None
        return str.__str__(chosen if isinstance(chosen, str) else str(chosen))


def loader(settings: Settings, visit: Visit, nonce: str | None = None) -> Markup:
    """The loader of Connectif's client for ``settings``."""
    return settings.loader(visit.pick_nonce(nonce))


def page(
    settings: Settings,
    visit: Visit,
    data: object,
    *,
    mode: str | None = None,
    nonce: str | None = None,
) -> Markup:
    """A page's data in the site's mode, with the session's queued events.

    ``data`` is a :class:`tagkit.Page`, a page-document mapping, or ``None`` (a page that only
    sends what is queued). Tags mode renders the page's tags (queued events become tags too;
    custom events, which have no tag, a script without page-visit); events mode renders one
    script ending with page-visit, plus the page categories and tags.
    """
    mode = settings.mode if mode is None else check_mode(plain(mode), "mode")
    built = _page(data)
    taken = _oneshot.take_queue(visit.session)
    extra: list[Event] = []
    if taken.events:
        document = built.to_dict()
        extra = _merge(document, taken.events, mode)
        built = Page.from_dict(document)
    if mode == TAGS_MODE and built.custom_events:
        built, customs = _without_custom_events(built)
        extra = customs + extra
    sent_ids: list[str] = []
    if visit.session is not None and built.purchases:
        built, sent_ids = _drop_sent_purchases(built, taken.state)
    html = _render(built, extra, mode, settings, visit.pick_nonce(nonce))
    _oneshot.remember_purchases(taken.state, sent_ids)
    _oneshot.commit(visit.session, taken.state)
    if extra or any(built.get(vocab.ENTRY_BY_PAGE_KEY[key]) for key in ONE_SHOT_KEYS):
        visit.mark_one_shot()
    return html


def event_script(
    settings: Settings,
    visit: Visit,
    event_type: str,
    data: object = None,
    *,
    contact: object = None,
    nonce: str | None = None,
    page_visit: bool = False,
) -> Markup:
    """One script sending one event; ``"cart"`` sends a cart alone, ``"page-visit"`` the page
    view alone.

    A purchase whose id a page of this visit already sent renders nothing (or page-visit
    alone, when asked for).
    """
    event_type, data, contact = plain(event_type), plain(data), plain(contact)
    if (page_visit or event_type == PAGE_VISIT) and settings.mode == TAGS_MODE:
        raise ConfigError(
            f"page-visit in {TAGS_MODE} mode would count the page view twice: the client "
            "sends page-visit itself when it reads the tags (docs/connectif.md#event-page-visit); "
            f"leave it out, or set {settings.name('MODE')} to {EVENTS_MODE!r}"
        )
    cart = None
    items: list[Event] = []
    if event_type == CART_EVENT:
        cart = data
    elif event_type == PAGE_VISIT:
        if data is not None:
            event(event_type, data)  # raises: page-visit takes no data
        page_visit = True
    else:
        items.append(event(event_type, data))
    state: dict[str, Any] = {}
    ids: list[str] = []
    if visit.session is not None and items and _oneshot.is_purchase(items[0]):
        state = _oneshot.state_of(visit.session)
        kept, ids = _oneshot.new_purchases([items[0].data], state)
        if not kept:
            items = []
    if not items and cart is None and not page_visit:
        return Markup("")
    html = render_events(
        items,
        contact=contact,  # type: ignore[arg-type]  # checked by render_events
        cart=cart,  # type: ignore[arg-type]  # checked by render_events
        page_visit=page_visit,
        nonce=visit.pick_nonce(nonce),
        inline=settings.inline,
    )
    if ids:
        _oneshot.remember_purchases(state, ids)
        _oneshot.commit(visit.session, state)
    if any(vocab.EVENT_TAGS[e.type].page_key in ONE_SHOT_KEYS for e in items):
        visit.mark_one_shot()
    return html


def plain(value: Any) -> Any:
    """``value`` with text subclasses made plain text, at any depth.

    Template engines hand over marked-safe text (Django's ``SafeString`` for a literal like
    ``"red shoe"``, Jinja2's ``Markup``); tagkit takes text as text and escapes it itself.
    """
    if isinstance(value, str):
        # str() gives such subclasses back unchanged; str.__str__ copies them as plain text.
        return value if type(value) is str else str.__str__(value)
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _page(data: object) -> Page:
    data = plain(data) if not isinstance(data, Page) else data
    if data is None:
        return Page()
    if isinstance(data, Page):
        return data
    return Page.from_dict(data)  # a mapping, or an error naming what a page document is


def _merge(document: dict[str, object], queued: list[Event], mode: str) -> list[Event]:
    """Add queued events to a page document; returns those that need a script of their own
    (custom events in tags mode, a second search or newsletter subscription)."""
    extra: list[Event] = []
    for item in queued:
        tag = vocab.EVENT_TAGS[item.type]
        key = tag.page_key
        if tag.js_only and mode == TAGS_MODE:
            extra.append(item)
        elif tag.instances == "presence":
            document[key] = True
        elif tag.multiple:
            assert item.data is not None
            found = document.get(key)
            before = list(found) if isinstance(found, (list, tuple)) else []
            document[key] = [*before, item.data.to_dict()]
        elif document.get(key) is None:
            assert item.data is not None
            document[key] = item.data.to_dict()
        else:
            extra.append(item)
    return extra


def _without_custom_events(built: Page) -> tuple[Page, list[Event]]:
    """Tags mode: a page's custom events have no tag, so they go in a script of their own."""
    document = built.to_dict()
    del document[vocab.CUSTOM_TAG.page_key]
    customs = [Event(vocab.CUSTOM_TAG.event_type or "", c) for c in built.custom_events]
    return Page.from_dict(document), customs


def _drop_sent_purchases(built: Page, state: dict[str, Any]) -> tuple[Page, list[str]]:
    kept, ids = _oneshot.new_purchases(built.purchases, state)
    if len(kept) == len(built.purchases):
        return built, ids
    document = built.to_dict()
    document[vocab.PURCHASE_TAG.page_key] = [record.to_dict() for record in kept]
    return Page.from_dict(document), ids


def _render(
    built: Page, extra: list[Event], mode: str, settings: Settings, nonce: str | None
) -> Markup:
    if mode == EVENTS_MODE:
        html = render_page_events(
            built, nonce=nonce, inline=settings.inline, hidden=settings.hidden
        )
        contact = built.contact
    else:
        html = render_page(built, hidden=settings.hidden)
        contact = None  # tags mode: the client reads the contact from the page's tag
    if not extra:
        return html
    script = render_events(extra, contact=contact, nonce=nonce, inline=settings.inline)
    return Markup("\n").join(part for part in (html, script) if part)


__all__ = ["CART_EVENT", "ONE_SHOT_KEYS", "Visit", "event_script", "loader", "page"]

"""One-shot events kept in the visitor's session until a page sends them, and the purchases
already sent.

Login, registration, a newsletter subscription and a purchase happen in a view that usually
redirects; Connectif must hear of each once, on the next page the visitor sees
(docs/connectif.md#tag-login-register), and never again: not on a reload, not in a second tab,
not when the back button shows the page again (docs/connectif.md#dedup-purchase-reload).

The session holds one entry under :data:`SESSION_KEY`, plain JSON text so that any session
serializer (Flask's signed cookie, Django's JSON serializer, a database) stores it:

- ``queue``: events waiting for a page, each the JSON of ``{"type": ..., "data": ...}`` in the
  page-document form, written by :mod:`tagkit.jsonsafe` (numbers keep their exact text);
- ``purchases``: the ids of the last purchases a page sent, newest last.

>>> session = {}
>>> queue_event(session, "newsletter-subscribe", "ana@shop.example")
>>> [e.to_js() for e in take_queue(session).events]
[{'type': 'newsletter-subscribe', 'email': 'ana@shop.example'}]
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import vocabulary as vocab
from ..errors import Problem, ValidationError
from ..events import PAGE_VISIT, Event, event
from ..jsonsafe import dumps

SESSION_KEY = "tagkit"
QUEUE = "queue"
SENT = "purchases"
# Enough for any visitor's recent orders, small enough for a cookie session.
REMEMBERED_PURCHASES = 20

_log = logging.getLogger("tagkit")

# The purchase's own id.
_PURCHASE_ID = vocab.PURCHASE_ID.name
_PURCHASE_TYPE = vocab.PURCHASE_TAG.event_type


def queueable_types() -> tuple[str, ...]:
    """The event types :func:`queue_event` takes: every type but ``page-visit``."""
    return tuple(t for t in vocab.EVENT_TYPES if t != PAGE_VISIT)


def queue_event(session: MutableMapping[str, Any], event_type: str, data: object = None) -> None:
    """Keep a one-shot event in ``session`` until the next page renders it.

    ``data`` is checked now, so a mistake fails in the view that made it, with its field
    path, not on a later page.
    """
    if event_type == PAGE_VISIT:
        raise ValidationError(
            [
                Problem(
                    "type",
                    f"{PAGE_VISIT!r} cannot be queued: every page view sends its own; queue one "
                    f"of: {', '.join(queueable_types())}",
                )
            ]
        )
    built = event(event_type, data)
    entry = {
        vocab.EVENT_TYPE_KEY: built.type,
        "data": None if built.data is None else built.data.to_dict(),
    }
    state = _state(session)
    state[QUEUE] = [*state.get(QUEUE, []), dumps(entry)]
    session[SESSION_KEY] = state


@dataclass
class Taken:
    """The events taken from a session, and the state to store once the page is rendered."""

    events: list[Event] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


def take_queue(session: MutableMapping[str, Any] | None) -> Taken:
    """The queued events of ``session``, in the order they were queued.

    The session is not changed: :func:`commit` stores ``Taken.state`` once the page that
    sends them has rendered, so a page that fails keeps them for the next one. An entry that
    no longer validates (the data model changed since it was queued) is dropped with a log
    record on the ``tagkit`` logger rather than failing every page of the visit.
    """
    if session is None:
        return Taken()
    state = _state(session)
    found: list[Event] = []
    for text in state.pop(QUEUE, []):
        try:
            entry = json.loads(text, parse_float=Decimal)
            found.append(event(entry[vocab.EVENT_TYPE_KEY], entry["data"]))
        except (ValueError, TypeError, KeyError) as exc:
            _log.warning("dropped a queued Connectif event that no longer validates: %s", exc)
    return Taken(found, state)


def id_of_purchase(record: object) -> str | None:
    """The id of a purchase record (``None`` for anything else)."""
    values = getattr(record, "values", None)
    value = values.get(_PURCHASE_ID) if values is not None else None
    return value if isinstance(value, str) else None


def new_purchases(
    purchases: Iterable[Any], state: MutableMapping[str, Any]
) -> tuple[list[Any], list[str]]:
    """The purchases whose id no page sent yet, once per id, and their ids."""
    sent = set(state.get(SENT, []))
    keep: list[Any] = []
    ids: list[str] = []
    for record in purchases:
        pid = id_of_purchase(record)
        if pid is None or pid in sent:
            continue
        sent.add(pid)
        keep.append(record)
        ids.append(pid)
    return keep, ids


def remember_purchases(state: MutableMapping[str, Any], ids: Iterable[str]) -> None:
    """Record purchase ids as sent; the oldest are forgotten beyond
    :data:`REMEMBERED_PURCHASES`."""
    sent = [*state.get(SENT, []), *ids]
    if sent:
        state[SENT] = sent[-REMEMBERED_PURCHASES:]


def commit(session: MutableMapping[str, Any] | None, state: dict[str, Any]) -> None:
    """Store ``state`` in ``session`` if it changed; an empty state removes the entry."""
    if session is None:
        return
    before = session.get(SESSION_KEY)
    if state == (before if isinstance(before, dict) else {}):
        return
    if state:
        session[SESSION_KEY] = state
    elif SESSION_KEY in session:
        del session[SESSION_KEY]


def is_purchase(item: Event) -> bool:
    """Whether ``item`` is a purchase event."""
    return item.type == _PURCHASE_TYPE


def state_of(session: MutableMapping[str, Any]) -> dict[str, Any]:
    """A copy of tagkit's entry in ``session``, with anything malformed left out."""
    return _state(session)


def _state(session: MutableMapping[str, Any]) -> dict[str, Any]:
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, dict):
        return {}
    state: dict[str, Any] = {}
    queue = raw.get(QUEUE)
    if isinstance(queue, list):
        state[QUEUE] = [item for item in queue if isinstance(item, str)]
    sent = raw.get(SENT)
    if isinstance(sent, list):
        state[SENT] = [item for item in sent if isinstance(item, str)]
    return {key: value for key, value in state.items() if value}


__all__ = [
    "REMEMBERED_PURCHASES",
    "SESSION_KEY",
    "Taken",
    "commit",
    "id_of_purchase",
    "is_purchase",
    "new_purchases",
    "queue_event",
    "queueable_types",
    "remember_purchases",
    "state_of",
    "take_queue",
]

"""The page document: everything one page tells Connectif, keyed as the vocabulary's rows say.

>>> page = Page.from_dict({"search": "red shoe", "page_tags": ["summer-sale"]})
>>> [e["type"] for e in page.to_js()["events"]]
['search', 'page-visit']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import vocabulary as vocab
from ._input import build
from ._model import (
    Cart,
    Contact,
    CustomEvent,
    NewsletterSubscription,
    Product,
    Purchase,
    Record,
    Search,
    _Field,
    event_js,
    join_key,
)
from ._values import did_you_mean, quoted
from .errors import Problem, ValidationError
from .vocabulary import Tag


def _default(tag: Tag) -> object:
    if tag.instances == "presence":
        return False
    if tag.multiple:
        return ()
    return None


class Page:
    """Everything one page tells Connectif: the page document of ``tagkit page``.

    Build it from a mapping of page-document keys (``Page.from_dict(doc)``) or keyword
    arguments; each value goes through the same input path as ``render_tag`` and ``event``.
    """

    __slots__ = ("_values",)
    _values: dict[str, object]

    contact: Contact | None
    cart: Cart | None
    purchases: tuple[Purchase, ...]
    product_visited: tuple[Product, ...]
    product_searched: tuple[Product, ...]
    search: Search | None
    login: bool
    register: bool
    newsletter_subscribe: NewsletterSubscription | None
    page_categories: tuple[str, ...]
    page_tags: tuple[str, ...]
    custom_events: tuple[CustomEvent, ...]

    def __init__(self, data: Mapping[str, object] | None = None, /, **fields: object) -> None:
        values = _collect({**(data or {}), **fields})
        object.__setattr__(self, "_values", values)

    @classmethod
    def from_dict(cls, data: object) -> Page:
        """Validate a page document (a JSON object of page-document keys).

        >>> Page.from_dict({"login": True}).login
        True
        """
        if type(data) is not dict and not isinstance(data, Mapping):
            raise ValidationError(
                [Problem("", f"a page document must be a JSON object, got {quoted(data)}")]
            )
        page = cls.__new__(cls)
        object.__setattr__(page, "_values", _collect(data))
        return page

    @classmethod
    def _for_events(cls, data: object) -> Page:
        """:meth:`from_dict` for events mode: the records bring the JSON of their ``to_js()``
        instead of their tag bodies."""
        if type(data) is not dict and not isinstance(data, Mapping):
            return cls.from_dict(data)
        page = cls.__new__(cls)
        object.__setattr__(page, "_values", _collect(data, json=True))
        return page

    def get(self, tag: Tag) -> Any:
        """This page's value for ``tag`` (its default when the page has none)."""
        return self._values.get(tag.page_key, _DEFAULTS[tag.page_key])

    def records(self, tag: Tag | str) -> tuple[Record, ...]:
        """The records this page holds for ``tag`` (a row, a Connectif class or a short name)."""
        if isinstance(tag, str):
            tag = vocab.lookup_tag(tag)
        value = self.get(tag)
        if isinstance(value, Record):
            return (value,)
        if isinstance(value, tuple) and value and isinstance(value[0], Record):
            return value
        return ()

    def events_js(self) -> list[dict[str, object]]:
        """The page's events as the client collects them, without page-visit
        (docs/connectif.md#event-order)."""
        events: list[tuple[int, dict[str, object]]] = []
        for tag in vocab.ENTRIES:
            if tag.event_type is None:
                continue
            rank = vocab.EVENT_RANK[tag.event_type]
            if tag.instances == "presence":
                if self.get(tag):
                    events.append((rank, event_js(tag, None)))
                continue
            events.extend((rank, event_js(tag, record)) for record in self.records(tag))
        events.sort(key=lambda pair: pair[0])
        return [event for _, event in events]

    def to_js(self) -> dict[str, object]:
        """What the client sends for this page (docs/connectif.md#request-body): the contact
        and cart when the page has them, the events with page-visit last, and page info."""
        out: dict[str, object] = {}
        for tag in vocab.TAGS:
            if tag.body_path is not None and "." not in tag.body_path:
                value = self.get(tag)
                if value is not None:
                    out[tag.body_path] = value.to_js()
        out[vocab.EVENTS_KEY] = [*self.events_js(), {vocab.EVENT_TYPE_KEY: vocab.PAGE_VISIT}]
        info: dict[str, object] = {}
        for tag in vocab.PAGE_INFO_TAGS:
            assert tag.body_path is not None
            info[tag.body_path.partition(".")[2]] = list(self.get(tag))
        out[vocab.PAGE_INFO_KEY] = info
        return out

    def to_dict(self) -> dict[str, object]:
        """The page-document form; ``Page.from_dict(p.to_dict()) == p``."""
        out: dict[str, object] = {}
        for key, value in self._values.items():
            if isinstance(value, Record):
                out[key] = value.to_dict()
            elif isinstance(value, tuple):
                out[key] = [v.to_dict() if isinstance(v, Record) else v for v in value]
            else:
                out[key] = value
        return out

    def __iter__(self) -> Iterator[tuple[str, object]]:
        for tag in vocab.ENTRIES:
            yield tag.page_key, self.get(tag)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Page is immutable; build a new one")

    def __eq__(self, other: object) -> bool:
        if type(other) is not Page:
            return NotImplemented
        assert isinstance(other, Page)
        return self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items(), key=lambda kv: kv[0])))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"Page({inner})"


_DEFAULTS: dict[str, object] = {tag.page_key: _default(tag) for tag in vocab.ENTRIES}
for _tag in vocab.ENTRIES:
    setattr(Page, _tag.page_key, _Field(_tag.page_key, _DEFAULTS[_tag.page_key]))


def _collect(data: Mapping[str, object], *, json: bool = False) -> dict[str, object]:
    problems: list[Problem] = []
    values: dict[str, object] = {}
    entries = _ENTRIES
    for key, raw in data.items():
        tag = entries.get(key) if type(key) is str else None
        if tag is None:
            hint = did_you_mean(str(key), entries)
            problems.append(
                Problem(
                    join_key("", key),
                    f"is not a page document key; {hint}known: {', '.join(entries)}",
                )
            )
            continue
        if raw is None:
            continue
        value = build(tag, raw, key, problems, json=json)
        # Left out when empty, so equal pages compare equal however they were written.
        if value is not None and value is not False and value != ():
            values[key] = value
    if problems:
        raise ValidationError(problems)
    # Kept in the table's order, whatever the input's.
    ranks = [_RANK[key] for key in values]
    if ranks != sorted(ranks):
        values = {key: values[key] for key in sorted(values, key=_RANK.__getitem__)}
    return values


_RANK = {tag.page_key: i for i, tag in enumerate(vocab.ENTRIES)}
_ENTRIES = dict(vocab.ENTRY_BY_PAGE_KEY)

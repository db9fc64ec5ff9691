"""The compiled page path renders exactly what the general path renders, or steps aside.

``render_page(doc)`` and ``render_page_events(doc)`` take the page path for a plain dict; the
same document as a :class:`~tagkit.Page` always takes the general path, which makes it the
oracle here.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tagkit import Page, ValidationError, _pagefast, render_page, render_page_events
from tagkit import vocabulary as vocab
from tagkit._sample import sample_page

from .conftest import HOSTILE
from .properties.strategies import TEXT, page_document

SAMPLE = sample_page()
KEYS = list(SAMPLE)


def _tags(doc: Any, hidden: bool) -> str:
    try:
        return str(render_page(doc, hidden=hidden))
    except ValidationError as exc:
        return f"ValidationError: {exc}"


def _events(doc: Any, hidden: bool, inline: bool) -> str:
    try:
        return str(render_page_events(doc, hidden=hidden, inline=inline, render_id="r"))
    except ValidationError as exc:
        return f"ValidationError: {exc}"


def _general(doc: dict[str, Any]) -> Page | str:
    try:
        return Page.from_dict(doc)
    except ValidationError as exc:
        return f"ValidationError: {exc}"


def _same_both_ways(doc: dict[str, Any]) -> None:
    """Rendered from the dict (twice: the first call compiles what the page needs) and from
    the Page, in both modes, with and without the hidden attribute: the same text or the
    same problems."""
    page = _general(doc)
    for hidden in (False, True):
        for _ in range(2):
            fast = _tags(doc, hidden)
            slow = page if isinstance(page, str) else _tags(page, hidden)
            assert fast == slow
            for inline in (True, False):
                fast = _events(doc, hidden, inline)
                if isinstance(page, str):
                    assert fast == page
                else:
                    # Events mode builds its own Page, as the general path does for a dict.
                    assert fast == _events(Page._for_events(doc), hidden, inline)


def _subsets() -> list[tuple[str, ...]]:
    singles = [(key,) for key in KEYS]
    pairs = list(itertools.combinations(KEYS, 2))
    return [*singles, *pairs, tuple(KEYS), tuple(reversed(KEYS))]


@pytest.mark.parametrize("keys", _subsets(), ids=lambda keys: "+".join(keys))
def test_sample_pages_render_the_same_both_ways(keys: tuple[str, ...]) -> None:
    _same_both_ways({key: copy.deepcopy(SAMPLE[key]) for key in keys})


def test_common_pages_take_the_page_path() -> None:
    """Without this, a page path that always stepped aside would pass every other test."""
    doc = {key: SAMPLE[key] for key in KEYS}
    render_page(doc)
    render_page_events(doc)
    for hidden in (False, True):
        render_page(doc, hidden=hidden)
        render_page_events(doc, hidden=hidden)
        assert _pagefast.render(doc, hidden) is not None
        assert _pagefast.render_events(doc, hidden) is not None


# Page documents the page path must step aside from (None) or take, in tags mode and in events
# mode; either way the output or the problems are the general path's.
UNUSUAL: list[tuple[dict[str, Any], bool, bool]] = [
    ({"login": True}, True, False),  # a login event needs the contact's primary key
    ({"custom_events": [{"event_id": "e-1"}]}, False, True),  # JavaScript only: not in tags
    ({"search": "red shoe"}, True, True),  # the shorthand is the common form
    ({"contact": {"primary_key": " ana@shop.example "}}, True, True),  # trimmed on the way
    ({"page_tags": "one tag"}, False, False),  # one text instead of a list
    ({"page_tags": ["x" * 26]}, False, False),  # over the client's length
    ({"cart": {**SAMPLE["cart"], "total_quantity": 99}}, False, False),  # totals differ
    ({"not_a_key": 1}, False, False),
]


@pytest.mark.parametrize(("doc", "tags", "events"), UNUSUAL, ids=range(len(UNUSUAL)))
def test_unusual_pages_get_the_general_verdict(
    doc: dict[str, Any], tags: bool, events: bool
) -> None:
    _same_both_ways(doc)  # compiles what the page needs on the way
    assert (_pagefast.render(doc, False) is not None) is tags
    assert (_pagefast.render_events(doc, False) is not None) is events


def _with_hostile_text(doc: dict[str, Any], text: str, which: int) -> dict[str, Any]:
    """``doc`` with one of its text values (the ``which``-th, cycling) replaced by ``text``."""
    doc = copy.deepcopy(doc)
    places: list[tuple[dict[str, Any], str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    places.append((node, key))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)
    if places:
        node, key = places[which % len(places)]
        node[key] = text
    return doc


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(
    keys=st.lists(st.sampled_from(KEYS), unique=True, min_size=1),
    text=st.one_of(TEXT, st.sampled_from(HOSTILE)),
    which=st.integers(min_value=0, max_value=200),
)
def test_fuzz_nearly_valid_pages_render_the_same_both_ways(
    keys: list[str], text: str, which: int
) -> None:
    _same_both_ways(_with_hostile_text({key: SAMPLE[key] for key in keys}, text, which))


@SETTINGS
@given(page_document())
def test_fuzz_any_page_renders_the_same_both_ways(doc: dict[str, Any]) -> None:
    _same_both_ways(doc)


def test_every_row_of_the_table_is_known_to_the_page_path() -> None:
    """A row added to the vocabulary is compiled like the others (no hand-written list)."""
    keys = tuple(tag.page_key for tag in vocab.ENTRIES if tag not in vocab.JS_ONLY)
    assert _pagefast.compile_page(keys, hidden=False) is not _pagefast._never
    assert _pagefast.compile_events(keys, hidden=False) is not _pagefast._never

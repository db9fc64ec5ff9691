"""Generated text through Connectif's client (the double) in both modes: whatever tagkit
accepts arrives byte-identical, and nothing runs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tagkit import Page, ValidationError, render_page, render_page_events
from tagkit.testing import ConnectifHarness

from ..properties.strategies import CHARS
from .test_tagkit_output import CANARY, _hostile_page, document, expected, only, sent

pytestmark = pytest.mark.browser

# One of each class of text that once did not arrive as given.
CLASSES = [
    "windows\r\nline",
    "lone\rcarriage return",
    "\u0085starts with a next-line character",
    "ends with a next-line character\u0085",
    "inner\ufeffbyte-order mark",
    "no-break\u00a0and\u3000ideographic spaces",
    "emoji 😀 and combining e\u0301",
    "</script><script>window.__pwned=1</script>",
    "&amp; & &lt; \"quotes\" 'single'",
]


def _accepted(text: str) -> bool:
    try:
        Page.from_dict({"search": text})
    except ValidationError:
        return False
    return bool(text.strip())


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(text=st.text(CHARS, min_size=1, max_size=20).filter(_accepted), events=st.booleans())
@example(text=CLASSES[0], events=False)
@example(text=CLASSES[1], events=True)
@example(text=CLASSES[2], events=False)
@example(text=CLASSES[3], events=True)
@example(text=CLASSES[4], events=False)
@example(text=CLASSES[5], events=True)
@example(text=CLASSES[6], events=False)
@example(text=CLASSES[7], events=True)
@example(text=CLASSES[8], events=False)
def test_generated_text_arrives_byte_identical(
    connectif: ConnectifHarness, text: str, events: bool
) -> None:
    doc: dict[str, Any] = _hostile_page(text)
    if events:
        doc["custom_events"] = [{"event_id": "5f1b2c3d4e5f60718293a4b5", "payload": {"n": text}}]
    page = Page.from_dict(doc)
    body = render_page_events(page) if events else render_page(page)
    shop = connectif.open(document(str(body)), auto_send=not events)
    request = only(shop)
    assert sent(request) == expected(page)
    assert shop.evaluate(f"typeof {CANARY}") == "undefined"


def test_javascript_objects_drop_only_the_proto_key(connectif: ConnectifHarness) -> None:
    """Why tagkit refuses a __proto__ field id and accepts constructor and prototype: what the
    client's object handling keeps, in Chromium."""
    shop = connectif.open(document(""))
    kept = shop.evaluate(
        """() => {
            const built = {};
            for (const key of ["__proto__", "constructor", "prototype"]) built[key] = "gold";
            const literal = {"__proto__": "gold", "constructor": "gold", "prototype": "gold"};
            return [Object.keys(built), Object.keys(literal)];
        }"""
    )
    assert kept == [["constructor", "prototype"], ["constructor", "prototype"]]
    with pytest.raises(ValidationError, match="__proto__"):
        Page.from_dict({"contact": {"primary_key": "a@b.example", "__proto__": "gold"}})
    Page.from_dict({"contact": {"primary_key": "a@b.example", "constructor": "gold"}})

"""One-shot events in the session: checked when queued, stored as JSON text, sent once by the
next page, kept when that page fails; purchases once per id."""

from __future__ import annotations

import json
import logging
import re
from decimal import Decimal
from typing import Any

import pytest

from tagkit import ValidationError, parse_page
from tagkit.integrations import Settings, Visit, _oneshot, _pages, queue_event

ANA = {"primary_key": "ana@shop.example"}
ORDER = {"purchase_id": "o-1", "total_quantity": 1, "total_price": "9.95"}
CUSTOM_ID = "64a1f0c2e4b0a1b2c3d4e5f6"
TAGS = Settings(mode="tags")
EVENTS = Settings(mode="events")


def calls(html: str) -> list[dict[str, Any]]:
    """The sendEvents arguments of every event script in ``html``."""
    return [json.loads(found) for found in re.findall(r"\n    return (\{.*\});\n", html)]


def test_queue_checks_the_data_now_and_names_the_field() -> None:
    session: dict[str, Any] = {}
    with pytest.raises(ValidationError) as caught:
        queue_event(session, "newsletter-subscribe", "ana at shop")
    assert str(caught.value) == (
        "newsletter_subscribe.email must be an email address like 'ana@shop.example' "
        "(one '@', no spaces), got 'ana at shop'"
    )
    with pytest.raises(ValidationError, match=r"^type 'page-visit' cannot be queued"):
        queue_event(session, "page-visit")
    with pytest.raises(ValidationError, match=r"did you mean 'register'\?"):
        queue_event(session, "registr")
    assert session == {}


def test_queued_events_are_json_text_and_keep_exact_numbers() -> None:
    session: dict[str, Any] = {}
    payload = {"size": Decimal("42.50"), "color": "42.50"}
    queue_event(session, "custom", {"event_id": CUSTOM_ID, "payload": payload})
    queue_event(session, "purchase", {**ORDER, "total_price": "0.10"})
    assert json.loads(json.dumps(session)) == session
    html = _pages.page(EVENTS, Visit(session=session), {})
    [call] = calls(html)
    assert call["events"][0] == {
        "type": "custom",
        "eventId": CUSTOM_ID,
        "payload": {"size": 42.5, "color": "42.50"},
    }
    assert '"size":42.50' in html and '"totalPrice":0.10' in html
    assert session == {"tagkit": {"purchases": ["o-1"]}}


def test_the_next_page_sends_the_queue_in_order_and_then_it_is_empty() -> None:
    session: dict[str, Any] = {}
    queue_event(session, "newsletter-subscribe", "ana@shop.example")
    queue_event(session, "login")
    flags: list[bool] = []
    visit = Visit(session=session, one_shot=lambda: flags.append(True))
    first = _pages.page(EVENTS, visit, {"contact": ANA})
    assert [e["type"] for e in calls(first)[0]["events"]] == [
        "login",
        "newsletter-subscribe",
        "page-visit",
    ]
    assert flags == [True]
    assert calls(_pages.page(EVENTS, visit, {"contact": ANA}))[0]["events"] == [
        {"type": "page-visit"}
    ]
    assert flags == [True]
    assert session == {}


def test_a_page_that_fails_keeps_the_queue() -> None:
    session: dict[str, Any] = {}
    queue_event(session, "login")
    before = json.dumps(session)
    with pytest.raises(ValidationError, match=r"^contact is required with a 'login' event"):
        _pages.page(EVENTS, Visit(session=session), {})
    with pytest.raises(ValidationError, match=r"cart\.cart_id is required, got ''"):
        _pages.page(TAGS, Visit(session=session), {"cart": {"cart_id": ""}})
    assert json.dumps(session) == before
    assert "cn_login" in _pages.page(TAGS, Visit(session=session), {"contact": ANA})


def test_what_has_no_tag_goes_in_a_script_of_its_own_in_tags_mode() -> None:
    session: dict[str, Any] = {}
    queue_event(session, "custom", {"event_id": CUSTOM_ID})
    queue_event(session, "newsletter-subscribe", "second@shop.example")
    page = {"newsletter_subscribe": "first@shop.example", "contact": ANA}
    html = _pages.page(TAGS, Visit(session=session), page)
    parsed = parse_page(html).page
    assert parsed.newsletter_subscribe.email == "first@shop.example"  # type: ignore[union-attr]
    [call] = calls(html)
    assert call == {
        "events": [
            {"type": "custom", "eventId": CUSTOM_ID, "payload": {}},
            {"type": "newsletter-subscribe", "email": "second@shop.example"},
        ],
        "options": {},
    }


def test_a_pages_own_custom_events_are_sent_by_script_in_tags_mode() -> None:
    html = _pages.page(TAGS, Visit(), {"custom_events": [{"event_id": CUSTOM_ID}], "login": True})
    assert '<div class="cn_login" style="display:none"></div>' in html
    assert [e["type"] for e in calls(html)[0]["events"]] == ["custom"]


def test_a_malformed_session_entry_is_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    session: dict[str, Any] = {
        "tagkit": {"queue": ['{"type": "login", "data": null}', "not json", 7, '{"type": "x"}']}
    }
    with caplog.at_level(logging.WARNING, logger="tagkit"):
        html = _pages.page(TAGS, Visit(session=session), {"contact": ANA})
    assert html.count("cn_login") == 1
    assert len(caplog.records) == 2
    assert session == {}
    assert _pages.page(TAGS, Visit(session={"tagkit": "junk"}), {}) == ""


def test_purchase_memory_is_bounded() -> None:
    session: dict[str, Any] = {}
    visit = Visit(session=session)
    for number in range(_oneshot.REMEMBERED_PURCHASES + 5):
        order = {**ORDER, "purchase_id": f"o-{number}"}
        assert "cn_purchase" in _pages.page(TAGS, visit, {"purchases": [order]})
    sent = session["tagkit"]["purchases"]
    assert len(sent) == _oneshot.REMEMBERED_PURCHASES
    assert sent[-1] == f"o-{_oneshot.REMEMBERED_PURCHASES + 4}"


def test_without_a_session_nothing_is_remembered() -> None:
    for _ in range(2):
        assert "cn_purchase" in _pages.page(TAGS, Visit(), {"purchases": [ORDER]})

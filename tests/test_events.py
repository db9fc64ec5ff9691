"""JavaScript event calls: payloads, golden scripts, hostile strings, page parity, and the
readiness/once logic of the inline script and of static/tagkit-events.js, run in node against
fake Connectif clients (spec 4.3; the real-browser proof is the browser harness's job)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tagkit import Cart, Contact, Page, Product
from tagkit import vocabulary as vocab
from tagkit._env import render_template
from tagkit._resources import static_path
from tagkit._sample import product, sample_page
from tagkit.errors import ConfigError, ValidationError
from tagkit.events import (
    EVENT_TYPES,
    CustomEvent,
    Event,
    custom,
    event,
    events_payload,
    login,
    new_render_id,
    newsletter_subscribe,
    page_events,
    product_searched,
    product_visited,
    purchase,
    register,
    render_events,
    render_page_events,
    render_payload,
    search,
)
from tagkit.jsonsafe import dumps, script_json

from .conftest import HOSTILE

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

SAMPLE = sample_page()
SHOE = SAMPLE["product_visited"][0]
PURCHASE = SAMPLE["purchases"][0]
CART = SAMPLE["cart"]
CONTACT = SAMPLE["contact"]
EMPTY_CART = {"cart_id": "c-5521", "total_quantity": 0, "total_price": 0}
CUSTOM: dict[str, Any] = {
    "event_id": "64a1f0c2e4b0a1b2c3d4e5f6",
    "payload": {
        "size": 42,
        "price": "19.90",
        "weight": Decimal("1.50"),
        "gift": True,
        "when": datetime(2026, 11, 30, 10, 20, 30, 999, tzinfo=timezone.utc),
        "day": date(2026, 12, 1),
        "note": "wrap it",
    },
}

# Data for every event type, in the page-document shapes.
EVENT_DATA: dict[str, Any] = {
    "page-visit": None,
    "product-visited": SHOE,
    "product-searched": SAMPLE["product_searched"][1],
    "search": {"search_text": "running shoe"},
    "login": None,
    "register": None,
    "newsletter-subscribe": {"email": "ana@shop.example"},
    "purchase": PURCHASE,
    "custom": CUSTOM,
}

_PAYLOAD = re.compile(r"\n    return (\{.*\});\n")


def inline_json(html: str) -> dict[str, Any]:
    """The sendEvents arguments written into an inline event script."""
    found = _PAYLOAD.findall(html)
    assert len(found) == 1, html
    value: dict[str, Any] = json.loads(found[0], parse_float=Decimal)
    return value


def island_json(html: str) -> dict[str, Any]:
    islands = BeautifulSoup(html, "html.parser").find_all(
        "script", attrs={"type": "application/json", "data-tagkit-events": True}
    )
    assert len(islands) == 1, html
    value: dict[str, Any] = json.loads(islands[0].string, parse_float=Decimal)
    return value


def as_json(value: object) -> Any:
    """What a JSON parser reads back from tagkit's JSON of ``value``."""
    return json.loads(dumps(value), parse_float=Decimal)


def script_text(html: str) -> str:
    scripts = BeautifulSoup(html, "html.parser").find_all("script")
    assert len(scripts) == 1
    return str(scripts[0].string)


# The inline event script has two forms in templates/events.html.j2: the compact one pages get,
# and the readable source it is transcribed from. The scripts' tests run against both.
FORMS = ("compact", "readable")
# The render id is the third argument of the script's function, in both forms.
_RENDER_ID_ARG = re.compile(
    r'\}\)\(window, ?document, ?("[^"]*"), ?"connectif\.managed\.initialized"'
)


def event_script(
    form: str,
    payload: Mapping[str, object],
    *,
    render_id: str | None = None,
    nonce: str | None = None,
) -> str:
    """The inline script of ``payload``: what render_payload emits, or the readable form."""
    if form == "compact":
        return str(render_payload(payload, render_id=render_id, nonce=nonce))
    assert form == "readable"
    return str(
        render_template(
            "events.html.j2",
            readable=True,
            id_json=script_json(render_id or new_render_id()),
            payload_json=script_json(payload),
            nonce=nonce,
        )
    )


def render_id_of(html: str) -> str:
    found = _RENDER_ID_ARG.findall(html)
    assert len(found) == 1, html
    value: str = json.loads(found[0])
    return value


def render_type(event_type: str, **options: Any) -> str:
    contact = CONTACT if event_type in ("login", "register") else None
    if event_type == "page-visit":
        return render_events(page_visit=True, contact=contact, **options)
    return render_events([event(event_type, EVENT_DATA[event_type])], contact=contact, **options)


# -- models and payloads ---------------------------------------------------------------------


def test_event_types_come_from_the_vocabulary() -> None:
    tag_types = {t.event_type for t in vocab.TAGS if t.event_type}
    assert set(EVENT_TYPES) == tag_types | {"custom", "page-visit"}
    assert list(EVENT_TYPES) == [t for t in vocab.EVENT_ORDER if t in EVENT_TYPES]


@pytest.mark.parametrize("event_type", [t for t in EVENT_TYPES if t != "page-visit"])
def test_event_js_is_the_model_to_js(event_type: str) -> None:
    built = event(event_type, EVENT_DATA[event_type])
    js = built.to_js()
    assert js["type"] == event_type
    tags = [t for t in vocab.TAGS if t.event_type == event_type]
    if tags and tags[0].event_field:
        tag = tags[0]
        assert tag.event_field is not None and built.data is not None
        record_js = built.data.to_js()
        if len(tag.properties) == 1:
            assert js == {"type": event_type, tag.event_field: record_js[tag.properties[0].js_key]}
        else:
            assert js == {"type": event_type, tag.event_field: record_js}


def test_helpers_equal_the_generic_factory() -> None:
    assert product_visited(SHOE) == event("product-visited", SHOE)
    assert product_searched(SHOE) == event("product-searched", SHOE)
    assert search("running shoe") == event("search", {"search_text": "running shoe"})
    assert newsletter_subscribe("ana@shop.example") == event(
        "newsletter-subscribe", {"email": "ana@shop.example"}
    )
    assert purchase(PURCHASE) == event("purchase", PURCHASE)
    assert login() == Event("login") and register() == Event("register")
    assert custom(CUSTOM["event_id"], CUSTOM["payload"]) == event("custom", CUSTOM)
    assert product_visited(Product.from_dict(SHOE)) == product_visited(SHOE)


def test_shapes_of_the_scalar_and_marker_events() -> None:
    assert search("red shoe").to_js() == {"type": "search", "searchText": "red shoe"}
    assert newsletter_subscribe("a@b.example").to_js() == {
        "type": "newsletter-subscribe",
        "email": "a@b.example",
    }
    assert login().to_js() == {"type": "login"}
    assert event("page-visit").to_js() == {"type": "page-visit"}
    product_js = product_visited(product("S-1", "Cap", "5")).to_js()["product"]
    assert isinstance(product_js, dict)
    # D16: arrays always present.
    assert product_js["categories"] == [] and product_js["relatedExternalProductIds"] == []


def test_custom_event_payload_values() -> None:
    js = event("custom", CUSTOM).to_js()
    assert js == {
        "type": "custom",
        "eventId": "64a1f0c2e4b0a1b2c3d4e5f6",
        "payload": {
            "size": 42,
            "price": "19.90",
            "weight": Decimal("1.50"),
            "gift": True,
            "when": "2026-11-30T10:20:30Z",
            "day": "2026-12-01T00:00:00Z",
            "note": "wrap it",
        },
    }
    assert as_json(js)["payload"]["weight"] == Decimal("1.50")
    assert dumps(js["payload"]).startswith('{"day":"2026-12-01T00:00:00Z","gift":true,')
    event_ = CustomEvent.from_dict(CUSTOM)
    assert CustomEvent.from_dict(event_.to_dict()) == event_
    assert hash(event_) == hash(CustomEvent.from_dict(CUSTOM))
    assert CustomEvent(event_id="e-1").payload == {}
    # None is an absent value (docs/connectif.md#empty-omitted).
    assert dict(CustomEvent(event_id="e-1", payload={"a": None, "b": 1}).payload) == {"b": 1}


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (
            {"event_id": "e", "payload": {"size": {"eu": 42}}},
            "custom_events[0].payload.size",
            "is a nested object; a custom event payload is flat",
        ),
        (
            {"event_id": "e", "payload": {"sizes": [42, 43]}},
            "custom_events[0].payload.sizes",
            "is a list; lists are not accepted in a custom event payload",
        ),
        (
            {"event_id": "e", "payload": {"n": -1}},
            "custom_events[0].payload.n",
            "must be a non-negative whole number like 3, got -1",
        ),
        (
            {"event_id": "e", "payload": {"n": float("nan")}},
            "custom_events[0].payload.n",
            "must be a non-negative number like 180.75, got nan",
        ),
        (
            {"event_id": "e", "payload": {"t": datetime(2024, 5, 1, 10, 20)}},
            "custom_events[0].payload.t",
            "must be timezone-aware, got datetime(2024, 5, 1, 10, 20)",
        ),
        (
            {"event_id": "e", "payload": {"x": b"bytes"}},
            "custom_events[0].payload.x",
            "must be text, a number, true/false or a date, got b'bytes'",
        ),
        (
            {"event_id": "e", "payload": ["size"]},
            "custom_events[0].payload",
            "must be an object of field id -> value",
        ),
        ({"payload": {}}, "custom_events[0].event_id", "is required"),
        ({"event_id": "  "}, "custom_events[0].event_id", "is required, got '  '"),
        ({"event_id": True}, "custom_events[0].event_id", "must be text, got True"),
        (
            {"eventId": "e"},
            "custom_events[0].eventId",
            "is the JS key; write the property's class name 'event_id' instead",
        ),
        ({"event_id": "e", "payloads": {}}, "custom_events[0].payloads", "did you mean 'payload'?"),
        ({"event_id": "e", "payload": {" x": 1}}, "custom_events[0].payload", "field ids must be"),
        ("e", "custom_events[0]", "must be an object of properties, got 'e'"),
    ],
)
def test_custom_event_rejections(data: object, path: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Page.from_dict({"custom_events": [data]})
    assert [p.path for p in info.value.problems] == [path]
    assert message in info.value.problems[0].message


def test_custom_events_collect_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        Page.from_dict(
            {
                "custom_events": [
                    {"event_id": "ok"},
                    {"event_id": "", "payload": {"a": [1], "b": {"c": 1}}},
                ]
            }
        )
    assert [p.path for p in info.value.problems] == [
        "custom_events[1].payload.a",
        "custom_events[1].payload.b",
        "custom_events[1].event_id",
    ]
    # One event alone is a list of one, as for every repeatable entry.
    assert len(Page.from_dict({"custom_events": {"event_id": "e"}}).custom_events) == 1
    assert Page.from_dict({"custom_events": None}).custom_events == ()


def test_custom_event_constructor_names_its_path() -> None:
    with pytest.raises(ValidationError) as info:
        custom("e", {"size": {"eu": 42}})
    assert info.value.problems[0].path == "custom_events.payload.size"


def test_events_are_ordered_like_the_client_with_page_visit_last() -> None:
    payload = events_payload(
        [
            purchase(PURCHASE),
            newsletter_subscribe("ana@shop.example"),
            search("shoe"),
            register(),
            login(),
            product_searched(SHOE),
            product_visited(SHOE),
            custom("e-1"),
        ],
        contact=CONTACT,
        page_visit=True,
    )
    types = [e["type"] for e in payload["events"]]  # type: ignore[attr-defined]
    assert types == [
        "custom",
        "product-visited",
        "product-searched",
        "login",
        "register",
        "search",
        "newsletter-subscribe",
        "purchase",
        "page-visit",
    ]
    # Stable within one type.
    two = events_payload([product_searched(SHOE), product_searched(product("B", "b", "1"))])
    ids = [e["product"]["productId"] for e in two["events"]]  # type: ignore[attr-defined]
    assert ids == ["SKU-77", "B"]
    # A page-visit passed as an event is moved last as well.
    moved = events_payload([event("page-visit"), search("x")])
    assert [e["type"] for e in moved["events"]] == ["search", "page-visit"]  # type: ignore[attr-defined]


def test_options_carry_contact_and_cart() -> None:
    payload = events_payload([], contact=CONTACT, cart=CART)
    assert payload["events"] == []
    assert payload["options"] == {
        "entityInfo": Contact.from_dict(CONTACT).to_js(),
        "cart": Cart.from_dict(CART).to_js(),
    }
    assert events_payload() == {"events": [], "options": {}}


def test_login_and_register_require_a_contact_with_primary_key() -> None:
    with pytest.raises(ValidationError) as info:
        events_payload([login()])
    assert [p.path for p in info.value.problems] == ["contact"]
    assert info.value.problems[0].message.startswith(
        "is required with a 'login' event: the client takes the email only from "
        "entityInfo.primaryKey (docs/connectif.md#tag-login-register)"
    )
    with pytest.raises(ValidationError) as info:
        events_payload([register(), login()], contact={"anonymous": True, "_name": "Ana"})
    assert [p.path for p in info.value.problems] == ["contact.primary_key"]
    assert "with a 'login' and 'register' event" in info.value.problems[0].message
    assert events_payload([login()], contact={"primary_key": "ana@shop.example"})


def test_invalid_options_and_events_are_reported_together() -> None:
    with pytest.raises(ValidationError) as info:
        events_payload(
            [event("page-visit")],
            contact={"primary_key": "not an email"},
            cart={"cart_id": "c", "total_quantity": 0, "total_price": "1,5"},
            page_visit=True,
        )
    assert [p.path for p in info.value.problems] == [
        "contact.primary_key",
        "cart.total_price",
        "events",
    ]
    assert "may hold one 'page-visit'" in info.value.problems[2].message


def test_event_factory_rejections() -> None:
    with pytest.raises(ValidationError) as info:
        event("product-visit", SHOE)
    assert info.value.problems[0].path == "type"
    assert "did you mean 'product-visited'?" in info.value.problems[0].message
    with pytest.raises(ValidationError) as info:
        event("login", {"email": "a@b.example"})
    assert (
        str(info.value)
        == "login must be true or false (a marker carries no data), got {'email': 'a@b.example'}"
    )
    with pytest.raises(ValidationError) as info:
        event("product-visited", {"url": "https://shop.example/p", "name": "x"})
    assert [p.path for p in info.value.problems] == [
        "product_visited.product_id",
        "product_visited.unit_price",
    ]
    with pytest.raises(ValidationError) as info:
        event("search", {"search_text": ""})
    assert [p.path for p in info.value.problems] == ["search.search_text"]
    with pytest.raises(TypeError, match="needs a Product"):
        Event("product-visited", Cart.from_dict(EMPTY_CART))
    with pytest.raises(TypeError, match=r"must be a tagkit\.events\.Event"):
        events_payload([{"type": "login"}])  # type: ignore[list-item]


# -- rendering ---------------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_golden_every_event_type(event_type: str, golden: Callable[[str, str], None]) -> None:
    golden(f"events/{event_type}.html", render_type(event_type, render_id="golden") + "\n")


def test_golden_cart_island_and_nonce(golden: Callable[[str, str], None]) -> None:
    golden("events/cart.html", render_events(cart=CART, render_id="golden") + "\n")
    golden(
        "events/purchase-nonce.html",
        render_events(
            [purchase(PURCHASE)],
            cart=EMPTY_CART,
            contact=CONTACT,
            page_visit=True,
            nonce="rAnd0m+N0nce/v4lue==",
            render_id="golden",
        )
        + "\n",
    )
    golden(
        "events/search-island.html",
        render_events([search("running shoe")], page_visit=True, inline=False, render_id="golden")
        + "\n",
    )
    golden(
        "events/page-sample.html",
        render_page_events(
            {**SAMPLE, "custom_events": [CUSTOM]}, nonce="rAnd0m", render_id="golden"
        )
        + "\n",
    )
    golden(
        "events/page-sample-island.html",
        render_page_events(SAMPLE, inline=False, hidden=True, render_id="golden") + "\n",
    )


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_script_payload_parses_back(event_type: str) -> None:
    html = render_type(event_type)
    payload = inline_json(html)
    contact = CONTACT if event_type in ("login", "register") else None
    if event_type == "page-visit":
        expected = events_payload(page_visit=True)
    else:
        expected = events_payload([event(event_type, EVENT_DATA[event_type])], contact=contact)
    assert payload == as_json(expected)
    island = render_type(event_type, inline=False)
    assert island_json(island) == payload


def test_one_script_with_its_attributes() -> None:
    html = render_events([search("x")], nonce="abc-_+/=", render_id="r1")
    soup = BeautifulSoup(html, "html.parser")
    (script,) = soup.find_all("script")
    assert script.attrs == {"nonce": "abc-_+/="}
    assert render_id_of(html) == "r1"
    island = BeautifulSoup(render_events([search("x")], nonce="n1", inline=False), "html.parser")
    (data,) = island.find_all("script")
    assert data["type"] == "application/json" and data["nonce"] == "n1"
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", str(data["data-tagkit-events"]))


def test_every_render_gets_a_new_id() -> None:
    first = render_events([search("x")])
    second = render_events([search("x")])
    ids = [render_id_of(h) for h in (first, second)]
    assert ids[0] != ids[1]
    assert first.replace(ids[0], "") == second.replace(ids[1], "")


@pytest.mark.parametrize("form", FORMS)
def test_both_forms_carry_the_payload_id_and_nonce(form: str) -> None:
    payload = events_payload([search("x")], contact={"primary_key": "ana@shop.example"})
    html = event_script(form, payload, render_id="r1", nonce="abc-_+/=")
    (script,) = BeautifulSoup(html, "html.parser").find_all("script")
    assert script.attrs == {"nonce": "abc-_+/="}
    assert inline_json(html) == as_json(payload)
    assert render_id_of(html) == "r1"
    (plain,) = BeautifulSoup(event_script(form, payload), "html.parser").find_all("script")
    assert plain.attrs == {}


def test_golden_readable_form(golden: Callable[[str, str], None]) -> None:
    payload = events_payload([search("running shoe")], page_visit=True)
    html = event_script("readable", payload, render_id="golden", nonce="rAnd0m+N0nce/v4lue==")
    golden("events/search-readable.html", html + "\n")


# Bytes of an inline event script that are neither its payload nor its id; the readable
# script that pages got before the compact form carried 1,300.
FIXED_RUNTIME_LIMIT = 600


def fixed_runtime(html: str, payload: Mapping[str, object], render_id: str) -> int:
    payload_json, id_json = str(script_json(payload)), str(script_json(render_id))
    assert html.count(payload_json) == 1 and html.count(id_json) == 1, html
    return len(html.encode()) - len(payload_json.encode()) - len(id_json.encode())


def test_the_fixed_runtime_of_an_event_script_is_at_most_600_bytes() -> None:
    empty: dict[str, object] = {"events": [], "options": {}}
    render_id = new_render_id()
    html = str(render_payload(empty, render_id=render_id))
    size = fixed_runtime(html, empty, render_id)
    assert size <= FIXED_RUNTIME_LIMIT, f"{size} bytes of fixed runtime:\n{html}"
    # Fixed: the same bytes for any payload and id, each written once ...
    full = events_payload(**hostile_call(HOSTILE[1]))
    for payload, rid in (
        (full, "id-1"),
        (full, "y" * 64),
        (events_payload([login()], contact=CONTACT), "golden"),
    ):
        assert fixed_runtime(str(render_payload(payload, render_id=rid)), payload, rid) == size
    # ... plus the nonce attribute, and nothing else, when there is a nonce.
    with_nonce = str(render_payload(empty, render_id=render_id, nonce="n0nce"))
    assert fixed_runtime(with_nonce, empty, render_id) == size + len(' nonce="n0nce"')
    # Pages get the compact form: no line breaks but the two around the payload ...
    assert html.count("\n") == 2
    # ... which is far smaller than the readable form it is transcribed from.
    assert (
        fixed_runtime(event_script("readable", empty, render_id=render_id), empty, render_id)
        > 2 * size
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"nonce": "abc def"},
            "nonce must be a CSP nonce: base64 or URL-safe base64 characters",
        ),
        ({"nonce": '"><script>'}, "got '\"><script>'"),
        ({"nonce": ""}, "got ''"),
        ({"render_id": "a b"}, "render_id must be 1 to 64 letters, digits, '-' or '_'"),
        ({"render_id": "x" * 65}, "render_id must be"),
        ({"render_id": "abc\n"}, "got 'abc\\n'"),
    ],
)
def test_bad_nonce_and_render_id(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        render_events([search("x")], **kwargs)
    with pytest.raises(ConfigError, match=re.escape(message)):
        render_page_events({}, **kwargs)


# -- hostile strings ---------------------------------------------------------------------------


def _string_props(props: tuple[vocab.Prop, ...]) -> list[vocab.Prop]:
    return [p for p in props if p.kind is vocab.Kind.STRING and p.pattern is None]


def _hostile_url(text: str) -> str:
    return "https://shop.example/p?q=" + re.sub(r"\s", "", text)


def _hostile_email(text: str) -> str:
    return re.sub(r"[\s@]", "", text) + "@shop.example"


def hostile_call(text: str) -> dict[str, Any]:
    """Render-ready arguments with ``text`` in every string field of every event type."""
    hostile_product = dict(SHOE)
    for prop in _string_props(vocab.PRODUCT):
        hostile_product[prop.name] = [text] if prop.multiple else text
    hostile_product["url"] = _hostile_url(text)
    hostile_product["image_url"] = _hostile_url(text)
    line = {"quantity": 1, "price": "1.00", **hostile_product}
    hostile_purchase = {
        "purchase_id": text,
        "cart_id": text,
        "total_quantity": 1,
        "total_price": "1.00",
        "payment_method": text,
        "source_name": text,
        "products": [line],
    }
    hostile_cart = {"cart_id": text, "total_quantity": 1, "total_price": "1.00", "products": [line]}
    contact = {
        "primary_key": _hostile_email(text),
        "_name": text,
        "_surname": text,
        "loyalty_tier": text,
        "interests": [text, text],
    }
    events = [
        product_visited(hostile_product),
        product_searched(hostile_product),
        search(text),
        login(),
        register(),
        newsletter_subscribe(_hostile_email(text)),
        purchase(hostile_purchase),
        custom(text, {text: text, "plain": text}),
    ]
    return {"events": events, "contact": contact, "cart": hostile_cart, "page_visit": True}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("inline", [True, False], ids=["inline", "island"])
def test_hostile_strings_parse_back_unchanged(text: str, inline: bool) -> None:
    call = hostile_call(text)
    html = render_events(**call, inline=inline)
    # The HTML parser sees one script element, whatever the values hold.
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("script")) == 1
    body = script_text(html)
    json_text = _PAYLOAD.findall(html)[0] if inline else body
    for forbidden in ("</", "<!--", "<script", "\u2028", "\u2029", "'", "&"):
        assert forbidden not in json_text
    assert "</" not in body
    payload = inline_json(html) if inline else island_json(html)
    assert payload == as_json(events_payload(**call))
    assert _strings(payload).count(text) >= 12, "the hostile text reached every string field"


@needs_node
@pytest.mark.parametrize("form", FORMS)
def test_hostile_strings_leave_the_js_engine_byte_identical(form: str) -> None:
    calls = [hostile_call(text) for text in HOSTILE]
    scripts = [script_text(event_script(form, events_payload(**call))) for call in calls]
    result = run_js(scripts, ["client-ready", *[f"run {i}" for i in range(len(scripts))]])
    assert len(result["calls"]) == len(HOSTILE)
    for text, call, sent in zip(HOSTILE, calls, result["calls"], strict=True):
        expected = json.loads(dumps(events_payload(**call)))
        assert sent == [expected["events"], expected["options"]]
        assert _strings(sent).count(text) >= 12


# -- page documents in events mode ----------------------------------------------------------------

PAGES: dict[str, dict[str, Any]] = {
    "sample": SAMPLE,
    "empty": {},
    "contact-only": {"contact": CONTACT},
    "cart-only": {"cart": EMPTY_CART, "page_tags": ["x"]},
    "search": {
        "search": "red shoe",
        "product_searched": [SHOE, SAMPLE["product_searched"][1]],
        "page_categories": ["/Search"],
    },
    "confirmation": {
        "contact": CONTACT,
        "purchases": [PURCHASE, {**PURCHASE, "purchase_id": "ORD-1002"}],
        "cart": EMPTY_CART,
        "register": True,
        "newsletter_subscribe": {"email": "ana@shop.example"},
    },
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("inline", [True, False], ids=["inline", "island"])
def test_page_mode_parity_with_tag_mode(name: str, inline: bool) -> None:
    doc = PAGES[name]
    html = render_page_events(doc, inline=inline)
    payload = inline_json(html) if inline else island_json(html)
    tag_mode = as_json(Page.from_dict(doc).to_js())
    assert payload["events"] == tag_mode["events"]
    assert payload["events"][-1] == {"type": "page-visit"}
    assert payload["options"].get("entityInfo") == tag_mode.get("entityInfo")
    assert payload["options"].get("cart") == tag_mode.get("cart")
    # Page information stays in the DOM: exactly the page tags, nothing else.
    soup = BeautifulSoup(html, "html.parser")
    classes = [el["class"][0] for el in soup.find_all(class_=True)]
    expected = ["cn_page_category"] * len(doc.get("page_categories", [])) + ["cn_page_tag"] * len(
        doc.get("page_tags", [])
    )
    assert classes == expected
    assert [el.get_text() for el in soup.find_all(class_=True)] == [
        *doc.get("page_categories", []),
        *doc.get("page_tags", []),
    ]


def test_page_custom_events_come_first() -> None:
    doc = {**SAMPLE, "custom_events": [CUSTOM, {"event_id": "e-2"}]}
    doc["custom_events"].append(CustomEvent(event_id="e-3"))
    payload = inline_json(render_page_events(doc))
    types = [e["type"] for e in payload["events"]]
    assert types[:3] == ["custom"] * 3
    assert [e["eventId"] for e in payload["events"][:3]] == [CUSTOM["event_id"], "e-2", "e-3"]
    assert payload["events"][3:] == as_json(Page.from_dict(SAMPLE).to_js())["events"]


def test_page_events_of_a_page_object() -> None:
    page = Page.from_dict(SAMPLE)
    assert [e.to_js() for e in page_events(page)] == page.events_js()
    assert inline_json(render_page_events(page)) == inline_json(render_page_events(SAMPLE))


def test_page_rejections_name_their_paths() -> None:
    with pytest.raises(ValidationError) as info:
        render_page_events(
            {
                "login": True,
                "serch": "x",
                "custom_events": [{"event_id": "e", "payload": {"size": {"eu": 42}}}],
            }
        )
    paths = [p.path for p in info.value.problems]
    assert paths == ["serch", "custom_events[0].payload.size"]
    # A valid page is then checked as one sendEvents call: login needs the contact.
    with pytest.raises(ValidationError) as info:
        render_page_events({"login": True, "custom_events": [{"event_id": "e"}]})
    assert [p.path for p in info.value.problems] == ["contact"]
    assert "docs/connectif.md#tag-login-register" in info.value.problems[0].message


# -- the JavaScript, run in node against fake clients (spec 4.3) ------------------------------------

HARNESS = r"""
"use strict";
const vm = require("vm");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const SELECTOR = 'script[type="application/json"][data-tagkit-events]';
const calls = [], attempts = [], warnings = [], errors = [];
const listeners = {};
const everAdded = {};  // every listener ever added, removed or not, for "replay"
const islands = [];
const observers = [];
const document = {
  readyState: input.readyState || "complete",
  documentElement: { nodeType: 1 },
  addEventListener(type, fn) {
    (listeners[type] = listeners[type] || []).push(fn);
    (everAdded[type] = everAdded[type] || []).push(fn);
  },
  removeEventListener(type, fn) {
    listeners[type] = (listeners[type] || []).filter((g) => g !== fn);
  },
  querySelectorAll(selector) {
    if (selector !== SELECTOR) throw new Error("unexpected selector " + selector);
    return islands.filter((i) => i.connected);
  },
};
function dispatch(type) {
  (listeners[type] || []).slice().forEach((fn) => fn.call(document, { type }));
}
const state = { initialized: false, broken: false, rejects: false };
function managed(withIsInitialized) {
  const m = {
    sendEvents(events, options) {
      attempts.push(1);
      // The client writes into the entityInfo it is given (spec 4.4), even on a failed call:
      // a retry must not send these values back.
      const entity = options && options.entityInfo;
      if (state.broken || !state.initialized) {
        if (entity) entity.trackerId = "0123456789abcdef01234567";
        if (entity) entity.primaryKey = "changed@by.client";
        if (events.length) events[0].type = "changed-by-client";
        throw new Error(state.broken ? "broken client" : "Connectif: cannot getSubscription before initialize");
      }
      calls.push(JSON.parse(JSON.stringify([events, options])));
      if (entity) entity.trackerId = "0123456789abcdef01234567";
      return state.rejects ? Promise.reject(new Error("rejected")) : Promise.resolve(undefined);
    },
  };
  if (withIsInitialized) m.isInitialized = () => state.initialized;
  return m;
}
const sandbox = {
  document,
  console: { warn: (...args) => warnings.push(args.map(String).join(" ")) },
  MutationObserver: class {
    constructor(callback) { this.callback = callback; observers.push(this); }
    observe(target, options) { this.options = options; }
  },
};
sandbox.window = sandbox;
vm.createContext(sandbox);
function island(id, text) {
  return {
    nodeType: 1, connected: true, textContent: text, attrs: { "data-tagkit-events": id },
    getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; },
    matches(selector) { return selector === SELECTOR; },
    querySelectorAll() { return []; },
  };
}
function notify(records) { observers.forEach((o) => o.callback(records)); }
for (const step of input.steps) {
  const [action, arg, extra] = step.split(" ");
  try {
    if (action === "run") vm.runInContext(input.scripts[Number(arg)], sandbox);
    else if (action === "client-1.3.0") sandbox.connectif = { version: "1.3.0", managed: managed(false) };
    else if (action === "client-new") sandbox.connectif = { version: "2", managed: managed(true) };
    else if (action === "client-ready") {
      state.initialized = true;
      sandbox.connectif = { version: "1.3.0", managed: managed(false) };
    } else if (action === "initialize") { state.initialized = true; dispatch("connectif.managed.initialized"); }
    else if (action === "dispatch") dispatch(arg);
    // An event target that ignores removeEventListener calls every listener ever added again.
    else if (action === "replay") (everAdded[arg] || []).forEach((fn) => fn.call(document, { type: arg }));
    else if (action === "broken") state.broken = true;
    else if (action === "rejects") state.rejects = true;
    else if (action === "taken") sandbox.tagkit = "not an object";
    else if (action === "no-console") sandbox.console = undefined;
    else if (action === "loaded") { document.readyState = "interactive"; dispatch("DOMContentLoaded"); }
    else if (action === "island") {
      const node = island(arg, input.islands[Number(extra)]);
      islands.push(node);
      notify([{ type: "childList", target: document.documentElement, addedNodes: [node] }]);
    } else if (action === "island-parsed") {
      islands.push(island(arg, input.islands[Number(extra)]));  // no observer: parser-inserted, seen later
    } else if (action === "island-empty") {
      const node = island(arg, "");
      islands.push(node);
      notify([{ type: "childList", target: document.documentElement, addedNodes: [node] }]);
    } else if (action === "fill") {
      const node = islands.find((i) => i.attrs["data-tagkit-events"] === arg);
      node.textContent = input.islands[Number(extra)];
      notify([{ type: "childList", target: node, addedNodes: [{ nodeType: 3 }] }]);
    } else if (action === "send-pending") vm.runInContext("window.tagkit.sendPending()", sandbox);
    else throw new Error("unknown step " + step);
  } catch (error) {
    errors.push(step + ": " + error.message);
  }
}
setTimeout(() => {
  process.stdout.write(JSON.stringify({
    calls, attempts: attempts.length, warnings, errors,
    listeners: (listeners["connectif.managed.initialized"] || []).length,
    observing: observers.map((o) => o.options),
  }));
}, 10);
"""


def run_js(
    scripts: list[str],
    steps: list[str],
    *,
    islands: list[str] = (),  # type: ignore[assignment]
    ready_state: str = "complete",
) -> dict[str, Any]:
    assert NODE is not None
    proc = subprocess.run(
        [NODE, "-e", HARNESS],
        input=json.dumps(
            {
                "scripts": scripts,
                "steps": steps,
                "islands": list(islands),
                "readyState": ready_state,
            }
        ),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _script(form: str = "compact", render_id: str | None = None) -> str:
    payload = events_payload([search("shoe")], contact={"primary_key": "ana@shop.example"})
    return script_text(event_script(form, payload, render_id=render_id))


EXPECTED_CALL = [
    [{"searchText": "shoe", "type": "search"}],
    {"entityInfo": {"primaryKey": "ana@shop.example"}},
]

# (steps, attempts): each scenario of spec 4.3 must end with exactly one call.
SCENARIOS = {
    "script before the loader (1.3.0)": (["run 0", "client-1.3.0", "initialize"], 1),
    "script before the loader (newer client)": (["run 0", "client-new", "initialize"], 1),
    "after initialisation, route change (1.3.0)": (["client-ready", "run 0"], 1),
    "after initialisation (newer client)": (["client-new", "initialize", "run 0"], 1),
    # 1.3.0 between the store tail and initialisation: the call throws, then waits.
    "managed exists, not initialised (1.3.0)": (["client-1.3.0", "run 0", "initialize"], 2),
    # A newer client is asked first, so nothing is attempted before initialisation.
    "managed exists, not initialised (newer)": (["client-new", "run 0", "initialize"], 1),
    "initialised event dispatched twice": (
        ["run 0", "client-1.3.0", "initialize", "dispatch connectif.managed.initialized"],
        1,
    ),
    "listener called again by a non-conforming event target": (
        ["run 0", "client-1.3.0", "initialize", "replay connectif.managed.initialized"],
        1,
    ),
    "same script included twice": (["run 0", "run 0", "client-1.3.0", "initialize"], 1),
    "same script twice after init": (["client-ready", "run 0", "run 0"], 1),
}

# Each must end with exactly one console.warn and nothing thrown into the page.
FAILURES = {
    "throws-when-ready": ["client-new", "initialize", "broken", "run 0"],
    "throws-after-waiting": ["client-new", "run 0", "broken", "initialize"],
    "1.3.0-throws-after-waiting": ["run 0", "client-1.3.0", "broken", "initialize"],
    "promise-rejects": ["client-ready", "rejects", "run 0"],
    "promise-rejects-after-waiting": ["run 0", "client-new", "rejects", "initialize"],
    "window.tagkit-taken": ["taken", "run 0"],
}

# The same failures on a page without a console: nothing to report to, nothing thrown.
SILENT_FAILURES = {
    "throws-when-ready": ["no-console", "client-new", "initialize", "broken", "run 0"],
    "promise-rejects": ["no-console", "client-ready", "rejects", "run 0"],
    "window.tagkit-taken": ["no-console", "taken", "run 0"],
}


@needs_node
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_inline_script_sends_exactly_once(name: str, form: str) -> None:
    steps, attempts = SCENARIOS[name]
    result = run_js([_script(form)], steps)
    assert result["errors"] == []
    assert result["calls"] == [EXPECTED_CALL], "fresh entityInfo, sent once"
    assert result["attempts"] == attempts
    assert result["listeners"] == 0, "the one-time listener removed itself"
    assert result["warnings"] == []


@needs_node
@pytest.mark.parametrize("form", FORMS)
def test_a_new_render_of_the_same_events_sends_again(form: str) -> None:
    result = run_js([_script(form), _script(form)], ["client-ready", "run 0", "run 1", "run 0"])
    assert result["calls"] == [EXPECTED_CALL, EXPECTED_CALL]


@needs_node
def test_both_forms_share_the_once_registry() -> None:
    # The two forms of one render on one page: the second to run sees the first one's mark.
    scripts = [_script("compact", "r1"), _script("readable", "r1")]
    result = run_js(scripts, ["run 0", "run 1", "client-1.3.0", "initialize", "run 1"])
    assert result["calls"] == [EXPECTED_CALL] and result["warnings"] == []


@needs_node
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", FAILURES)
def test_inline_script_never_throws_into_the_page(name: str, form: str) -> None:
    result = run_js([_script(form)], FAILURES[name])
    assert result["errors"] == []
    assert len(result["warnings"]) == 1
    assert result["warnings"][0].startswith("tagkit: ")
    assert result["listeners"] == 0


@needs_node
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", SILENT_FAILURES)
def test_without_a_console_failures_stay_silent(name: str, form: str) -> None:
    # An unhandled rejection would end node with an error, failing run_js.
    result = run_js([_script(form)], SILENT_FAILURES[name])
    assert result["errors"] == [] and result["warnings"] == []


@needs_node
@pytest.mark.parametrize("form", FORMS)
def test_a_throw_from_client_130_means_wait(form: str) -> None:
    # 1.3.0 has no isInitialized: any synchronous throw is taken as "not initialised yet"
    # (spec 4.3 step 2), so the script waits for the event instead of warning.
    result = run_js([_script(form)], ["client-ready", "broken", "run 0"])
    assert result["errors"] == [] and result["warnings"] == []
    assert result["calls"] == [] and result["listeners"] == 1


# Every step list above, plus mixes; the two forms must leave identical traces.
DIFFERENTIAL: dict[str, list[str]] = {
    **{f"scenario: {name}": steps for name, (steps, _) in SCENARIOS.items()},
    **{f"failure: {name}": steps for name, steps in FAILURES.items()},
    **{f"silent: {name}": steps for name, steps in SILENT_FAILURES.items()},
    "1.3.0 throw means wait": ["client-ready", "broken", "run 0"],
    "two renders, before and after the client": ["run 0", "client-1.3.0", "run 1", "initialize"],
    "two renders, newer client": ["client-new", "run 0", "initialize", "run 1", "run 0"],
    "no client ever": ["run 0", "run 1", "dispatch connectif.managed.initialized"],
    "initialised without a client": ["run 0", "initialize"],
    "taken after the first run": ["run 0", "taken", "run 1", "client-ready", "initialize"],
}


@needs_node
@pytest.mark.parametrize("name", DIFFERENTIAL)
def test_the_compact_form_behaves_as_the_readable_form(name: str) -> None:
    traces = [
        run_js([_script(form, "r1"), _script(form, "r2")], DIFFERENTIAL[name]) for form in FORMS
    ]
    assert traces[0]["errors"] == []
    assert traces[0] == traces[1]


@needs_node
@pytest.mark.parametrize("form", FORMS)
def test_inline_script_is_valid_javascript(tmp_path: Any, form: str) -> None:
    scripts = [script_text(event_script(form, events_payload(**hostile_call(HOSTILE[1]))))]
    if form == "compact":
        scripts.append(script_text(render_page_events({**SAMPLE, "custom_events": [CUSTOM]})))
    assert NODE is not None
    for n, text in enumerate(scripts):
        path = tmp_path / f"events-{n}.js"
        path.write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [NODE, "--check", str(path)], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stderr


# -- static/tagkit-events.js ------------------------------------------------------------------

RUNNER = static_path("tagkit-events.js").read_text(encoding="utf-8")


def _island(render_id: str = "r1") -> str:
    html = render_events(
        [search("shoe")],
        contact={"primary_key": "ana@shop.example"},
        inline=False,
        render_id=render_id,
    )
    return str(BeautifulSoup(html, "html.parser").script.string)  # type: ignore[union-attr]


RUNNER_SCENARIOS = {
    "island before the runner, client later": (
        ["island-parsed r1 0", "run 0", "client-1.3.0", "initialize"],
        [EXPECTED_CALL],
    ),
    "runner first, island inserted later (MutationObserver)": (
        ["run 0", "client-ready", "island r1 0"],
        [EXPECTED_CALL],
    ),
    "1.3.0 not initialised: throws, waits, sends once": (
        ["client-1.3.0", "island-parsed r1 0", "run 0", "initialize"],
        [EXPECTED_CALL],
    ),
    "newer client not ready": (
        ["client-new", "island-parsed r1 0", "run 0", "initialize"],
        [EXPECTED_CALL],
    ),
    "same island twice": (
        [
            "island-parsed r1 0",
            "island-parsed r1 0",
            "run 0",
            "island r1 0",
            "client-ready",
            "initialize",
        ],
        [EXPECTED_CALL],
    ),
    "runner included twice": (
        ["island-parsed r1 0", "run 0", "run 0", "client-ready", "initialize", "send-pending"],
        [EXPECTED_CALL],
    ),
    "a new render sends again": (
        ["run 0", "client-ready", "island r1 0", "island r2 1", "island r1 0"],
        [EXPECTED_CALL, EXPECTED_CALL],
    ),
    "island inserted empty, filled afterwards": (
        ["run 0", "client-ready", "island-empty r1", "fill r1 0"],
        [EXPECTED_CALL],
    ),
    "found by sendPending without an observer event": (
        ["run 0", "client-ready", "island-parsed r1 0", "send-pending", "send-pending"],
        [EXPECTED_CALL],
    ),
}


@needs_node
@pytest.mark.parametrize("name", RUNNER_SCENARIOS)
def test_runner_sends_each_island_once(name: str) -> None:
    steps, calls = RUNNER_SCENARIOS[name]
    result = run_js([RUNNER], steps, islands=[_island("r1"), _island("r2")])
    assert result["errors"] == []
    assert result["calls"] == calls
    assert result["warnings"] == []
    assert result["listeners"] == 0


@needs_node
def test_runner_waits_for_an_incomplete_island_while_loading() -> None:
    complete = _island("r1")
    result = run_js(
        [RUNNER],
        ["run 0", "client-ready", "island r1 0", "fill r1 1", "loaded"],
        islands=[complete[:20], complete],
        ready_state="loading",
    )
    assert result["calls"] == [EXPECTED_CALL]
    assert result["warnings"] == []
    assert result["observing"] == [{"childList": True, "subtree": True}]


@needs_node
def test_runner_reports_a_broken_island_and_carries_on() -> None:
    result = run_js(
        [RUNNER],
        ["client-ready", "island-parsed bad 0", "island-parsed x 1", "island-parsed r1 2", "run 0"],
        islands=["{not json", '{"no": "events"}', _island("r1")],
    )
    assert result["calls"] == [EXPECTED_CALL]
    assert len(result["warnings"]) == 2
    assert "not valid JSON" in result["warnings"][0]
    assert 'must be {"events": [...]' in result["warnings"][1]


@needs_node
def test_runner_is_valid_javascript() -> None:
    proc = subprocess.run(
        [NODE, "--check", str(static_path("tagkit-events.js"))],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


# -- jsonsafe: the C-encoder path equals the plain walker -------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tagkit import jsonsafe  # noqa: E402

JSON_LEAVES = st.one_of(
    st.text(),
    st.sampled_from(["\x00", "\\u0000", '"\\u00001.5\\u0000"', "</script>", "\u2028", "'&<>"]),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.integers(),
    st.booleans(),
    st.none(),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_jsonsafe_fast_path_equals_the_walker(value: object) -> None:
    out: list[str] = []
    jsonsafe._encode(value, out)
    assert jsonsafe.dumps(value) == jsonsafe._escape("".join(out))


@pytest.mark.parametrize(
    "doc",
    [
        SAMPLE,
        {**SAMPLE, "search": "</script>&'\u2028"},
        {"login": True, "contact": {"primary_key": "a@b.example", "x": "1"}},
    ],
    ids=range(3),
)
def test_payload_assembled_from_fast_records_equals_the_dict_payload(doc: dict[str, Any]) -> None:
    from tagkit.events import _call, _payload_json
    from tagkit.jsonsafe import compact

    page = Page._for_events(doc)
    assert (
        any(r._json is not None for r in page.records("cart") + page.records("purchase"))
        or "cart" not in doc
    )
    args = (page_events(page), page.contact, page.cart, True)
    expected = events_payload(args[0], contact=args[1], cart=args[2], page_visit=True)
    assert _payload_json(_call(*args)) == compact(expected)

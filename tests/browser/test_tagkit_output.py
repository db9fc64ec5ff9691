"""What tagkit renders makes Connectif's client send exactly the model's data, in Chromium.

Every tag, every JS event type and the loader run here through the client double (or the real
client given with --connectif-client); the assertions compare the request the client sends
with the models' ``to_js()``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tagkit import Page, jsonsafe, parse_page, render_loader, render_page, render_tag
from tagkit import vocabulary as vocab
from tagkit._env import render_template
from tagkit._sample import sample_page
from tagkit.events import (
    Event,
    event,
    events_payload,
    new_render_id,
    render_events,
    render_page_events,
)
from tagkit.testing import ConnectifHarness, ConnectifPage, Notification

from ..conftest import HOSTILE
from .conftest import WAIT_FOR_ACTIVE_WORKER, profiles

pytestmark = pytest.mark.browser

STORE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
LOADER = str(render_loader(STORE_ID, "eu1"))
SAMPLE = sample_page()
KEY_OF = {tag.name: tag.page_key for tag in vocab.TAGS}
# Spec 3.12: keys the client 1.3.0 does not read from tags; parity compares without them.
UNREAD_KEYS = {
    p.js_key
    for props in (vocab.PRODUCT, vocab.CART, vocab.PURCHASE)
    for p in props
    if not p.read_by_client
}
CANARY = "window.__pwned"


def document(body: str, *, title: str = "tagkit") -> str:
    return f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body>{LOADER}\n{body}</body></html>"


def plain(value: Any) -> Any:
    """JSON as the browser sees it: Decimals become numbers, unread keys are dropped."""
    data = json.loads(jsonsafe.dumps(value))

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in UNREAD_KEYS}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(data)


def sent(request: Notification) -> dict[str, Any]:
    """The parts of a request tagkit controls: contact (without the client's tracker), cart,
    events and page categories and tags."""
    entity = {k: v for k, v in request.entity_info.items() if k != "trackerId"}
    out: dict[str, Any] = {"events": request.events}
    if entity:
        out["entityInfo"] = entity
    if request.cart is not None:
        out["cart"] = request.cart
    out["pageInfo"] = {k: request.page_info.get(k) for k in ("categories", "tags")}
    return out


def expected(page: Page) -> dict[str, Any]:
    want: dict[str, Any] = plain(page.to_js())
    return want


# templates/events.html.j2 holds the event script twice: the compact form pages get and the
# readable form it is transcribed from. The event-script scenarios run against both.
FORMS = ("compact", "readable")


def event_script(form: str, events: list[Event], **options: Any) -> str:
    """``render_events(events, **options)``, or the same call in the readable form."""
    if form == "compact":
        return str(render_events(events, **options))
    payload = events_payload(events, **options)
    return str(
        render_template(
            "events.html.j2",
            readable=True,
            id_json=jsonsafe.script_json(new_render_id()),
            payload_json=jsonsafe.script_json(payload),
            nonce=None,
        )
    )


def inject(shop: ConnectifPage, script: str) -> None:
    """Insert an event script the way a single-page app does, after the page has loaded."""
    code = script.split(">", 1)[1].removesuffix("</script>")
    shop.evaluate(
        "code => { const s = document.createElement('script'); s.text = code;"
        " document.body.appendChild(s); }",
        code,
    )


def only(shop: ConnectifPage, settle: float = 0.1) -> Notification:
    """The one request the page sends; ``settle`` seconds more must bring no other."""
    (request,) = shop.wait_for_requests(1)
    shop.assert_no_more_requests(settle)
    shop.assert_no_errors()
    return request


def tag_page(tag: vocab.Tag) -> Page:
    """The sample page's data for ``tag`` alone (login/register with the contact, D3)."""
    key = KEY_OF[tag.name]
    doc: dict[str, Any] = {key: SAMPLE[key] if tag.instances != "presence" else True}
    if tag.instances == "presence":
        doc["contact"] = SAMPLE["contact"]
    return Page.from_dict(doc)


@pytest.mark.parametrize("tag", vocab.TAGS, ids=lambda t: t.short)
def test_every_tag_sends_its_model(connectif: ConnectifHarness, tag: vocab.Tag) -> None:
    page = tag_page(tag)
    html = document(str(render_page(page)))
    request = only(connectif.open(html))
    assert sent(request) == expected(page)
    # tagkit's own parser reads the page as the client does
    assert plain(parse_page(html).page.to_js()) == sent(request)


def test_the_whole_sample_page_in_tags_mode(connectif: ConnectifHarness) -> None:
    page = Page.from_dict(SAMPLE)
    html = document(str(render_page(page)))
    request = only(connectif.open(html))
    assert sent(request) == expected(page)
    assert plain(parse_page(html).page.to_js()) == sent(request)


@pytest.mark.parametrize("profile", profiles())
def test_events_mode_sends_what_tags_mode_sends(connectif: ConnectifHarness, profile: str) -> None:
    tags = only(connectif.open(document(str(render_page(SAMPLE))), profile=profile))
    events = only(
        connectif.open(document(str(render_page_events(SAMPLE))), auto_send=False, profile=profile)
    )
    assert sent(events) == sent(tags)


@pytest.mark.parametrize(
    "event_type",
    [
        "product-visited",
        "product-searched",
        "search",
        "newsletter-subscribe",
        "purchase",
        "custom",
        "login",
        "register",
        "page-visit",
    ],
)
def test_every_js_event_type(connectif: ConnectifHarness, event_type: str) -> None:
    data: Any = {
        "product-visited": SAMPLE["product_visited"][0],
        "product-searched": SAMPLE["product_searched"][0],
        "search": {"search_text": SAMPLE["search"]},
        "newsletter-subscribe": SAMPLE["newsletter_subscribe"],
        "purchase": SAMPLE["purchases"][0],
        "custom": {
            "event_id": "5f1b2c3d4e5f60718293a4b5",
            "payload": {"size": 42, "color": "red", "gift": True},
        },
    }.get(event_type)
    one = event(event_type, data) if event_type != "page-visit" else None
    page_visit = event_type == "page-visit"
    contact = SAMPLE["contact"] if event_type in ("login", "register") else None
    script = render_events([one] if one else [], contact=contact, page_visit=page_visit)
    request = only(connectif.open(document(str(script)), auto_send=False))
    expected_events = [plain(one.to_js())] if one else []
    if page_visit:
        expected_events.append({"type": "page-visit"})
    assert request.events == expected_events
    if contact:
        assert request.entity_info["primaryKey"] == contact["primary_key"]


def test_the_cart_notification(connectif: ConnectifHarness) -> None:
    from tagkit import Cart

    cart = Cart.from_dict(SAMPLE["cart"])
    request = only(connectif.open(document(str(render_events(cart=cart))), auto_send=False))
    assert request.events == []
    assert request.cart == plain(cart.to_js())


def test_a_repeated_loader_loads_the_client_once(connectif: ConnectifHarness) -> None:
    shop = connectif.open(document(LOADER + render_tag("search", {"search_text": "x"})))
    only(shop)
    assert (
        shop.evaluate("document.querySelectorAll('script[src*=\"/client-script/\"]').length") == 1
    )


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("profile", profiles())
@pytest.mark.parametrize("where", ["before-loader", "after-loader", "twice"])
def test_an_event_script_sends_exactly_once(
    connectif: ConnectifHarness, profile: str, where: str, form: str
) -> None:
    script = event_script(form, [event("search", {"search_text": "red shoe"})], page_visit=True)
    head = "<!doctype html><html><head><title>t</title></head><body>"
    if where == "before-loader":
        html = f"{head}{script}{LOADER}</body></html>"
    elif where == "after-loader":
        html = f"{head}{LOADER}{script}</body></html>"
    else:
        html = f"{head}{script}{LOADER}{script}</body></html>"
    request = only(connectif.open(html, auto_send=False, profile=profile), settle=0.5)
    assert request.event_types == ["search", "page-visit"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("profile", profiles())
def test_right_after_a_synchronously_loaded_client(
    connectif: ConnectifHarness, profile: str, form: str
) -> None:
    """connectif.managed exists but is not initialised yet: 1.3.0 throws, the script waits."""
    script = event_script(form, [event("search", {"search_text": "red shoe"})])
    client = f"https://cdn.connectif.cloud/eu1/client-script/{STORE_ID}"
    html = f"<!doctype html><html><head><title>t</title><script src='{client}'></script>{script}</head><body></body></html>"
    shop = connectif.open(html, auto_send=False, profile=profile)
    request = only(shop, settle=0.5)
    assert request.event_types == ["search"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("profile", profiles())
def test_injected_after_initialisation_like_a_single_page_app(
    connectif: ConnectifHarness, profile: str, form: str
) -> None:
    shop = connectif.open(document(""), auto_send=False, profile=profile)
    shop.wait_for_initialized()
    shop.assert_no_more_requests(0.2)
    for round_ in (1, 2):
        inject(shop, event_script(form, [event("search", {"search_text": f"route {round_}"})]))
        requests = shop.wait_for_requests(round_)
        assert requests[-1].events == [{"type": "search", "searchText": f"route {round_}"}]
    shop.assert_no_errors()


# Records console.warn, before any other script of the page runs.
WARN_SPY = (
    "<script>window.__warnings = []; var warn = console.warn;"
    " console.warn = function () { window.__warnings.push([].map.call(arguments, String)"
    ".join(' ')); return warn.apply(console, arguments); };</script>"
)
# Ways an event script can fail once the client is initialised: each is one console.warn.
FAILURES = {
    "sendEvents-throws": "() => { connectif.managed.sendEvents = () => { throw new Error('x'); }; }",
    "sendEvents-rejects": "() => { connectif.managed.sendEvents = () => Promise.reject(new Error('x')); }",
    "window.tagkit-taken": "() => { window.tagkit = 'taken'; }",
}


# With 1.3.0 a throwing sendEvents reads as "not initialised yet" and the script waits in silence
# (docs/connectif.md#wait-readiness); the newer profile's isInitialized() tells the script the
# client is ready, so every failure must reach console.warn.
@pytest.mark.double_profile
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("failure", FAILURES)
def test_failures_go_to_console_warn_never_to_the_page(
    connectif: ConnectifHarness, failure: str, form: str
) -> None:
    shop = connectif.open(
        f"<!doctype html><html><head><title>t</title>{WARN_SPY}</head><body>{LOADER}</body></html>",
        auto_send=False,
        profile="newer",
    )
    shop.wait_for_initialized()
    shop.evaluate(FAILURES[failure])
    inject(shop, event_script(form, [event("search", {"search_text": "red shoe"})]))
    warnings = shop.evaluate(
        "async () => { const ours = () => window.__warnings.filter((w) => w.startsWith('tagkit: '));"
        " for (let i = 0; i < 50 && !ours().length; i++)"
        " await new Promise((r) => setTimeout(r, 20));"
        " await new Promise((r) => setTimeout(r, 100)); return ours(); }"
    )
    assert len(warnings) == 1, warnings
    shop.assert_no_more_requests(0.2)
    shop.assert_no_errors()


def _cart(lines: int) -> dict[str, Any]:
    products = SAMPLE["cart"]["products"][:lines]
    return {
        "cart_id": "c-5521",
        "total_quantity": sum(p["quantity"] for p in products),
        "total_price": "9.99" if lines else "0",
        "products": products,
    }


def test_ajax_cart_changes(connectif: ConnectifHarness) -> None:
    shop = connectif.open(document(str(render_tag("cart", _cart(1)))))
    (first,) = shop.wait_for_requests(1)
    assert first.cart == plain(Page.from_dict({"cart": _cart(1)}).to_js()["cart"])

    def replace_cart(data: dict[str, Any]) -> None:
        html = str(render_tag("cart", data))
        shop.evaluate(
            "html => { document.querySelector('.cn_cart').outerHTML = html;"
            " return window.connectif.managed.sendEvents([]); }",
            html,
        )

    replace_cart(_cart(2))
    second = shop.wait_for_requests(2)[-1]
    assert second.cart == plain(Page.from_dict({"cart": _cart(2)}).to_js()["cart"])
    replace_cart(_cart(2))  # unchanged: nothing is sent
    shop.assert_no_more_requests(0.4)
    replace_cart(_cart(0))  # emptied: sent as an empty cart (D2)
    third = shop.wait_for_requests(3)[-1]
    assert third.cart == {"cartId": "c-5521", "totalQuantity": 0, "totalPrice": 0, "products": []}
    shop.assert_no_errors()


def _hostile_page(text: str) -> dict[str, Any]:
    product = {
        "url": "https://shop.example/p?q=" + "x",
        "product_id": text,
        "name": text,
        "unit_price": "1.50",
        "description": text,
        "brand": text,
        "tag": [text],
        "custom_field_1": text,
    }
    return {
        "contact": {"primary_key": "ana@shop.example", "_name": text, "loyalty_tier": text},
        "cart": {
            "cart_id": text,
            "total_quantity": 1,
            "total_price": "1.50",
            "products": [{"quantity": 1, "price": "1.50", **product}],
        },
        "product_visited": [product],
        "search": text,
        "purchases": [
            {"purchase_id": text, "total_quantity": 0, "total_price": 0, "payment_method": text}
        ],
        "page_tags": [text[:25].strip() or "x"],
        "page_categories": ["/" + text.replace("/", "|")],
    }


@pytest.mark.parametrize("mode", ["tags", "events"])
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_arrive_byte_identical_and_run_nothing(
    connectif: ConnectifHarness, mode: str, text: str
) -> None:
    doc = _hostile_page(text)
    events = mode == "events"
    if events:  # custom events are JS only
        custom = {"event_id": "5f1b2c3d4e5f60718293a4b5", "payload": {"note": text}}
        doc["custom_events"] = [custom]
    page = Page.from_dict(doc)
    body = render_page_events(page) if events else render_page(page)
    shop = connectif.open(document(str(body)), auto_send=not events)
    request = only(shop)
    want = expected(page)
    if events:
        assert want["events"][0] == {
            "type": "custom",
            "eventId": custom["event_id"],
            "payload": {"note": text},
        }
    assert sent(request) == want
    assert shop.evaluate(f"typeof {CANARY}") == "undefined"


def test_negative_control_a_comma_price_is_caught(connectif: ConnectifHarness) -> None:
    """The harness is not vacuous: markup with a comma price makes the client send 1.234."""
    page = Page.from_dict({"product_visited": [SAMPLE["product_visited"][0]]})
    html = str(render_page(page)).replace(">49.90<", ">1.234,50<")
    request = only(connectif.open(document(html)))
    with pytest.raises(AssertionError):
        assert sent(request) == expected(page)
    assert request.events[0]["product"]["unitPrice"] == 1.234


def test_negative_control_a_missing_cart_id_drops_the_cart(connectif: ConnectifHarness) -> None:
    page = Page.from_dict({"cart": _cart(1)})
    html = str(render_page(page)).replace('<span class="cart_id">c-5521</span>', "")
    request = only(connectif.open(document(html)))
    assert request.cart is None
    with pytest.raises(AssertionError):
        assert sent(request) == expected(page)


def test_tagkits_service_worker_registers_and_imports_the_worker(
    connectif: ConnectifHarness, tmp_path: Path
) -> None:
    from tagkit import render_service_worker
    from tagkit.testing import serve_directory

    (tmp_path / "index.html").write_text(document(""), encoding="utf-8")
    (tmp_path / "scripts").mkdir()
    # Stands in for Connectif's hosted worker (D6), served locally: no network.
    (tmp_path / "scripts" / "service-worker.js").write_text(
        "self.addEventListener('install', () => self.skipWaiting());\n"
        "self.addEventListener('message', (event) => event.source.postMessage('connectif worker'));\n"
    )
    with serve_directory(tmp_path) as base:
        (tmp_path / "service-worker.js").write_text(
            render_service_worker(f"{base}/scripts/service-worker.js")
        )
        shop = connectif.visit(
            f"{base}/index.html",
            config={
                "vapidPublicKey": "BPublicKey",
                "serviceWorkerUrl": f"{base}/service-worker.js",
            },
        )
        shop.wait_for_requests(1)
        assert shop.evaluate(WAIT_FOR_ACTIVE_WORKER) == {
            "state": "activated",
            "scope": f"{base}/",
            "script": f"{base}/service-worker.js",
            "imported": "connectif worker",
        }
        shop.assert_no_errors()
        assert shop.blocked == []


GOLDEN = Path(__file__).parents[1] / "golden"
GOLDEN_PAGES = sorted([*GOLDEN.glob("tags/*.html"), *GOLDEN.glob("page/*.html")])


@pytest.mark.parametrize("path", GOLDEN_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_double_and_tagkits_parser_agree_on_every_golden_page(
    connectif: ConnectifHarness, path: Path
) -> None:
    body = path.read_text(encoding="utf-8")
    html = document(body)
    request = only(connectif.open(html))
    assert plain(parse_page(html).page.to_js()) == sent(request)

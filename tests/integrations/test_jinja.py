"""The Jinja2 extension: settings read lazily the Jinja way, globals that return markup, errors
that name the field, setting and value, and hostile text that stays text."""

from __future__ import annotations

import json
import re
from types import MappingProxyType
from typing import Any

import pytest
from jinja2 import Environment
from markupsafe import Markup

from tagkit import ConfigError, Page, ValidationError, parse_page, render_loader, render_page
from tagkit.integrations import Visit, queue_event
from tagkit.integrations.jinja import TagkitExtension

from ..conftest import HOSTILE
from .conftest import STORE_ID

SHOE = {
    "url": "https://shop.example/p/sku-77",
    "product_id": "SKU-77",
    "name": "Red shoe",
    "unit_price": "49.90",
}
CART = {"cart_id": "c-1", "total_quantity": 1, "total_price": "49.90"}
ORDER = {"purchase_id": "o-1", "total_quantity": 1, "total_price": "49.90"}
ANA = {"primary_key": "ana@shop.example"}


def environment(**settings: Any) -> Environment:
    env = Environment(extensions=["tagkit.integrations.jinja.TagkitExtension"], autoescape=True)
    env.extend(tagkit_store_id=STORE_ID, tagkit_region="eu6", **settings)
    return env


def render(env: Environment, source: str, **context: Any) -> str:
    return env.from_string(source).render(**context)


def payload(html: str) -> dict[str, Any]:
    """The sendEvents arguments of the one event script in ``html``."""
    [found] = re.findall(r"\n    return (\{.*\});\n", html)
    data: dict[str, Any] = json.loads(found)
    return data


def test_the_extension_sets_no_attribute_so_extend_configures_it() -> None:
    env = Environment(extensions=[TagkitExtension])
    assert not [name for name in dir(env) if name.startswith("tagkit_")]
    env.extend(tagkit_store_id=STORE_ID, tagkit_region="eu6", tagkit_mode="events")
    assert env.tagkit_mode == "events"  # type: ignore[attr-defined]
    html = render(env, "{{ connectif_page({'search': 'red shoe'}) }}")
    assert payload(html)["events"] == [
        {"type": "search", "searchText": "red shoe"},
        {"type": "page-visit"},
    ]


def test_settings_are_read_when_a_template_renders() -> None:
    env = environment()
    template = env.from_string("{{ connectif_loader() }}")
    assert "/eu6/client-script/" in template.render()
    env.tagkit_region = "eu1"  # type: ignore[attr-defined]
    assert "/eu1/client-script/" in template.render()


def test_loader_is_tagkits_loader() -> None:
    assert render(environment(), "{{ connectif_loader() }}") == str(render_loader(STORE_ID, "eu6"))


def test_globals_return_markup_that_autoescape_keeps() -> None:
    env = environment()
    for name, call in (
        ("connectif_loader", lambda g: g()),
        ("connectif_page", lambda g: g({"search": "x"})),
        ("connectif_event", lambda g: g("login", contact=ANA)),
    ):
        assert isinstance(call(env.globals[name]), Markup), name
    assert "&lt;div" not in render(env, "{{ connectif_page({'login': true}) }}")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"tagkit_store_id": None},
            "tagkit_store_id is not set: the loader needs the store's id",
        ),
        ({"tagkit_store_id": "shop-1"}, "tagkit_store_id: store_id must be the store's id"),
        ({"tagkit_region": "EU 6"}, "tagkit_region: region must be the store's region"),
        ({"tagkit_mode": "tag"}, "tagkit_mode must be 'tags'"),
        ({"tagkit_hidden": "yes"}, "tagkit_hidden must be True or False, got 'yes'"),
    ],
)
def test_a_bad_setting_is_named_with_its_value(settings: dict[str, Any], message: str) -> None:
    env = Environment(extensions=[TagkitExtension])
    env.extend(**{"tagkit_store_id": STORE_ID, "tagkit_region": "eu6", **settings})
    with pytest.raises(ConfigError) as caught:
        render(env, "{{ connectif_loader() }}")
    assert str(caught.value).startswith(message)
    value = next(iter(settings.values()))
    if value is not None:
        assert repr(value) in str(caught.value)


def test_a_page_may_be_a_page_a_dict_a_mapping_or_nothing() -> None:
    env = environment()
    doc = {"product_visited": [SHOE], "cart": CART, "page_tags": ["sale"]}
    want = str(render_page(doc))
    template = env.from_string("{{ connectif_page(page) }}")
    for page in (Page.from_dict(doc), doc, MappingProxyType(doc)):
        assert template.render(page=page) == want
    assert render(env, "{{ connectif_page() }}") == ""
    assert render(env, "{{ connectif_page(none) }}") == ""


def test_invalid_data_raises_with_the_field_path_and_emits_nothing() -> None:
    env = environment()
    out: list[str] = []
    template = env.from_string("<body>{{ connectif_page(page) }}</body>")
    bad = {**CART, "total_price": "1.234,50"}
    with pytest.raises(ValidationError) as caught:
        out.append(template.render(page={"cart": bad}))
    assert str(caught.value).startswith("cart.total_price must be a non-negative number")
    assert "'1.234,50'" in str(caught.value)
    assert out == []


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_reaches_connectif_unchanged(text: str) -> None:
    doc = {"search": "q " + text, "product_visited": [{**SHOE, "name": "n " + text}]}
    tags = render(environment(), "{{ connectif_page(page) }}", page=doc)
    assert parse_page(tags).page == Page.from_dict(doc)
    html = render(environment(tagkit_mode="events"), "{{ connectif_page(page) }}", page=doc)
    assert "</script>" not in html.removesuffix("</script>")
    sent = payload(html)["events"]
    assert sent[0]["product"]["name"] == Page.from_dict(doc).product_visited[0].name
    assert sent[1]["searchText"] == Page.from_dict(doc).search.search_text  # type: ignore[union-attr]


def test_events_mode_sends_one_call_ending_with_page_visit_and_keeps_page_info_as_tags() -> None:
    html = render(
        environment(tagkit_mode="events"),
        "{{ connectif_page(page) }}",
        page={"contact": ANA, "cart": CART, "login": True, "page_categories": ["/Shoes"]},
    )
    call = payload(html)
    assert [e["type"] for e in call["events"]] == ["login", "page-visit"]
    assert call["options"]["entityInfo"] == {"primaryKey": "ana@shop.example"}
    assert call["options"]["cart"]["cartId"] == "c-1"
    assert html.endswith('<span class="cn_page_category" style="display:none">/Shoes</span>')


def test_mode_can_be_chosen_per_page() -> None:
    html = render(environment(), "{{ connectif_page({'search': 'x'}, mode='events') }}")
    assert payload(html)["events"][-1] == {"type": "page-visit"}
    with pytest.raises(ConfigError, match=r"^mode must be 'tags'.*got 'js'$"):
        render(environment(), "{{ connectif_page({}, mode='js') }}")


def test_connectif_event_renders_one_call() -> None:
    env = environment(tagkit_mode="events")
    html = render(env, "{{ connectif_event('login', contact=ana, page_visit=true) }}", ana=ANA)
    assert payload(html) == {
        "events": [{"type": "login"}, {"type": "page-visit"}],
        "options": {"entityInfo": {"primaryKey": "ana@shop.example"}},
    }
    cart = payload(render(env, "{{ connectif_event('cart', cart) }}", cart=CART))
    assert cart["events"] == [] and cart["options"]["cart"]["totalPrice"] == 49.9
    visit = payload(render(env, "{{ connectif_event('page-visit') }}"))
    assert visit["events"] == [{"type": "page-visit"}]
    product = payload(render(env, "{{ connectif_event('product-visited', shoe) }}", shoe=SHOE))
    assert product["events"][0]["product"]["productId"] == "SKU-77"


def test_connectif_event_errors_name_the_problem() -> None:
    env = environment()
    with pytest.raises(ValidationError, match=r"^contact is required with a 'login' event"):
        render(env, "{{ connectif_event('login') }}")
    with pytest.raises(ValidationError, match=r"did you mean 'login'\?"):
        render(env, "{{ connectif_event('logn', contact=ana) }}", ana=ANA)
    with pytest.raises(ConfigError, match=r"^page-visit in tags mode would count"):
        render(env, "{{ connectif_event('search', 'x', page_visit=true) }}")
    with pytest.raises(ValidationError, match=r"^page-visit takes no data"):
        render(environment(tagkit_mode="events"), "{{ connectif_event('page-visit', 'x') }}")


def test_nonce_goes_on_every_script_and_a_bad_one_is_refused() -> None:
    env = environment(tagkit_mode="events")
    html = render(
        env,
        "{{ connectif_loader('n0nce') }}{{ connectif_page({'login': true,"
        " 'contact': ana}, nonce='n0nce') }}",
        ana=ANA,
    )
    assert html.count("<script") == html.count('nonce="n0nce"') == 2
    with pytest.raises(ConfigError, match=r"^nonce must be a CSP nonce.*got 'a b'$"):
        render(env, "{{ connectif_loader('a b') }}")


def test_hidden_and_no_inline_settings() -> None:
    env = environment(tagkit_hidden=True, tagkit_inline=False, tagkit_mode="events")
    html = render(env, "{{ connectif_loader() }}{{ connectif_page({'page_tags': ['x']}) }}")
    assert '<script async src="https://cdn.connectif.cloud/eu6/client-script/' in html
    assert 'type="application/json" data-tagkit-events=' in html
    assert '<span class="cn_page_tag" hidden>x</span>' in html
    assert "function" not in html


class Request:
    """A stand-in for a framework: a session dict, a nonce and a cache flag."""

    def __init__(self, session: dict[str, Any], nonce: str | None = None) -> None:
        self.session = session
        self.nonce = nonce
        self.no_store = False

    def visit(self) -> Visit:
        return Visit(session=self.session, nonce=self.nonce, one_shot=self.mark)

    def mark(self) -> None:
        self.no_store = True


def test_a_framework_hook_gives_sessions_nonces_and_the_cache_flag() -> None:
    session: dict[str, Any] = {}
    queue_event(session, "login")
    env = environment()
    template = env.from_string("{{ connectif_page({'contact': ana}) }}")
    first = Request(session, nonce="abc")
    env.tagkit_visit = first.visit  # type: ignore[attr-defined]
    assert '<div class="cn_login" style="display:none"></div>' in template.render(ana=ANA)
    assert first.no_store
    again = Request(session)
    env.tagkit_visit = again.visit  # type: ignore[attr-defined]
    assert "cn_login" not in template.render(ana=ANA)
    assert not again.no_store
    assert json.loads(json.dumps(session)) == session  # any session serializer stores it


def test_the_request_nonce_is_used_unless_a_call_gives_one() -> None:
    env = environment(tagkit_mode="events")
    env.tagkit_visit = Request({}, nonce="fromRequest").visit  # type: ignore[attr-defined]
    assert 'nonce="fromRequest"' in render(env, "{{ connectif_loader() }}")
    assert 'nonce="mine"' in render(env, "{{ connectif_loader('mine') }}")
    assert 'nonce="fromRequest"' in render(env, "{{ connectif_page({}) }}")


def test_a_purchase_is_sent_once_per_id_in_a_session() -> None:
    env = environment()
    session: dict[str, Any] = {}
    env.tagkit_visit = Request(session).visit  # type: ignore[attr-defined]
    template = env.from_string("{{ connectif_page({'purchases': orders}) }}")
    second = {**ORDER, "purchase_id": "o-2"}
    assert template.render(orders=[ORDER]).count("cn_purchase") == 1
    assert template.render(orders=[ORDER]) == ""
    assert template.render(orders=[ORDER, second, second]).count("cn_purchase") == 1
    third = parse_page(template.render(orders=[{**ORDER, "purchase_id": "o-3"}, second]))
    assert [p.purchase_id for p in third.page.purchases] == ["o-3"]
    event = env.from_string("{{ connectif_event('purchase', order) }}")
    assert event.render(order=ORDER) == ""
    assert "o-4" in event.render(order={**ORDER, "purchase_id": "o-4"})
    assert event.render(order={**ORDER, "purchase_id": "o-4"}) == ""

"""The Django app and the example project, with Django's test client: template tags, system
checks at start-up, one-shot events, purchases, the cart fragment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest

from .django_setup import PROJECT, setup

setup()

from django.core.checks import run_checks  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402

from tagkit import ConfigError, Page, ValidationError, parse_page  # noqa: E402
from tagkit.integrations.django import queue_event  # noqa: E402
from tagkit.integrations.django.views import cart_fragment  # noqa: E402

from .conftest import STORE_ID  # noqa: E402

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
TAGKIT_MW = "tagkit.integrations.django.middleware.TagkitMiddleware"
ANA = {"primary_key": "ana@shop.example"}
CART = {"cart_id": "c-1", "total_quantity": 0, "total_price": 0}
EVENTS = {"STORE_ID": STORE_ID, "REGION": "eu6", "MODE": "events"}


def parsed(html: str) -> Page:
    return parse_page(html).page


def render(source: str, **context: Any) -> str:
    template = engines["django"].from_string("{% load connectif %}" + source)
    return str(template.render(context))


def tagkit_checks() -> list[str]:
    return [f"{m.id}: {m.msg}" for m in run_checks() if str(m.id).startswith("tagkit.")]


# -- system checks ------------------------------------------------------------------------------


def test_the_example_project_passes_the_checks() -> None:
    assert tagkit_checks() == []


def test_missing_middleware_is_an_error_at_start_up() -> None:
    with override_settings(MIDDLEWARE=[]):
        found = tagkit_checks()
    assert [line.split(":")[0] for line in found] == ["tagkit.E002", "tagkit.E003"]
    assert "tagkit needs the session middleware" in found[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "tagkit.E001: TAGKIT is not set"),
        ({"STORE_ID": "x", "REGION": "eu6"}, "tagkit.E001: TAGKIT['STORE_ID']: store_id must"),
        (
            {"STORE_ID": STORE_ID, "REGION": "eu6", "MODES": "tags"},
            "tagkit.E001: TAGKIT['MODES'] is not",
        ),
        ("tags", "tagkit.E001: TAGKIT must be a dict"),
    ],
)
def test_a_bad_tagkit_setting_is_an_error_at_start_up(value: Any, message: str) -> None:
    with override_settings(TAGKIT=value):
        [found] = tagkit_checks()
    assert found.startswith(message)


def test_manage_py_check_fails_with_a_bad_mode() -> None:
    env = {**os.environ, "TAGKIT_MODE": "auto", "PYTHONPATH": str(PROJECT.parents[1])}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "(tagkit.E001) TAGKIT['MODE'] must be 'tags'" in done.stderr
    assert "got 'auto'" in done.stderr


# -- template tags --------------------------------------------------------------------------------


def test_tags_take_the_jinja_arguments() -> None:
    html = render(
        "{% connectif_loader %}{% connectif_page page %}"
        '{% connectif_event "login" contact=contact %}',
        page={"search": "red shoe"},
        contact=ANA,
    )
    assert "/eu6/client-script/" + STORE_ID in html
    assert parsed(html).search.search_text == "red shoe"  # type: ignore[union-attr]
    assert '"events":[{"type":"login"}]' in html
    with override_settings(TAGKIT=EVENTS):
        html = render(
            '{% connectif_event "search" "x" page_visit=True nonce="n0nce" %}'
            '{% connectif_page page mode="tags" %}',
            page={"login": True},
        )
    assert '<script nonce="n0nce">' in html
    assert '"events":[{"searchText":"x","type":"search"},{"type":"page-visit"}]' in html
    assert '<div class="cn_login" style="display:none"></div>' in html


def test_hostile_text_is_escaped_once() -> None:
    text = '</script><script>window.__pwned=1</script> & "q" {{ x }} {% y %}'
    html = render("{% connectif_page page %}", page={"search": text})
    assert parsed(html).search.search_text == text  # type: ignore[union-attr]
    assert "<script>" not in html


def test_invalid_data_raises_with_the_field_path() -> None:
    with pytest.raises(ValidationError, match=r"^cart\.total_price must be a non-negative"):
        render("{% connectif_page page %}", page={"cart": {**CART, "total_price": "€5"}})
    with pytest.raises(ConfigError, match=r"^page-visit in tags mode"):
        render('{% connectif_event "page-visit" %}')


def test_the_nonce_comes_from_request_csp_nonce() -> None:
    request = RequestFactory().get("/")
    request.csp_nonce = "fr0mDjang0"
    template = engines["django"].from_string("{% load connectif %}{% connectif_loader %}")
    assert 'nonce="fr0mDjang0"' in template.render({}, request)


def test_queue_event_needs_a_session() -> None:
    request = RequestFactory().get("/")
    with pytest.raises(ConfigError, match=r"^queue_event needs request.session: add 'django"):
        queue_event(request, "login")


def test_cart_fragment_view() -> None:
    response = cart_fragment(CART)
    assert response["Cache-Control"] == "private, no-store"
    assert parsed(response.content.decode()) == Page.from_dict({"cart": CART})
    assert cart_fragment(None).content == b""


def test_shipped_scripts_are_served_and_nothing_else() -> None:
    client = Client()
    response = client.get("/_tagkit/tagkit-cart.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert client.get("/_tagkit/connectif-double.js").status_code == 404


# -- the example shop -----------------------------------------------------------------------------


def test_every_page_has_the_loader_and_its_data() -> None:
    client = Client()
    html = client.get("/p/SKU-78").content.decode()
    assert html.count('id="__cn_generic_script__' + STORE_ID) == 1
    page = parsed(html)
    assert page.product_visited[0].name == 'Trail shoe "Pro" <waterproof> & grippy'
    found = parsed(client.get("/search", {"q": "sock"}).content.decode())
    assert [p.product_id for p in found.product_searched] == ["SKU-90"]


def test_login_is_sent_once_after_the_redirect() -> None:
    client = Client()
    assert client.post("/login", {"email": "ana@shop.example"}).status_code == 302
    first = client.get("/")
    assert first["Cache-Control"] == "private, no-store"
    page = parsed(first.content.decode())
    assert page.login and page.contact is not None
    again = client.get("/")
    assert not parsed(again.content.decode()).login
    assert not again.has_header("Cache-Control")


def test_newsletter_errors_are_shown_and_a_good_one_is_queued() -> None:
    client = Client()
    bad = client.post("/newsletter", {"email": "x"})
    assert bad.status_code == 400
    assert "newsletter_subscribe.email must be an email address" in bad.content.decode()
    client.post("/newsletter", {"email": "bo@shop.example"})
    assert parsed(client.get("/c/socks").content.decode()).newsletter_subscribe is not None
    assert parsed(client.get("/c/socks").content.decode()).newsletter_subscribe is None


def test_a_purchase_is_sent_once_per_purchase_id() -> None:
    client = Client()
    client.post("/cart/add", {"sku": "SKU-77"})
    done = client.post("/checkout")
    thanks = client.get(done["Location"])
    page = parsed(thanks.content.decode())
    assert [p.total_price for p in page.purchases] == [page.purchases[0].total_price]
    assert page.cart is not None and page.cart.total_quantity == 0
    for _ in range(2):
        assert not parsed(client.get(done["Location"]).content.decode()).purchases


def test_events_mode_renders_one_script() -> None:
    with override_settings(TAGKIT=EVENTS):
        html = Client().get("/p/SKU-77").content.decode()
    [payload] = re.findall(r"\n    return (\{.*\});\n", html)
    assert '"type":"product-visited"' in payload
    assert payload.endswith('{"type":"page-visit"}],"options":{}}')

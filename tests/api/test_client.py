"""The client against the API double on 127.0.0.1: real sockets, injected faults."""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Callable

import httpx
import pytest

from tagkit.api import (
    ApiConfigError,
    ApiConnectionError,
    ApiError,
    AuthenticationError,
    ConnectifAPI,
    ContactMissing,
    PermissionDenied,
    ProductsMissing,
    RateLimited,
    ServerError,
    UnprocessableEntity,
)
from tagkit.testing import ConnectifAPIDouble, Fault

from .conftest import product, purchase

MakeClient = Callable[..., ConnectifAPI]
MakeDouble = Callable[..., ConnectifAPIDouble]


def test_the_fixture_serves_the_routes_and_encodes_path_segments(
    connectif_api: ConnectifAPIDouble, make_client: MakeClient
) -> None:
    api = make_client(connectif_api)
    api.upsert_contact({"primary_key": "ana+news@shop.example", "_name": "Ana"})
    api.upsert_contact({"primary_key": "ana+news@shop.example", "_surname": "Ruiz"})
    assert connectif_api.contacts["ana+news@shop.example"]["_name"] == "Ana"  # PATCH merges
    assert api.get_contact("ana+news@shop.example")["_surname"] == "Ruiz"  # type: ignore[index]
    assert api.get_contact("nobody@shop.example") is None
    api.upsert_product(product("a/b"))
    assert connectif_api.sent("PATCH", "/products/")[0].path == "/products/product-id/P-a%2Fb"
    assert api.get_product("P-a/b")["name"] == "Product a/b"  # type: ignore[index]
    [patch] = connectif_api.sent("PATCH", "/contacts/")[:1]
    assert patch.path == "/contacts/ana%2Bnews%40shop.example"
    assert patch.authorized


def test_purchase_preconditions_are_explained(
    client: ConnectifAPI, double: ConnectifAPIDouble
) -> None:
    with pytest.raises(ContactMissing) as missing_contact:
        client.create_purchase(purchase(1))
    assert missing_contact.value.code == "E0101"
    assert "upsert the contact first" in str(missing_contact.value)
    client.upsert_contact({"primary_key": "buyer1@shop.example"})
    with pytest.raises(ProductsMissing) as missing:
        client.create_purchase(purchase(1, lines=2))
    assert missing.value.product_ids == ("P-1-0", "P-1-1")
    assert str(missing.value) == (
        "POST /purchases/: 400 E0102: products 'P-1-0', 'P-1-1' do not exist in Connectif "
        "(upsert these products first; sync_purchase does)"
    )
    assert missing.value.status == 400 and missing.value.detail
    created = client.sync_purchase(purchase(1, lines=2), trigger_purchase_event=False)
    assert created["purchaseId"] == "o-1" and double.created("o-1") == 1
    [post] = [r for r in double.sent("POST") if r.status == 201]
    assert post.query == {"triggerPurchaseEvent": ["false"]}
    assert client.get_purchase("o-1")["contactEmail"] == "buyer1@shop.example"  # type: ignore[index]
    assert client.delete_purchase("o-1") is True
    assert client.delete_purchase("o-1") is False
    assert client.get_purchase("o-1") is None


@pytest.mark.parametrize("kind", ["error", "error-after", "drop", "drop-after", "slow"])
def test_a_failed_post_is_reconciled_never_duplicated(
    kind: str, make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double()
    api = make_client(double, timeout=0.5)
    double.inject(Fault(kind, method="POST", path="/purchases/", times=2, delay=1.0))  # type: ignore[arg-type]
    result = api.sync_purchase(purchase(5))
    assert result["purchaseId"] == "o-5"
    assert double.created("o-5") == 1
    processed_first = kind in ("error-after", "drop-after", "slow")
    posts = double.sent("POST")
    # A POST whose outcome was unknown is followed by a GET, never by a blind second POST.
    assert len(posts) == (1 if processed_first else 3)
    assert api.stats.reconciled == (1 if processed_first else 0)
    kinds = [(r.method, r.fault) for r in double.requests if r.path.startswith("/purchases/")]
    assert kinds[0] == ("POST", kind)
    assert kinds[1][0] == "GET"


def test_check_existing_finds_a_purchase_sent_by_an_earlier_run(
    client: ConnectifAPI, double: ConnectifAPIDouble
) -> None:
    client.sync_purchase(purchase(2))
    again = client.sync_purchase(purchase(2), check_existing=True)
    assert again["purchaseId"] == "o-2" and double.created("o-2") == 1
    assert len(double.sent("POST")) == 1


@pytest.mark.parametrize("kind", ["error", "drop", "slow"])
def test_idempotent_requests_are_retried(
    kind: str, make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double()
    api = make_client(double, timeout=0.5)
    double.inject(Fault(kind, method="PATCH", times=2, delay=1.0))  # type: ignore[arg-type]
    api.upsert_contact({"primary_key": "ana@shop.example", "_points": 4})
    assert double.contacts["ana@shop.example"]["_points"] == 4
    assert api.stats.retries == 2
    assert [r.fault for r in double.sent("PATCH")] == [kind, kind, None]


def test_retries_run_out_with_a_clear_error(
    make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double()
    api = make_client(double, max_retries=2)
    double.inject(Fault("error", method="GET", status=502, times=3))
    with pytest.raises(ServerError) as caught:
        api.get_contact("ana@shop.example")
    assert caught.value.status == 502
    assert str(caught.value).startswith("GET /contacts/ana%40shop.example: 502")
    double.inject(Fault("drop", method="GET", times=3))
    with pytest.raises(ApiConnectionError, match="no response: connection failed"):
        api.get_contact("ana@shop.example")
    # Nobody listening at all.
    dead = ConnectifAPI(api_key="id:secret", base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(ApiConnectionError):
        dead.get_contact("ana@shop.example")
    dead.close()


@pytest.mark.parametrize("style", ["retry-after", "x-ratelimit", "ratelimit", "none"])
def test_429_waits_as_told_then_retries(
    style: str, make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double(rate_limit=2, rate_window=0.3, rate_headers=style)
    # Without headers the backoff guesses; enough retries that a guess cannot run out.
    api = make_client(double, max_retries=20)
    started = time.monotonic()
    for n in range(5):
        api.upsert_contact({"primary_key": f"c{n}@shop.example"})
    assert len(double.contacts) == 5
    assert double.rate_limited >= 1
    assert api.stats.rate_limited == double.rate_limited
    if style != "none":
        # Two windows at least had to pass: the client waited as the headers said.
        assert time.monotonic() - started >= 0.5
        assert api.stats.rate_wait_seconds > 0.2


def test_pacing_keeps_429s_away(make_double: MakeDouble, make_client: MakeClient) -> None:
    double = make_double(rate_limit=5, rate_window=0.25)
    api = make_client(double, rate_per_minute=60 * 5 / 0.25 * 0.6)
    for n in range(15):
        api.upsert_contact({"primary_key": f"c{n}@shop.example"})
    assert double.rate_limited == 0
    assert api.stats.pacing_wait_seconds > 0.3


def test_a_wait_beyond_max_rate_wait_fails_at_once(
    make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double(rate_limit=0, rate_window=600)
    api = make_client(double, max_rate_wait=5)
    with pytest.raises(
        RateLimited, match="Connectif asks to wait 600 s, more than max_rate_wait 5 s"
    ):
        api.get_contact("ana@shop.example")


def test_auth_and_shape_errors(make_double: MakeDouble) -> None:
    double = make_double(api_keys=("good:key",), forbidden_keys=("read:only",))
    with (
        ConnectifAPI(api_key="bad:key", base_url=double.url) as api,
        pytest.raises(AuthenticationError) as caught,
    ):
        api.get_contact("ana@shop.example")
    assert caught.value.status == 401 and "bad:key" not in str(caught.value)
    with (
        ConnectifAPI(api_key="read:only", base_url=double.url) as api,
        pytest.raises(PermissionDenied),
    ):
        api.upsert_contact({"primary_key": "ana@shop.example"})
    # The double refuses what the client never sends: a body that is not JSON, unknown fields.
    headers = {"Authorization": "apiKey good:key"}
    answer = httpx.patch(f"{double.url}/contacts/a%40b.example", content=b"x=1", headers=headers)
    assert answer.status_code == 415
    answer = httpx.patch(
        f"{double.url}/products/product-id/P-1",
        json={"productId": "P-1", "unitPrice": "9.90", "colour": "red"},
        headers=headers,
    )
    assert answer.status_code == 422
    errors = {(e["path"], e["reason"]) for e in answer.json()["validationErrors"]}
    assert ("unitPrice", "must be a number") in errors and (
        "colour",
        "is not a field of this resource",
    ) in errors
    with ConnectifAPI(api_key="good:key", base_url=double.url) as api:
        double.inject(Fault("error", method="PATCH", status=422))
        with pytest.raises(UnprocessableEntity):
            api.upsert_product(product(1))


def test_coupon_sets_follow_links_next_on_the_same_host_only(
    make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double(page_size=3)
    made = double.add_coupon_sets(8)
    api = make_client(double)
    assert [c["id"] for c in api.coupon_sets()] == [c["id"] for c in made]
    assert len(double.sent("GET", "/coupon-sets/")) == 3
    assert api.coupon_set(made[0]["id"])["name"] == "Set 1"  # type: ignore[index]
    assert api.coupon_set("0" * 24) is None
    # A next link to another host would carry the key there: refused.
    other = make_double(page_size=3)
    other.add_coupon_sets(4)
    evil = make_client(other)
    evil.base_url = "http://localhost:1"  # the pages say 127.0.0.1
    evil._http.base_url = httpx.URL(other.url)
    with pytest.raises(ApiError, match="the next page is on another host"):
        list(evil.coupon_sets())


def test_the_key_never_shows(make_double: MakeDouble, caplog: pytest.LogCaptureFixture) -> None:
    secret = "key-id-123:sup3r-s3cret-value"
    double = make_double(api_keys=(secret,))
    caplog.set_level(logging.DEBUG)
    api = ConnectifAPI(api_key=secret, base_url=double.url, max_retries=1, timeout=0.3)
    double.inject(Fault("error", method="GET", times=2), Fault("drop", method="PATCH", times=2))
    texts = [repr(api), str(api.__dict__), repr(api._http.auth)]
    for call in (
        lambda: api.get_contact("a@shop.example"),
        lambda: api.upsert_contact({"primary_key": "a@shop.example"}),
    ):
        with pytest.raises(ApiError) as caught:
            call()
        texts += [
            str(caught.value),
            repr(caught.value),
            repr(pickle.loads(pickle.dumps(caught.value))),
        ]
        texts += [repr(vars(caught.value))]
    texts += [r.getMessage() for r in caplog.records]
    texts += [repr(r) for r in double.requests]
    for part in ("sup3r-s3cret-value", "key-id-123"):
        assert not [t for t in texts if part in t]
    assert len(caplog.records) > 2  # the retries were logged, without the key
    api.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"api_key": ""}, "no API key: pass api_key or set $CONNECTIF_API_KEY"),
        ({"api_key": "only-a-secret-value"}, "api_key must be keyId:keySecret, joined by ':'"),
        ({"api_key": "id:sec ret"}, "api_key must be keyId:keySecret without spaces"),
        ({"api_key": "id:s", "base_url": "ftp://x"}, "base_url must be an http(s) URL"),
        ({"api_key": "id:s", "timeout": 0}, "timeout must be a positive number of seconds, got 0"),
        ({"api_key": "id:s", "max_retries": -1}, "max_retries must be a whole number >= 0"),
        ({"api_key": "id:s", "rate_per_minute": 0}, "rate_per_minute must be a positive number"),
    ],
)
def test_configuration_errors_teach_and_hide_the_key(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(ApiConfigError) as caught:
        ConnectifAPI(**options)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert "only-a-secret-value" not in str(caught.value) and "sec ret" not in str(caught.value)


def test_environment_defaults(monkeypatch: pytest.MonkeyPatch, double: ConnectifAPIDouble) -> None:
    monkeypatch.setenv("CONNECTIF_API_KEY", double.api_key)
    monkeypatch.setenv("CONNECTIF_API_URL", double.url + "/")
    with ConnectifAPI() as api:
        assert api.base_url == double.url
        api.upsert_contact({"primary_key": "env@shop.example"})
    assert "env@shop.example" in double.contacts
    monkeypatch.delenv("CONNECTIF_API_URL")
    with ConnectifAPI() as api:
        assert api.base_url == "https://api.connectif.cloud"


def test_the_double_runs_from_a_shell() -> None:
    import subprocess
    import sys

    server = subprocess.Popen(
        [sys.executable, "-m", "tagkit.testing.connectif_api", "--api-key", "sh:key"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("Connectif API double on http://127.0.0.1:")
        with ConnectifAPI(api_key="sh:key", base_url=line.split()[-1]) as api:
            api.upsert_contact({"primary_key": "sh@shop.example"})
            assert api.get_contact("sh@shop.example") is not None
    finally:
        server.terminate()
        server.communicate(timeout=10)

"""``start_import`` and ``wait_for_import`` against the double's /imports/ routes: the form,
every refusal, the queue limit, faults, and never a second import of coupons."""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tagkit.api import (
    ApiConnectionError,
    Backoff,
    ConnectifAPI,
    ImportFailed,
    ImportOutcomeUnknown,
    ImportResult,
    ImportWaitTimeout,
    Journal,
    PayloadTooLarge,
    ServerError,
    TooManyImports,
)
from tagkit.api._bulk import import_key, import_records
from tagkit.api._import_csv import import_csv
from tagkit.api._imports import ImportOptions, multipart
from tagkit.testing import ConnectifAPIDouble, Fault

from .conftest import product

MakeClient = Callable[..., ConnectifAPI]
MakeDouble = Callable[..., ConnectifAPIDouble]
POLL = Backoff(initial=0.005, factor=1.5, maximum=0.02, jitter=0)
UPSERT: dict[str, Any] = {"override_existing": True, "update_only_empty_fields": False}


def contacts(count: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"primary_key": f"c{n}@shop.example", "_points": n, **extra} for n in range(count)]


def raw_post(double: ConnectifAPIDouble, fields: dict[str, str], file: bytes) -> httpx.Response:
    body, content_type = multipart(fields, file)
    return httpx.post(
        double.url + "/imports/",
        content=body,
        headers={"Authorization": f"apiKey {double.api_key}", "Content-Type": content_type},
    )


FORM = {"type": "contacts", "overrideExisting": "true", "updateOnlyEmptyFields": "false"}
FORM = {**FORM, "delimiter": ","}


def test_an_import_is_sent_as_a_form_and_waited_for(
    client: ConnectifAPI, double: ConnectifAPIDouble
) -> None:
    started = client.start_import("contacts", contacts(3), **UPSERT)
    assert (started.status, started.total) == ("queued", 3)
    [post] = double.sent("POST", "/imports/")
    assert post.body["fields"] == FORM
    assert post.body["file_type"] == "text/csv; charset=utf-8"
    assert post.body["file"].startswith(b"_email,_points\r\nc0@shop.example,0\r\n")
    seen: list[str] = []
    done = client.wait_for_import(started.id, poll=POLL, progress=lambda r: seen.append(r.status))
    assert done == ImportResult(started.id, "finished", 3, 3, 0, None)
    assert seen == ["inProgress", "finished"]
    assert double.contacts["c2@shop.example"]["_points"] == 2
    assert client.get_import(started.id) == done
    assert client.get_import("0" * 24) is None


def test_failed_rows_are_counted_and_listed_in_the_error_report(
    client: ConnectifAPI, double: ConnectifAPIDouble
) -> None:
    file = b"_email,_points\r\nok@shop.example,1\r\nnot-an-email,2\r\nbad@shop.example,many\r\n"
    answer = raw_post(double, FORM, file)
    assert answer.status_code == 201
    done = client.wait_for_import(answer.json()["id"], poll=POLL)
    assert (done.total, done.success, done.errors) == (3, 1, 2)
    assert done.error_report_url is not None
    report = httpx.get(done.error_report_url)  # like Connectif's file URL: no key needed
    assert report.headers["content-type"].startswith("text/csv")
    assert report.text.splitlines() == [
        "_email,_points,error",
        "not-an-email,2,invalid email 'not-an-email'",
        "bad@shop.example,many,\"_points must be a number, got 'many'\"",
    ]


@pytest.mark.parametrize(
    ("fields", "file", "status", "text"),
    [
        ({**FORM, "type": "purchases"}, b"_email\r\na@b.example\r\n", 422, "type"),
        (FORM, b"_name\r\nAna\r\n", 422, "the header must hold _email"),
        ({**FORM, "type": "products"}, b"name\r\nShoe\r\n", 422, "the header must hold productId"),
        ({**FORM, "type": "coupons"}, b"code\r\nA\r\n", 400, "needs couponSetId"),
        ({**FORM, "couponSetId": "x"}, b"_email\r\na@b.example\r\n", 422, "couponSetId"),
        (
            {**FORM, "overrideExisting": "false", "updateOnlyEmptyFields": "true"},
            b"_email\r\na@b.example\r\n",
            400,
            "updateOnlyEmptyFields may be true only when overrideExisting is true",
        ),
        ({**FORM, "overrideExisting": "yes"}, b"_email\r\na@b.example\r\n", 422, "true or false"),
        (FORM, b"_email\r\n\xff\r\n", 400, "not UTF-8"),
    ],
)
def test_the_double_refuses_what_connectif_refuses(
    double: ConnectifAPIDouble, fields: dict[str, str], file: bytes, status: int, text: str
) -> None:
    answer = raw_post(double, fields, file)
    assert answer.status_code == status
    assert text in answer.text
    assert double.imports == []


def test_an_import_needs_multipart_and_a_file(double: ConnectifAPIDouble) -> None:
    auth = {"Authorization": f"apiKey {double.api_key}"}
    answer = httpx.post(double.url + "/imports/", json={"type": "contacts"}, headers=auth)
    assert answer.status_code == 415
    body, content_type = multipart(FORM, b"")
    no_file = body.replace(b'name="file"; filename="import.csv"', b'name="other"; filename="x"')
    answer = httpx.post(
        double.url + "/imports/", content=no_file, headers={**auth, "Content-Type": content_type}
    )
    assert answer.status_code == 422 and "file" in answer.text
    unauthorised = httpx.post(double.url + "/imports/", content=body)
    assert unauthorised.status_code == 401


def test_413_is_payload_too_large(make_double: MakeDouble, make_client: MakeClient) -> None:
    double = make_double(import_max_bytes=200)
    with pytest.raises(PayloadTooLarge) as refused:
        make_client(double).start_import("contacts", contacts(20), **UPSERT)
    assert refused.value.status == 413 and double.imports == []
    assert len(double.sent("POST")) == 1  # a clear refusal is not sent again


def test_ten_queued_imports_make_the_client_wait(
    make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double(import_duration=0.05, max_queued_imports=2)
    api = make_client(double)
    fast = Backoff(initial=0.02, factor=1.5, maximum=0.05, jitter=0)
    for n in range(3):  # one running, two queued
        api.start_import("contacts", contacts(1 + n), **UPSERT)
    assert [i["status"] for i in double.imports] == ["inProgress", "queued", "queued"]
    last = api.start_import("contacts", contacts(9), **UPSERT, queue_wait=fast)
    refused = [r for r in double.sent("POST") if r.status == 400]
    assert refused, "the fourth import met the queue limit"
    assert len(double.imports) == 4 and last.total == 9
    with pytest.raises(TooManyImports) as full:
        for _ in range(4):
            api.start_import("contacts", contacts(2), **UPSERT, max_queue_waits=0)
    assert full.value.code == "E0401"


def _coupon_api(make_double: MakeDouble, make_client: MakeClient) -> tuple[Any, ...]:
    double = make_double()
    [coupon_set] = double.add_coupon_sets(1)
    return double, make_client(double, timeout=0.3), coupon_set["id"]


@pytest.mark.parametrize("kind", ["drop-after", "error-after", "slow"])
def test_a_coupons_import_whose_answer_was_lost_is_found_not_sent_again(
    kind: str, make_double: MakeDouble, make_client: MakeClient
) -> None:
    double, api, set_id = _coupon_api(make_double, make_client)
    double.inject(Fault(kind, method="POST", path="/imports/", delay=1.0))  # type: ignore[arg-type]
    started = api.start_import(
        "coupons", ["A-1", "A-2"], coupon_set_id=set_id, **{**UPSERT, "override_existing": False}
    )
    assert [i["id"] for i in double.imports] == [started.id]
    assert len(double.sent("POST")) == 1 and api.stats.reconciled == 1
    api.wait_for_import(started.id, poll=POLL)
    assert double.coupon_codes[set_id] == ["A-1", "A-2"]


@pytest.mark.parametrize("kind", ["drop", "error"])
def test_a_coupons_import_that_may_not_have_arrived_is_never_sent_twice(
    kind: str, make_double: MakeDouble, make_client: MakeClient
) -> None:
    double, api, set_id = _coupon_api(make_double, make_client)
    double.inject(Fault(kind, method="POST", path="/imports/"))  # type: ignore[arg-type]
    with pytest.raises(ImportOutcomeUnknown) as unknown:
        api.start_import(
            "coupons", ["B-1"], coupon_set_id=set_id, override_existing=False,
            update_only_empty_fields=False,
        )  # fmt: skip
    assert "it was not sent again: check the import list" in str(unknown.value)
    assert double.api_key not in str(unknown.value) and double.api_key not in repr(api)
    assert pickle.loads(pickle.dumps(unknown.value)).args == unknown.value.args
    assert len(double.sent("POST")) == 1 and double.imports == []


@pytest.mark.parametrize(("kind", "posts"), [("drop", 2), ("error", 2), ("drop-after", 1)])
def test_a_contacts_import_is_looked_up_then_sent_again_only_if_absent(
    kind: str, posts: int, make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double()
    api = make_client(double, timeout=0.3)
    double.inject(Fault(kind, method="POST", path="/imports/"))  # type: ignore[arg-type]
    started = api.start_import("contacts", contacts(4), **UPSERT)
    assert len(double.sent("POST")) == posts and len(double.imports) == 1
    assert [r.method for r in double.requests][:2] == ["POST", "GET"]  # the list first
    assert api.wait_for_import(started.id, poll=POLL).success == 4


def test_several_matching_imports_are_not_guessed_between(
    make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double()
    api = make_client(double, timeout=0.3)
    api.start_import("contacts", contacts(2), **UPSERT)
    double.inject(Fault("drop-after", method="POST", path="/imports/"))
    with pytest.raises(ImportOutcomeUnknown, match="several imports in the list match it"):
        api.start_import("contacts", contacts(2), **UPSERT)


def test_the_import_list_is_paginated(make_double: MakeDouble, make_client: MakeClient) -> None:
    double = make_double(page_size=2)
    api = make_client(double)
    ids = [api.start_import("contacts", contacts(1), **UPSERT).id for _ in range(5)]
    assert [i["id"] for i in api.imports()] == ids
    assert len(double.sent("GET", "/imports/")) == 3


def test_waiting_retries_reads_and_reports_the_end(
    make_double: MakeDouble, make_client: MakeClient
) -> None:
    double = make_double(import_duration=0.05)
    api = make_client(double)
    started = api.start_import("contacts", contacts(2), **UPSERT)
    double.inject(Fault("error", method="GET", path="/imports/", times=2))
    assert api.wait_for_import(started.id, poll=POLL).status == "finished"
    assert api.stats.retries == 2
    slow = api.start_import("contacts", contacts(3), **UPSERT)
    double.import_duration = 60
    with pytest.raises(ImportWaitTimeout, match=r"is still 'inProgress' after 0\.05 s"):
        api.wait_for_import(slow.id, poll=POLL, timeout=0.05)
    for status in ("error", "cancelled"):
        ended = api.start_import("contacts", contacts(4), **UPSERT)
        double.end_import(ended.id, status)
        with pytest.raises(ImportFailed) as failed:
            api.wait_for_import(ended.id, poll=POLL)
        assert failed.value.result.status == status and failed.value.result.total == 4
        assert str(failed.value).startswith(f"import {ended.id} ended {status!r}: 4 total")
        assert pickle.loads(pickle.dumps(failed.value)).result == failed.value.result
    double.inject(Fault("error", method="GET", path="/imports/", times=10))
    with pytest.raises(ServerError):
        api.wait_for_import(started.id, poll=POLL)


def test_existing_records_and_the_options(client: ConnectifAPI, double: ConnectifAPIDouble) -> None:
    client.upsert_contact({"primary_key": "a@shop.example", "_name": "Ana"})
    client.upsert_product(product(1, brand="Old"))
    row = {"primary_key": "a@shop.example", "_name": "New", "_surname": "Ruiz"}
    thing = product(1, brand="New", description="Filled")
    for kind, rows in [("contacts", [row]), ("products", [thing])]:
        started = client.start_import(
            kind, rows, override_existing=False, update_only_empty_fields=False
        )
        client.wait_for_import(started.id, poll=POLL)
    assert double.contacts["a@shop.example"]["_name"] == "Ana"  # left as it was
    assert "_surname" not in double.contacts["a@shop.example"]
    for kind, rows in [("contacts", [row]), ("products", [thing])]:
        started = client.start_import(
            kind, rows, override_existing=True, update_only_empty_fields=True
        )
        client.wait_for_import(started.id, poll=POLL)
    assert double.contacts["a@shop.example"]["_name"] == "Ana"  # not empty: kept
    assert double.contacts["a@shop.example"]["_surname"] == "Ruiz"  # empty: filled
    assert (double.products["P-1"]["brand"], double.products["P-1"]["description"]) == (
        "Old",
        "Filled",
    )


def test_an_unreachable_server_is_a_connection_error(make_client: MakeClient) -> None:
    with ConnectifAPIDouble() as gone:
        url = gone.url
    api = ConnectifAPI(api_key="id:secret", base_url=url, max_retries=0)
    with pytest.raises(ImportOutcomeUnknown, match="the import list could not be read"):
        api.start_import(
            "coupons", ["A"], coupon_set_id="s", **{**UPSERT, "override_existing": False}
        )
    with pytest.raises(ApiConnectionError):
        api.wait_for_import("x", poll=POLL)
    api.close()


def test_the_journal_waits_on_an_import_whose_post_it_left_sending(
    make_double: MakeDouble, make_client: MakeClient, tmp_path: Path
) -> None:
    double = make_double()
    [coupon_set] = double.add_coupon_sets(1)
    api = make_client(double)
    options = ImportOptions("coupons", False, False, coupon_set["id"])
    records = [ApiCouponRow(code) for code in ("C-1", "C-2")]
    key = import_key(options, import_csv("coupons", records))
    with Journal(tmp_path / "j") as journal:
        # A run wrote "sending", its POST arrived, and it was killed before the answer.
        journal.import_sending(key, time.time())
        api.start_import("coupons", records, override_existing=False,
                         update_only_empty_fields=False, coupon_set_id=coupon_set["id"])  # fmt: skip
    with Journal(tmp_path / "j") as journal:
        report = import_records(api, options, records, journal=journal, poll=POLL)
    assert report.resumed and report.result is not None and report.result.success == 2
    assert len(double.imports) == 1 and double.coupon_codes[coupon_set["id"]] == ["C-1", "C-2"]
    with Journal(tmp_path / "j") as journal:
        again = import_records(api, options, records, journal=journal, poll=POLL)
    assert again.result is None and again.skipped == double.imports[0]["id"]
    # Left "sending" with nothing in the list: a coupons import is not started blindly.
    other = [ApiCouponRow("D-1")]
    with Journal(tmp_path / "k") as journal:
        journal.import_sending(import_key(options, import_csv("coupons", other)), time.time())
    with Journal(tmp_path / "k") as journal, pytest.raises(ImportOutcomeUnknown):
        import_records(api, options, other, journal=journal, poll=POLL)
    assert len(double.imports) == 1


def ApiCouponRow(code: str) -> Any:
    from tagkit.api import ApiCoupon

    return ApiCoupon(code=code)

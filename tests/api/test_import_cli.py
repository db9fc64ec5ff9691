"""``tagkit api contacts|products --import`` and ``tagkit api coupons --set``: the same end as
the one-by-one sync, every format, exit codes, the journal across a ``kill -9``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tagkit.cli import main
from tagkit.testing import ConnectifAPIDouble, Fault

from .conftest import product

SECRET = "imp-key-id:imp-very-secret"
MakeDouble = Callable[..., ConnectifAPIDouble]
FAST = ("--poll-interval", "0.005")


def run(double: ConnectifAPIDouble | None, *args: str) -> Result:
    env = {"CONNECTIF_API_KEY": SECRET}
    if double is not None:
        env["CONNECTIF_API_URL"] = double.url
    result = CliRunner().invoke(main, ["api", *args], env=env, catch_exceptions=False)
    assert "Traceback" not in result.output
    for text in (result.stdout, result.stderr):
        assert "imp-very-secret" not in text and "imp-key-id" not in text
    return result


def jsonl(records: list[Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _stored(double: ConnectifAPIDouble) -> dict[str, Any]:
    def plain(stored: dict[str, dict[str, Any]]) -> dict[str, Any]:
        return {
            k: {f: v for f, v in r.items() if f not in ("id", "createdAt")}
            for k, r in stored.items()
        }

    return {"contacts": plain(double.contacts), "products": plain(double.products)}


def test_import_ends_where_the_one_by_one_sync_ends(
    make_double: MakeDouble, tmp_path: Path
) -> None:
    contacts = [
        {
            "primary_key": f"c{n}@shop.example",
            "_name": f'Name "{n}", é',
            "_birthdate": "1990-02-03",
            "_points": n,
            "_newsletter_subscription_status": "subscribed",
            "tier": "gold" if n % 2 else "silver",
        }
        for n in range(1000)
    ]
    products = [
        product(
            n,
            category=["/Shoes", f"/Shoes/{n % 7}"],
            availability="InStock",
            is_blacklisted=n % 3 == 0,
            in_stock_units=n,
            rating_value="4.5",
            description="line\nbreak; and, commas",
        )
        for n in range(500)
    ]
    (tmp_path / "c.jsonl").write_text(jsonl(contacts), encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(products), encoding="utf-8")
    one, bulk = make_double(api_keys=(SECRET,)), make_double(api_keys=(SECRET,))
    # Something there before: both ways must overwrite it the same.
    for double in (one, bulk):
        double.contacts["c1@shop.example"] = {"id": "x", "_name": "Old", "_surname": "Kept"}
    for kind, name in (("contacts", "c.jsonl"), ("products", "p.json")):
        assert run(one, kind, str(tmp_path / name)).exit_code == 0
        result = run(bulk, kind, str(tmp_path / name), "--import", *FAST)
        assert result.exit_code == 0, result.output
        total = len(contacts) if kind == "contacts" else len(products)
        assert f"finished: {total} total, {total} succeeded, 0 failed" in result.stdout
    assert len(bulk.sent("POST", "/imports/")) == 2 and not bulk.sent("PATCH")
    assert _stored(bulk) == _stored(one)
    assert _stored(one) == _stored(bulk)
    assert bulk.contacts["c1@shop.example"]["_surname"] == "Kept"


def test_coupons_go_to_the_set_from_every_format(make_double: MakeDouble, tmp_path: Path) -> None:
    double = make_double(api_keys=(SECRET,))
    [coupon_set] = double.add_coupon_sets(1)
    set_id = coupon_set["id"]
    (tmp_path / "a.json").write_text(json.dumps([{"code": "A-1"}, {"code": "A,2"}]))
    (tmp_path / "b.jsonl").write_text(jsonl([{"code": "B-1"}]))
    (tmp_path / "c.csv").write_text('code\nC-1\n"C ""2"""\n')
    for name in ("a.json", "b.jsonl", "c.csv"):
        result = run(double, "coupons", "--set", set_id, str(tmp_path / name), *FAST)
        assert result.exit_code == 0, result.output
    assert double.coupon_codes[set_id] == ["A-1", "A,2", "B-1", "C-1", 'C "2"']
    [post] = double.sent("POST")[:1]
    assert post.body["fields"] == {
        "type": "coupons",
        "overrideExisting": "false",
        "updateOnlyEmptyFields": "false",
        "delimiter": ",",
        "couponSetId": set_id,
    }
    missing = run(double, "coupons", str(tmp_path / "a.json"))
    assert missing.exit_code == 2 and "Missing option '--set'" in missing.output
    unknown = run(double, "coupons", "--set", "nope", str(tmp_path / "a.json"), *FAST)
    assert unknown.exit_code == 1
    assert "400 Bad Request: coupon set nope does not exist" in unknown.stderr


def test_dry_run_prints_the_form_and_the_csv(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(jsonl([product(1, category=["/A", "/B"]), product(2)]))
    result = run(None, "products", str(path), "--import", "--dry-run")
    assert result.exit_code == 0, result.output
    first, *csv_lines = result.stdout.splitlines()
    assert json.loads(first) == {
        "method": "POST",
        "path": "/imports/",
        "form": {
            "type": "products",
            "overrideExisting": "true",
            "updateOnlyEmptyFields": "false",
            "delimiter": ",",
        },
    }
    assert csv_lines == [
        "productDetailUrl,productId,name,unitPrice,categories",
        "https://shop.example/p/1,P-1,Product 1,9.90,/A|/B",
        "https://shop.example/p/2,P-2,Product 2,9.90,",
    ]


def test_purchases_cannot_be_imported(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    path.write_text("{}\n")
    result = run(None, "purchases", str(path), "--import")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: purchases cannot be imported")


@pytest.mark.parametrize(
    ("kind", "name", "content", "code", "lines"),
    [
        ("contacts", "bad.json", '[{"primary_key": ', 2, ["not valid JSON"]),
        (
            "contacts",
            "c.jsonl",
            '{"primary_key": "a@shop.example"}\n{"primary_key": "nope"}\n',
            1,
            ["error: line 2: contact.primary_key", "error: 1 of 2 records are invalid"],
        ),
        (
            "contacts",
            "c.json",
            '[{"primary_key": "a@shop.example", "sizes": ["M", "L|XL"]}]',
            1,
            ["error: item 1: contact.sizes holds '|' in the value 'L|XL'"],
        ),
        (
            "products",
            "p.csv",
            "url,product_id,name\nhttps://shop.example/p/1,P-1,Shoe\n",
            1,
            ["error: line 2: product.unit_price is required"],
        ),
        ("products", "p.csv", 'url\n"unclosed\n', 1, ["error: line 2: product"]),
        (
            "coupons",
            "k.csv",
            "code,extra\nA,1\n",
            1,
            ["error: line 2: coupon.extra is not a property of a coupon; known: code"],
        ),
        ("coupons", "k.jsonl", '{"code": "A"}\n{"code": ""}\n', 1, ["coupon.code is required"]),
        ("coupons", "k.json", '{"code": "A"}', 2, ["must hold an array of records"]),
    ],
)
def test_invalid_files_send_nothing(
    make_double: MakeDouble,
    tmp_path: Path,
    kind: str,
    name: str,
    content: str,
    code: int,
    lines: list[str],
) -> None:
    double = make_double(api_keys=(SECRET,))
    [coupon_set] = double.add_coupon_sets(1)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    args = ["--set", coupon_set["id"]] if kind == "coupons" else ["--import"]
    result = run(double, kind, str(path), *args, *FAST)
    assert result.exit_code == code, result.output
    shown = result.stderr.splitlines()
    for expected, line in zip(lines, shown, strict=False):
        assert expected in line, shown
    assert double.requests == []


def test_failed_rows_and_a_failed_import_exit_1(make_double: MakeDouble, tmp_path: Path) -> None:
    double = make_double(api_keys=(SECRET,), import_duration=0.2)
    path = tmp_path / "c.jsonl"
    path.write_text(jsonl([{"primary_key": "a@shop.example"}, {"primary_key": "b@shop.example"}]))

    def end_it() -> None:
        while not double.jobs:
            time.sleep(0.005)
        double.end_import(double.jobs[0].id, "error")

    ender = threading.Thread(target=end_it)
    ender.start()
    result = run(double, "contacts", str(path), "--import", *FAST)
    ender.join()
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: import {double.jobs[0].id} ended 'error': 2 total")
    assert result.stdout.startswith(f"contacts: import {double.jobs[0].id} error: 2 total")
    # A 422 for the whole import is a refusal: exit 1, said plainly.
    double.inject(Fault("error", method="POST", path="/imports/", status=422))
    refused = run(double, "contacts", str(path), "--import", *FAST)
    assert refused.exit_code == 1
    assert refused.stdout == "contacts: the import was refused; nothing was imported\n"


def test_an_import_with_failed_rows_names_the_report(
    make_double: MakeDouble, tmp_path: Path
) -> None:
    double = make_double(api_keys=(SECRET,))
    path = tmp_path / "p.jsonl"
    # Every row is valid for tagkit; the server refuses one (as Connectif refuses a product
    # URL outside the authorised domains).
    path.write_text(jsonl([product(1), product(2)]))
    original = double._import_product

    def refuse_second(row: Mapping[str, str], options: Mapping[str, Any]) -> None:
        if row.get("productId") == "P-2":
            from tagkit.testing._api_double_imports import RowError

            raise RowError("productDetailUrl is not an authorised domain")
        original(row, options)

    double._import_product = refuse_second  # type: ignore[method-assign]
    result = run(double, "products", str(path), "--import", *FAST)
    assert result.exit_code == 1
    url = f"{double.url}/import-reports/{double.jobs[0].id}.csv"
    assert f"2 total, 1 succeeded, 1 failed; failed rows: {url} in " in result.stdout


def _start(double: ConnectifAPIDouble, data: Path, journal: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CONNECTIF_API_KEY": double.api_key, "CONNECTIF_API_URL": double.url}
    return subprocess.Popen(
        [sys.executable, "-m", "tagkit.cli", "api", "contacts", str(data), "--import",
         "--journal", str(journal), "--poll-interval", "0.01"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_kill_9_while_waiting_then_the_journal_waits_on_the_same_import(
    make_double: MakeDouble, tmp_path: Path
) -> None:
    double = make_double(import_duration=60)
    data, journal = tmp_path / "c.jsonl", tmp_path / "c.journal"
    data.write_text(jsonl([{"primary_key": f"c{n}@shop.example"} for n in range(50)]))
    first = _start(double, data, journal)
    deadline = time.monotonic() + 20
    while '"accepted"' not in (journal.read_text() if journal.exists() else ""):
        assert time.monotonic() < deadline, "the import was never accepted"
        time.sleep(0.01)
    while len(double.sent("GET", "/imports/")) < 2:  # it is waiting
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    assert double.imports[0]["status"] == "inProgress" and not double.contacts
    double.import_duration = 0.05
    second = _start(double, data, journal)
    out, err = second.communicate(timeout=30)
    assert second.returncode == 0, err
    assert out.startswith(f"contacts: import {double.jobs[0].id} finished: 50 total, 50 succeeded")
    assert "(started by an earlier run)" in out
    assert len(double.sent("POST", "/imports/")) == 1 and len(double.contacts) == 50
    third = _start(double, data, journal)
    out, _ = third.communicate(timeout=30)
    assert third.returncode == 0 and "finished before (confirmed in the journal)" in out
    assert len(double.sent("POST", "/imports/")) == 1

"""``tagkit api``: every format, exit codes, messages, and the key never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tagkit.cli import main
from tagkit.testing import ConnectifAPIDouble, Fault

from .conftest import product, purchase

SECRET = "cli-key-id:cli-very-secret"


@pytest.fixture
def api_env(make_double, monkeypatch: pytest.MonkeyPatch) -> ConnectifAPIDouble:  # type: ignore[no-untyped-def]
    double: ConnectifAPIDouble = make_double(api_keys=(SECRET,))
    monkeypatch.setenv("CONNECTIF_API_KEY", SECRET)
    monkeypatch.setenv("CONNECTIF_API_URL", double.url)
    return double


def run(*args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(main, ["api", *args], input=stdin, catch_exceptions=False)
    assert "Traceback" not in result.output
    for text in (result.stdout, result.stderr):
        assert "cli-very-secret" not in text and "cli-key-id" not in text
    return result


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_contacts_from_every_format_arrive(api_env: ConnectifAPIDouble, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"primary_key": "a@shop.example", "_points": 2}]))
    (tmp_path / "b.ndjson").write_text(jsonl({"primary_key": "b@shop.example", "vip": True}))
    (tmp_path / "c.csv").write_text(
        "primary_key,_name,interests\nc@shop.example,Cé,a|b\n,,\n", encoding="utf-8"
    )
    for name in ("a.json", "b.ndjson", "c.csv"):
        result = run("contacts", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("contacts: 1 sent, 0 failed, 0 retried")
    result = run("contacts", "-", stdin=jsonl({"primary_key": "d@shop.example"}))
    assert result.exit_code == 0
    assert api_env.contacts["a@shop.example"]["_points"] == 2
    assert api_env.contacts["b@shop.example"]["vip"] is True
    assert api_env.contacts["c@shop.example"]["_name"] == "Cé"
    assert api_env.contacts["c@shop.example"]["interests"] == "a|b"  # custom: text as given
    assert "d@shop.example" in api_env.contacts


def test_products_csv_splits_list_cells(api_env: ConnectifAPIDouble, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "url,product_id,name,unit_price,category,availability,is_blacklisted,in_stock_units\n"
        "https://shop.example/p/1,P-1,Shoe,49.90,/Shoes|/Shoes/Running,OutOfStock,true,0\n",
        encoding="utf-8",
    )
    assert run("products", str(path)).exit_code == 0
    stored = api_env.products["P-1"]
    assert stored["categories"] == ["/Shoes", "/Shoes/Running"]
    assert (stored["availability"], stored["isBlacklisted"], stored["inStockUnits"]) == (
        "outofstock",
        True,
        0,
    )
    assert stored["unitPrice"] == 49.9


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        (
            "bad.json",
            '[{"primary_key": ',
            "contacts",
            "not valid JSON: Expecting value at line 1, column 18",
        ),
        (
            "obj.json",
            '{"primary_key": "a@b.example"}',
            "contacts",
            "must hold an array of records, got dict",
        ),
        (
            "bad.jsonl",
            '{"primary_key": "a@b.example"}\n{oops}\n',
            "contacts",
            "line 2 is not valid JSON",
        ),
        (
            "bad.csv",
            "primary_key\na@b.example,extra\n",
            "contacts",
            "line 2 has 2 cells, more than the 1 columns",
        ),
        ("o.csv", "purchase_id\no-1\n", "purchases", "purchases cannot be read from CSV"),
        ("data.txt", "primary_key\n", "contacts", "cannot tell the format of"),
        ("latin.jsonl", None, "contacts", "is not UTF-8 text"),
    ],
)
def test_unreadable_files_exit_2(
    tmp_path: Path, name: str, content: str | None, kind: str, message: str
) -> None:
    path = tmp_path / name
    if content is None:
        path.write_bytes(b'{"primary_key": "caf\xe9@b.example"}\n')
    else:
        path.write_text(content, encoding="utf-8")
    result = run(kind, str(path), "--dry-run")
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line
    assert run(kind, str(tmp_path / "missing.json")).stderr.startswith("error: cannot read")


def test_invalid_records_are_listed_and_nothing_is_sent(
    api_env: ConnectifAPIDouble, tmp_path: Path
) -> None:
    data = [
        purchase(1),
        {**purchase(2), "total_price": "1.234,50"},
        {**purchase(3), "contact": None},
    ]
    path = tmp_path / "o.json"
    path.write_text(json.dumps(data))
    result = run("purchases", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: item 2: purchase.total_price must be a non-negative number like 180.75 (digits "
        "and one dot; no thousands separator, currency or exponent), got '1.234,50'",
        "error: item 3: purchase.contact is required: the buyer, as an object like "
        "{'primary_key': 'ana@shop.example'} or the email alone",
        "error: 2 of 3 records are invalid; nothing was sent (--skip-invalid sends the valid ones)",
    ]
    assert api_env.requests == []
    result = run("purchases", str(path), "--skip-invalid")
    assert result.exit_code == 1
    assert result.stdout.startswith("purchases: 1 sent, 0 failed, 2 invalid, not sent")
    assert api_env.created("o-1") == 1 and api_env.created("o-2") == 0


def test_a_record_connectif_refuses_is_reported_with_its_key(
    api_env: ConnectifAPIDouble, tmp_path: Path
) -> None:
    api_env.inject(Fault("error", method="PATCH", path="/products/product-id/P-2", status=422))
    path = tmp_path / "p.jsonl"
    path.write_text(jsonl(product(1), product(2), product(3)))
    result = run("products", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: line 2: 'P-2': PATCH /products/product-id/P-2: 422 Server Error: injected fault"
    ]
    assert result.stdout.startswith("products: 2 sent, 1 failed")
    assert sorted(api_env.products) == ["P-1", "P-3"]


def test_dry_run_prints_the_requests_and_needs_no_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CONNECTIF_API_KEY", raising=False)
    path = tmp_path / "o.jsonl"
    path.write_text(jsonl(purchase(1)))
    result = run("purchases", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    requests = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["method"], r["path"]) for r in requests] == [
        ("PATCH", "/contacts/buyer1%40shop.example"),
        ("PATCH", "/products/product-id/P-1-0"),
        ("POST", "/purchases/"),
    ]
    assert requests[2]["body"]["contactEmail"] == "buyer1@shop.example"
    assert requests[2]["body"]["totalPrice"] == 9.9


def test_configuration_and_authentication_exit_2(
    api_env: ConnectifAPIDouble, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(jsonl({"primary_key": "a@shop.example"}))
    monkeypatch.setenv("CONNECTIF_API_KEY", "cli-key-id:wrong-but-cli-very-secret")
    result = run("contacts", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: PATCH /contacts/a%40shop.example: 401 Unauthorized")
    monkeypatch.delenv("CONNECTIF_API_KEY")
    result = run("contacts", str(path))
    assert result.exit_code == 2 and "no API key" in result.stderr
    monkeypatch.setenv("CONNECTIF_API_KEY", SECRET)
    monkeypatch.setenv("CONNECTIF_API_URL", "not a url")
    result = run("contacts", str(path))
    assert result.exit_code == 2 and "base_url must be an http(s) URL" in result.stderr
    assert run("contacts", str(path), "--rate", "0").exit_code == 2  # click's own usage error


def test_the_journal_skips_what_was_confirmed(api_env: ConnectifAPIDouble, tmp_path: Path) -> None:
    data, journal = tmp_path / "c.jsonl", tmp_path / "c.journal"
    data.write_text(
        jsonl({"primary_key": "a@shop.example", "_points": 1}, {"primary_key": "b@shop.example"})
    )
    assert run("contacts", str(data), "--journal", str(journal)).exit_code == 0
    result = run("contacts", str(data), "--journal", str(journal))
    assert "0 sent" in result.stdout and "2 skipped (confirmed in the journal)" in result.stdout
    # A changed record is sent again; an unchanged one is not.
    data.write_text(
        jsonl({"primary_key": "a@shop.example", "_points": 5}, {"primary_key": "b@shop.example"})
    )
    result = run("contacts", str(data), "--journal", str(journal))
    assert result.stdout.startswith("contacts: 1 sent, 0 failed, 1 skipped")
    assert api_env.contacts["a@shop.example"]["_points"] == 5
    assert run("contacts", str(data), "--journal", str(data)).exit_code == 2

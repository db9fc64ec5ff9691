"""The script commands: event, loader, service-worker, static, csp (click's CliRunner)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from tagkit import ValidationError, render_loader, render_service_worker
from tagkit._resources import static_path
from tagkit._sample import sample_page
from tagkit._scripts import DEFAULT_WORKER_URL
from tagkit.cli import _render, _scripts, main
from tagkit.events import event, events_payload, render_events
from tagkit.jsonsafe import dumps

STORE = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
SAMPLE = sample_page()
CONTACT = SAMPLE["contact"]


@click.group()
def group() -> None:
    """A bare group, to check that the command modules are self-contained."""


for _command in (*_render.COMMANDS, *_scripts.COMMANDS):
    group.add_command(_command)


def run(*args: str, stdin: str | None = None, cli: click.Group = main) -> Result:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def payload_of(html: str) -> Any:
    found = re.findall(r"\n    return (\{.*\});\n", html)
    assert len(found) == 1
    return json.loads(found[0])


def library_error(call: Callable[[], object]) -> str:
    """What the CLI prints for the library's error: one ``error:`` line per problem."""
    with pytest.raises(ValidationError) as info:
        call()
    return "".join(f"error: {problem}\n" for problem in info.value.problems)


def test_the_command_modules_are_self_contained() -> None:
    assert {"event", "loader", "service-worker", "static", "csp"} <= set(group.commands)
    assert {"event", "loader", "service-worker", "static", "csp"} <= set(
        main.list_commands(click.Context(main))
    )
    assert run("--help", cli=group).exit_code == 0


# -- tagkit event ---------------------------------------------------------------------------

EVENT_FILES: dict[str, Any] = {
    "product-visited": SAMPLE["product_visited"][0],
    "product-searched": SAMPLE["product_searched"][1],
    "search": {"search_text": "running shoe"},
    "newsletter-subscribe": {"email": "ana@shop.example"},
    "purchase": SAMPLE["purchases"][0],
    "custom": {"event_id": "64a1f0c2e4b0a1b2c3d4e5f6", "payload": {"size": 42, "gift": True}},
}


@pytest.mark.parametrize("event_type", sorted(EVENT_FILES))
def test_event_with_data(event_type: str, tmp_path: Path) -> None:
    data = EVENT_FILES[event_type]
    result = run("event", event_type, "--data", write(tmp_path, "data.json", data))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    expected = json.loads(dumps(events_payload([event(event_type, data)])))
    assert payload_of(result.stdout) == expected


@pytest.mark.parametrize("event_type", ["login", "register"])
def test_login_and_register_take_the_contact(event_type: str, tmp_path: Path) -> None:
    result = run("event", event_type, "--contact", write(tmp_path, "c.json", CONTACT))
    assert result.exit_code == 0, result.stderr
    payload = payload_of(result.stdout)
    assert payload["events"] == [{"type": event_type}]
    assert payload["options"]["entityInfo"]["primaryKey"] == "ana@shop.example"


@pytest.mark.parametrize("event_type", ["login", "register"])
def test_login_and_register_require_the_contact(event_type: str) -> None:
    result = run("event", event_type)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: contact is required with a {event_type!r} event")
    assert result.stderr == library_error(lambda: render_events([event(event_type)]))


def test_page_visit_and_cart(tmp_path: Path) -> None:
    visit = run("event", "page-visit")
    assert payload_of(visit.stdout) == {"events": [{"type": "page-visit"}], "options": {}}
    cart = {"cart_id": "c-1", "total_quantity": 0, "total_price": 0}
    result = run("event", "cart", "--data", "-", stdin=json.dumps(cart))
    assert result.exit_code == 0
    assert payload_of(result.stdout) == {
        "events": [],
        "options": {"cart": {"cartId": "c-1", "products": [], "totalPrice": 0, "totalQuantity": 0}},
    }


def test_event_options_combine(tmp_path: Path) -> None:
    empty = {"cart_id": "c-1", "total_quantity": 0, "total_price": 0}
    result = run(
        "event",
        "purchase",
        "--data",
        write(tmp_path, "p.json", SAMPLE["purchases"][0]),
        "--cart",
        write(tmp_path, "cart.json", empty),
        "--contact",
        write(tmp_path, "c.json", CONTACT),
        "--page-visit",
        "--nonce",
        "n0nce",
    )
    assert result.exit_code == 0, result.stderr
    soup = BeautifulSoup(result.stdout, "html.parser")
    assert soup.script.attrs == {"nonce": "n0nce"}  # type: ignore[union-attr]
    payload = payload_of(result.stdout)
    assert [e["type"] for e in payload["events"]] == ["purchase", "page-visit"]
    assert set(payload["options"]) == {"entityInfo", "cart"}


def test_event_no_inline_writes_an_island() -> None:
    result = run("event", "search", "--data", "-", "--no-inline", stdin='{"search_text": "x"}')
    assert result.exit_code == 0
    island = BeautifulSoup(result.stdout, "html.parser").script
    assert island is not None and island["type"] == "application/json"
    assert json.loads(str(island.string))["events"] == [{"searchText": "x", "type": "search"}]


def test_invalid_data_prints_every_problem(tmp_path: Path) -> None:
    bad = {"url": "shop.example/p", "product_id": "", "name": "x", "unit_price": "1,50"}
    result = run("event", "product-visited", "--data", write(tmp_path, "p.json", bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(" ", 2)[1].rsplit(".", 1)[1] for line in lines] == [
        "url",
        "unit_price",
        "product_id",
    ]
    assert all(line.startswith("error: ") for line in lines)
    assert result.stderr == library_error(lambda: event("product-visited", bad))


def test_nested_custom_payload_is_rejected_with_its_path() -> None:
    data = {"event_id": "e", "payload": {"size": {"eu": 42}, "tags": ["a"]}}
    result = run("event", "custom", "--data", "-", stdin=json.dumps(data))
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert ".payload.size is a nested object; a custom event payload is flat" in lines[0]
    assert ".payload.tags is a list; lists are not accepted" in lines[1]
    assert result.stderr == library_error(lambda: event("custom", data))


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["event", "product-visit"], None, "unknown event type 'product-visit'; expected one of:"),
        (["event", "search"], None, "search needs --data FILE (JSON, or - for stdin)"),
        (["event", "login", "--data", "-"], "{}", "login takes no --data (pass the contact with"),
        (["event", "cart", "--data", "-", "--cart", "-"], "{}", "cart takes its cart from --data"),
        (
            ["event", "search", "--data", "-", "--contact", "-"],
            "{}",
            "only one of --data, --contact and --cart can read stdin (-)",
        ),
        (["event", "search", "--data", "/nonexistent/x.json"], None, "cannot read"),
        (["event", "search", "--data", "-"], "{not json", "stdin is not valid JSON"),
        (["loader", "--store-id", STORE], None, "--region is required unless --url is given"),
        (["csp", "--hash"], None, "--hash needs at least one HTML FILE or folder"),
        (["csp", "page.html"], None, "FILE arguments need --hash"),
        (["csp", "--hash", "/nonexistent.html"], None, "cannot read '/nonexistent.html'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], stdin: str | None, message: str) -> None:
    result = run(*args, stdin=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["event", "page-visit", "--nonce", "a b"],
            "error: nonce must be a CSP nonce: base64 or URL-safe base64 characters",
        ),
        (
            ["loader", "--store-id", "nope", "--region", "eu6"],
            "error: store_id must be the store's id, a UUID of 8-4-4-4-12 hexadecimal digits",
        ),
        (
            ["loader", "--store-id", STORE, "--region", "EU6"],
            "error: region must be the store's region: lower-case letters then digits",
        ),
        (
            ["loader", "--store-id", STORE, "--url", "ftp://x.example/c.js"],
            "error: url must be an absolute http(s) URL like",
        ),
        (
            ["service-worker", "--worker-url", "http://cdn.example/sw.js"],
            "error: worker_url must be an absolute https URL like",
        ),
    ],
)
def test_bad_settings_exit_1_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


# -- tagkit loader ---------------------------------------------------------------------------


def test_loader_command() -> None:
    result = run("loader", "--store-id", STORE.upper(), "--region", "eu6", "--nonce", "n0nce")
    assert result.exit_code == 0
    assert result.stdout == render_loader(STORE, "eu6", nonce="n0nce") + "\n"
    external = run("loader", "--store-id", STORE, "--region", "eu6", "--no-inline")
    assert external.stdout == render_loader(STORE, "eu6", inline=False) + "\n"
    override = run("loader", "--store-id", STORE, "--url", "http://localhost:9/c.js")
    assert '"http://localhost:9/c.js"' in override.stdout


# -- tagkit service-worker ------------------------------------------------------------------------


def test_service_worker_prints_and_explains() -> None:
    result = run("service-worker")
    assert result.exit_code == 0
    assert result.stdout == render_service_worker()
    assert "Web Push settings" in result.stderr and "text/javascript" in result.stderr


def test_service_worker_writes_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "public" / "service-worker.js"
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    result = run("service-worker", "--out", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == render_service_worker()
    # A temporary file in the same folder, renamed over the target.
    ((src, dst),) = replaced
    assert Path(src).parent == target.parent and dst == str(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["service-worker.js"]
    # Readable by a web server: not mkstemp's 0600.
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044
    assert "Web Push settings" in result.stderr


def test_service_worker_up_to_date(tmp_path: Path) -> None:
    target = tmp_path / "service-worker.js"
    target.write_text(render_service_worker(), encoding="utf-8")
    os.utime(target, (1, 1))
    result = run("service-worker", "--out", str(target))
    assert result.exit_code == 0
    assert result.stdout == f"{target} is up to date\n"
    assert target.stat().st_mtime == 1


def test_service_worker_keeps_a_different_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "service-worker.js"
    target.write_text("// my PWA worker\n", encoding="utf-8")
    result = run("service-worker", "--out", str(target))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        f"error: {target} exists with different content; not replacing it. Compare them, "
        "then run again with --force to replace it"
    )
    assert target.read_text(encoding="utf-8") == "// my PWA worker\n"
    target.chmod(0o640)
    forced = run("service-worker", "--out", str(target), "--force")
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8") == render_service_worker()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "a replaced file keeps its mode"


def test_service_worker_into_a_folder_and_custom_url(tmp_path: Path) -> None:
    url = "https://static.shop.example/connectif-sw.js"
    result = run("service-worker", "--out", f"{tmp_path}/site/", "--worker-url", url)
    assert result.exit_code == 0
    written = tmp_path / "site" / "service-worker.js"
    assert written.read_text(encoding="utf-8") == render_service_worker(url)
    assert run("service-worker", "--out", str(tmp_path / "site")).exit_code == 2


def test_service_worker_failed_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "service-worker.js"
    target.write_text("old\n", encoding="utf-8")

    def fail(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    result = run("service-worker", "--out", str(target), "--force")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"error: cannot write {str(target)!r}: Permission denied"
    )
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["service-worker.js"]


def test_default_worker_url() -> None:
    assert DEFAULT_WORKER_URL == "https://cdn.connectif.cloud/scripts/service-worker.js"


# -- tagkit static -----------------------------------------------------------------------------


def test_static_copies_the_runtime(tmp_path: Path) -> None:
    dest = tmp_path / "site" / "js"
    result = run("static", str(dest))
    assert result.exit_code == 0
    copied, cart = dest / "tagkit-events.js", dest / "tagkit-cart.js"
    assert copied.read_bytes() == static_path("tagkit-events.js").read_bytes()
    assert cart.read_bytes() == static_path("tagkit-cart.js").read_bytes()
    assert result.stdout == f"wrote {copied}\nwrote {cart}\n"
    assert '<script src="/tagkit-events.js" defer></script>' in result.stderr
    again = run("static", str(dest))
    assert again.stdout == f"{copied} is up to date\n{cart} is up to date\n"
    copied.write_text("stale", encoding="utf-8")
    assert run("static", str(dest)).stdout == f"wrote {copied}\n{cart} is up to date\n"
    assert copied.read_bytes() == static_path("tagkit-events.js").read_bytes()
    assert sorted(p.name for p in dest.iterdir()) == ["tagkit-cart.js", "tagkit-events.js"]


def test_static_refuses_a_file_as_dest(tmp_path: Path) -> None:
    dest = tmp_path / "file"
    dest.write_text("x")
    result = run("static", str(dest))
    assert result.exit_code == 2
    assert "file" in result.stderr


# -- tagkit csp -------------------------------------------------------------------------------


def test_csp_prints_the_sources() -> None:
    result = run("csp")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "script-src https://cdn.connectif.cloud 'self'",
        "connect-src https://*.connectif.cloud",
        "img-src https://*.connectif.cloud",
        "frame-src https://*.connectif.cloud",
        "worker-src 'self'",
    ]
    assert "script-src https://cdn.connectif.cloud" in result.stderr  # the worker's own CSP
    header = run("csp", "--header")
    assert header.stdout.count("\n") == 1 and "; connect-src https://*.connectif.cloud;" in (
        header.stdout
    )


def test_csp_help_justifies_each_source() -> None:
    text = run("csp", "--help").stdout
    for needed in ("client-script", "XMLHttpRequest", "pop-ups", "iframeSource", "service-worker"):
        assert needed in text


def test_csp_hashes_inline_scripts(tmp_path: Path) -> None:
    events = run("event", "page-visit").stdout
    island = run("event", "page-visit", "--no-inline").stdout
    page = f"<html><body>\r\n{render_loader(STORE, 'eu6')}\n{events}{island}</body></html>"
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(page, encoding="utf-8", newline="")
    (tmp_path / "site" / "other.htm").write_text(events, encoding="utf-8")
    (tmp_path / "site" / "notes.txt").write_text("<script>x()</script>", encoding="utf-8")
    result = run("csp", "--hash", str(tmp_path / "site"))
    assert result.exit_code == 0, result.stderr
    texts = re.findall(r"<script(?: [^>]*)?>(.*?)</script>", page, flags=re.S)
    loader_text, event_text, island_text = texts
    expected = [
        "'sha256-" + base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() + "'"
        for t in (loader_text, event_text)
    ]
    script_src = result.stdout.splitlines()[0]
    assert script_src == "script-src https://cdn.connectif.cloud 'self' " + " ".join(expected)
    reported = [line for line in result.stderr.splitlines() if "sha256" in line]
    assert reported == [
        f"{tmp_path / 'site' / 'index.html'}:2: {expected[0]}",
        f"{tmp_path / 'site' / 'index.html'}:20: {expected[1]}",
        f"{tmp_path / 'site' / 'other.htm'}:1: {expected[1]}",
    ]
    assert island_text.startswith('{"events"')


def test_csp_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.html"
    path.write_bytes("<script>'é'</script>".encode("latin-1"))
    result = run("csp", "--hash", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path} is not UTF-8 text\n"

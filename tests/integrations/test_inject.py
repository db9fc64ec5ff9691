"""``tagkit inject`` on a corpus of odd static pages: where the block goes, bytes outside it,
idempotence, --check, --dry-run, bad data, the service worker, the CSP hashes, and a run killed
at random moments."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tagkit import Page, parse_page
from tagkit._csp import hashes_of
from tagkit.cli import main

from ..test_cli_imports import HEAVY, check, probe
from .inject_corpus import PAGES, STORE_ID, product, write_site

BLOCK = re.compile(rb"(?:\r\n|\n)?<!-- tagkit:begin -->.*?<!-- tagkit:end -->", re.DOTALL)
BLOCK16 = re.compile(r"(?:\r\n|\n)?<!-- tagkit:begin -->.*?<!-- tagkit:end -->", re.DOTALL)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = runner.invoke(main, ["inject", "site", *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def text_of(name: str, data: bytes) -> str:
    if name == "utf16.html":
        return data.decode("utf-16")
    if name == "products/latin1.html":
        return data.decode("latin-1")
    return data.decode("utf-8-sig")


def without_block(name: str, data: bytes) -> bytes:
    if name == "utf16.html":
        return BLOCK16.sub("", data.decode("utf-16-le")).encode("utf-16-le")
    return BLOCK.sub(b"", data)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_site(tmp_path)
    return tmp_path


def test_every_page_gets_its_block_and_nothing_else_changes(root: Path) -> None:
    code, _, err = run(root)
    assert code == 0, err
    after = snapshot(root / "site")
    for name, (original, sidecar) in PAGES.items():
        assert without_block(name, after[name]) == original, name
        text = text_of(name, after[name])
        assert text.count("<!-- tagkit:begin -->") == 1, name
        page = parse_page(text).page
        want = dict(sidecar or {})
        if name.startswith("products/"):
            want["page_categories"] = ["/Shoes"]
        if name == "index.html":
            want["page_tags"] = ["home"]
        assert page == Page.from_dict(want), name
        assert f"__cn_generic_script__{STORE_ID}" in text
    assert after["service-worker.js"].startswith(b"// Connectif Web Push worker")
    assert "9 page(s): 9 changed, 0 unchanged, 0 with problems" in err


@pytest.mark.parametrize(
    ("name", "before"),
    [
        ("index.html", b'<body class="home" data-x="a>b">\n'),
        ("products/crlf-upper.html", b"<BODY>\r\n"),
        ("no-body.html", b"</head>"),
        ("html-only.html", b"<html>"),
        ("decoys.html", b"<body id=real>"),
    ],
)
def test_the_block_goes_after_body_or_the_next_best_place(
    root: Path, name: str, before: bytes
) -> None:
    run(root)
    data = (root / "site" / name).read_bytes()
    nl = b"\r\n" if b"\r\n" in data else b"\n"
    assert before.rstrip(b"\r\n") + nl + b"<!-- tagkit:begin -->" in data


def test_a_fragment_gets_the_block_at_the_start(root: Path) -> None:
    run(root)
    assert (root / "site/fragment.html").read_bytes().startswith(b"\n<!-- tagkit:begin -->")


def test_line_breaks_and_encodings_follow_the_file(root: Path) -> None:
    run(root)
    site = root / "site"
    crlf = (site / "products/crlf-upper.html").read_bytes()
    assert b"\n" not in crlf.replace(b"\r\n", b"")
    latin = (site / "products/latin1.html").read_bytes()
    assert latin.decode("ascii", errors="replace").count("\ufffd") == 2  # only the two é
    assert b"Caf&#233; cr&#232;me &#128512;" in latin
    bom = (site / "products/bom.html").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf") and "Señor 👟".encode() in bom


def test_a_second_run_changes_no_byte_and_check_agrees(root: Path) -> None:
    run(root)
    first = snapshot(root / "site")
    code, _, err = run(root)
    assert code == 0
    assert snapshot(root / "site") == first
    assert "9 page(s): 0 changed, 9 unchanged" in err
    assert run(root, "--check")[0] == 0


def test_changed_data_replaces_the_block(root: Path) -> None:
    run(root)
    side = root / "site/no-body.tagkit.json"
    side.write_text('{"search": "second"}', encoding="utf-8")
    assert run(root, "--check")[0] == 1
    run(root)
    text = (root / "site/no-body.html").read_text(encoding="utf-8")
    assert text.count("tagkit:begin") == 1
    assert parse_page(text).page.search.search_text == "second"  # type: ignore[union-attr]


def test_check_and_dry_run_write_nothing(root: Path) -> None:
    before = snapshot(root / "site")
    code, out, err = run(root, "--check")
    assert code == 1
    assert "would change index.html" in err
    assert snapshot(root / "site") == before
    code, out, err = run(root, "--dry-run")
    assert code == 0
    assert snapshot(root / "site") == before
    assert "--- a/index.html\n+++ b/index.html\n" in out
    assert '+<div class="cn_search" style="display:none"><span class="search_text">decoys' in out
    assert run(root, "--dry-run", "--check")[0] == 1


def test_bad_sidecar_data_leaves_that_page_alone(root: Path) -> None:
    site = root / "site"
    bad = {"product_visited": [product("x") | {"unit_price": "1.234,50"}]}
    (site / "products/bom.tagkit.json").write_text(str(bad).replace("'", '"'), encoding="utf-8")
    (site / "no-body.tagkit.json").write_text("{not json", encoding="utf-8")
    before = snapshot(site)
    code, _, err = run(root)
    assert code == 1
    assert (
        "error: products/bom.tagkit.json: product_visited[0].unit_price must be a non-negative "
        "number like 180.75"
    ) in err
    assert "'1.234,50'" in err
    assert (
        "error: no-body.tagkit.json: not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"
        in err
    )
    after = snapshot(site)
    assert after["products/bom.html"] == before["products/bom.html"]
    assert after["no-body.html"] == before["no-body.html"]
    assert after["index.html"] != before["index.html"]
    assert "9 page(s): 7 changed, 0 unchanged, 2 with problems" in err


def test_tags_mode_refuses_custom_events_for_that_page(root: Path) -> None:
    side = root / "site/html-only.tagkit.json"
    side.write_text(
        '{"custom_events": [{"event_id": "64a1f0c2e4b0a1b2c3d4e5f6"}]}', encoding="utf-8"
    )
    code, _, err = run(root)
    assert code == 1
    assert "error: html-only.tagkit.json: custom_events can only be sent from JavaScript" in err


@pytest.mark.parametrize(
    ("config", "code", "message"),
    [
        (None, 2, "error: no tagkit.toml in the current folder: pass --config FILE"),
        ("store_id = ", 2, "error: --config: 'tagkit.toml' is not valid TOML"),
        (
            'store_id = "x"\nregion = "eu6"',
            1,
            "error: tagkit.toml: store_id must be the store's id",
        ),
        (
            f'store_id = "{STORE_ID}"\nregion = "eu6"\nmod = "tags"',
            1,
            "error: tagkit.toml: mod is not a setting; did you mean 'mode'?",
        ),
        (
            f'store_id = "{STORE_ID}"\nregion = "eu6"\nmode = "js"',
            1,
            "error: tagkit.toml: mode must be 'tags'",
        ),
        (
            f'store_id = "{STORE_ID}"\nregion = "eu6"\n[[rules]]\nmatch = "/**"\npage = {{ cart = {{ cart_id = "c" }} }}',
            1,
            "error: tagkit.toml: rules[0].page.cart.total_quantity is required",
        ),
        (
            f'store_id = "{STORE_ID}"\nregion = "eu6"\n[[rules]]\npage = {{}}',
            1,
            "error: tagkit.toml: rules[0].match must be a URL path glob",
        ),
        (
            f'store_id = "{STORE_ID}"\nregion = "eu6"\nservice_worker = {{ path = "../sw.js" }}',
            1,
            "error: tagkit.toml: service_worker.path must be a path inside the site",
        ),
    ],
)
def test_config_problems_stop_before_any_write(
    root: Path, config: str | None, code: int, message: str
) -> None:
    if config is None:
        (root / "tagkit.toml").unlink()
    else:
        (root / "tagkit.toml").write_text(config, encoding="utf-8")
    before = snapshot(root / "site")
    got, out, err = run(root)
    assert got == code
    assert message in err, err
    assert out == ""
    assert snapshot(root / "site") == before


def test_rule_data_files_are_relative_to_the_config(root: Path) -> None:
    (root / "data").mkdir()
    (root / "data/home.json").write_text('{"page_tags": ["from-file"]}', encoding="utf-8")
    (root / "tagkit.toml").write_text(
        f'store_id = "{STORE_ID}"\nregion = "eu6"\n[[rules]]\nmatch = "/"\ndata = "data/home.json"\n',
        encoding="utf-8",
    )
    run(root)
    assert parse_page((root / "site/index.html").read_text(encoding="utf-8")).page.page_tags == (
        "from-file",
    )
    assert "tagkit:begin" in (root / "site/html-only.html").read_text(encoding="utf-8")


def test_the_service_worker_of_a_pwa_is_never_replaced(root: Path) -> None:
    worker = root / "site/service-worker.js"
    worker.write_text("self.addEventListener('fetch', () => {});\n", encoding="utf-8")
    code, _, err = run(root)
    assert code == 1
    assert "error: service-worker.js exists and tagkit did not write it" in err
    assert 'importScripts("https://cdn.connectif.cloud/scripts/service-worker.js");' in err
    assert worker.read_text(encoding="utf-8").startswith("self.addEventListener")


def test_printed_hashes_are_those_csp_hash_finds(root: Path) -> None:
    _, out, _ = run(root)
    printed = out.strip().removeprefix("script-src ").split(" ")
    site = root / "site"
    found = hashes_of([text_of(n, (site / n).read_bytes()) for n in PAGES])
    own = hashes_of([text_of(n, data) for n, (data, _) in PAGES.items()])  # the decoy's script
    assert own and sorted(printed) == sorted(set(found) - set(own))
    assert len(printed) == 1  # tags mode: the one loader everywhere


def test_events_mode_and_parallel_jobs_give_the_same_bytes(tmp_path: Path) -> None:
    one, many = tmp_path / "one", tmp_path / "many"
    write_site(one, "events")
    write_site(many, "events")
    assert run(one)[0] == 0
    code, out, _ = run(many, "--jobs", "4")
    assert code == 0
    assert snapshot(one / "site") == snapshot(many / "site")
    html = (one / "site/html-only.html").read_text(encoding="utf-8")
    assert '"events":[{"type":"page-visit"}]' in html
    assert len(out.split()) == 1 + 9 + 1  # script-src, one event script per page, the loader
    assert run(one, "--check")[0] == 0


def test_inject_imports_no_html_parser_browser_or_framework(root: Path) -> None:
    result = probe(
        ["inject", str(root / "site"), "--config", str(root / "tagkit.toml")], None, root
    )
    assert result["code"] == 0
    check(result)
    assert set(HEAVY) >= {"bs4", "django", "flask"}


KILL_PAGES = 150


def test_a_run_killed_at_any_moment_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    """kill -9 at random moments: each page is its old bytes or its new bytes, never torn."""
    template = tmp_path / "template"
    site = template / "site"
    site.mkdir(parents=True)
    filler = "<p>" + "lorem ipsum " * 8000 + "</p>\n"  # ~100 kB: writes take a while
    for i in range(KILL_PAGES):
        (site / f"p{i:03}.html").write_text(
            f"<!doctype html><body>\n{filler}</body>\n", encoding="utf-8"
        )
        (site / f"p{i:03}.tagkit.json").write_text(f'{{"search": "page {i}"}}', encoding="utf-8")
    (template / "tagkit.toml").write_text(
        f'store_id = "{STORE_ID}"\nregion = "eu6"\n', encoding="utf-8"
    )
    old = snapshot(site)
    done = tmp_path / "done"
    shutil.copytree(template, done)
    assert run(done)[0] == 0
    new = snapshot(done / "site")
    command = [sys.executable, "-m", "tagkit.cli", "inject", "site"]
    # Kill after 5% to 95% of a full run's time, so the kill lands between and inside writes.
    start = time.monotonic()
    subprocess.run(command, cwd=done, check=True, capture_output=True, timeout=120)
    full = time.monotonic() - start
    torn: list[str] = []
    states: set[str] = set()
    for attempt in range(6):
        work = tmp_path / f"kill{attempt}"
        shutil.copytree(template, work)
        proc = subprocess.Popen(
            command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(full * (0.05 + 0.9 * attempt / 5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(work / "site")
        for name, data in now.items():
            if name.endswith(".tmp"):
                continue  # the temporary file being written when the run was killed
            if data not in (old.get(name), new.get(name)):
                torn.append(f"attempt {attempt}: {name}")
            states.add("new" if data == new.get(name) and data != old.get(name) else "old")
    assert not torn, torn
    assert states == {"old", "new"}, "the kills should land before and after some writes"


def test_markers_that_do_not_pair_up_leave_the_page_alone(root: Path) -> None:
    page = root / "site/html-only.html"
    page.write_bytes(b"<html><body>\n<!-- tagkit:begin -->\n<p>mine</p>\n</body></html>")
    code, _, err = run(root)
    assert code == 1
    assert "error: html-only.html: has 1 <!-- tagkit:begin --> and 0 <!-- tagkit:end -->" in err
    assert page.read_bytes() == b"<html><body>\n<!-- tagkit:begin -->\n<p>mine</p>\n</body></html>"


@pytest.mark.parametrize(
    ("pages", "terminal", "shown"), [(25, True, True), (20, True, False), (25, False, False)]
)
def test_a_progress_bar_for_many_pages_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: int, terminal: bool, shown: bool
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for i in range(pages):
        (site / f"p{i}.html").write_text("<body></body>", encoding="utf-8")
    (tmp_path / "tagkit.toml").write_text(
        f'store_id = "{STORE_ID}"\nregion = "eu6"\n', encoding="utf-8"
    )
    monkeypatch.setattr("tagkit.cli._site._terminal", lambda: terminal)
    code, out, err = run(tmp_path)
    assert code == 0
    # Off a terminal click prints the bar's label alone; the lines per file make way for it.
    assert err.startswith("pages\n") is shown
    assert ("wrote p0.html" in err) is not shown
    assert f"{pages} page(s): {pages} changed" in err
    assert out.startswith("script-src 'sha256-")

"""Start-up cost of the tagkit command: what each command imports, in a fresh interpreter.

``tagkit --help`` and every command that neither reads HTML (``csp --hash``, ``inspect``,
``lint``) nor drives a browser (``inspect --browser``) must not import an HTML parser, a browser or a web framework, and only ``--version``
may import ``importlib.metadata``. Each case runs the command as the console script does, in
its own interpreter, then looks at ``sys.modules``.

An import hook records the chain of modules that imported each such module, so a failure
names the culprit: a command module of the CLI importing too much at the top, or a library
module (``tagkit/__init__.py``, or one a command needs) importing more than it uses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tagkit._sample import sample_page

HEAVY = ("bs4", "soupsieve", "playwright", "django", "flask", "httpx")
METADATA = "importlib.metadata"

# Runs in the child: argv is [report path, watched names (comma-separated), *command args].
PROBE = r"""
import builtins, json, sys

report_path, watched, *args = sys.argv[1:]
watched = set(watched.split(","))
chains = {}
real_import = builtins.__import__


def _watched(name):
    return next((w for w in watched if name == w or name.startswith(w + ".")), None)


def _chain():
    # From the interpreter's entry to the module whose import statement runs now.
    names, frame = [], sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "?")
        if frame.f_code is not tracing_import.__code__ and not name.startswith(
            ("importlib._bootstrap", "_frozen_importlib")
        ):
            if not names or names[-1] != name:
                names.append(name)
        frame = frame.f_back
    return names[::-1]


def tracing_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0:
        for candidate in (name, *(f"{name}.{item}" for item in fromlist or ())):
            hit = _watched(candidate)
            if hit and hit not in chains and hit not in sys.modules:
                chains[hit] = [*_chain(), hit]
    return real_import(name, globals, locals, fromlist, level)


builtins.__import__ = tracing_import
from tagkit.cli import main

code = 0
try:
    main(args, prog_name="tagkit")
except SystemExit as exc:
    code = exc.code
loaded = sorted(w for w in watched if w in sys.modules)
with open(report_path, "w", encoding="utf-8") as out:
    json.dump({"code": code, "loaded": loaded, "chains": chains}, out)
"""

PAGE = json.dumps(sample_page())
CART = '{"cart_id": "c-1", "total_quantity": 0, "total_price": 0}'
HTML = '<div class="cn_search" hidden><span class="search_text">red shoe</span></div>'

# name: (args, stdin); "{tmp}" is replaced by a temporary folder.
CASES: dict[str, tuple[list[str], str | None]] = {
    "help": (["--help"], None),
    "render": (["render", "search", "--data", "-"], '{"search_text": "red shoe"}'),
    "render-cart": (["render", "cart", "--data", "-", "--hidden-attr"], CART),
    "render-invalid": (["render", "cart", "--data", "-"], '{"cart_id": ""}'),
    "render-unknown-tag": (["render", "basket"], None),
    "page": (["page", "--data", "-"], PAGE),
    "page-events": (["page", "--data", "-", "--mode", "events", "--no-inline"], PAGE),
    "event": (["event", "search", "--data", "-", "--page-visit"], '{"search_text": "x"}'),
    "event-cart": (["event", "cart", "--data", "-"], CART),
    "tags": (["tags"], None),
    "schema": (["schema", "cart"], None),
    "schema-page": (["schema"], None),
    "demo": (["demo", "{tmp}/demo"], None),
    "loader": (
        ["loader", "--store-id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "--region", "eu6"],
        None,
    ),
    "loader-invalid": (["loader", "--store-id", "x", "--region", "eu6"], None),
    "service-worker": (["service-worker", "--out", "{tmp}/public/"], None),
    "static": (["static", "{tmp}/js"], None),
    "csp": (["csp", "--header"], None),
    # Commands that read HTML: they may load the HTML parser, and nothing else heavy.
    "inspect": (["inspect", "-", "--format", "json"], HTML),
    "lint": (["lint", "-", "--format", "sarif"], HTML),
    # Connectif's REST API: a dry run validates and prints, without the HTTP client; sending
    # loads httpx (here to a closed port: a connection error, exit 2).
    "api-dry-run": (["api", "contacts", "-", "--dry-run"], '{"primary_key": "a@shop.example"}'),
    "api-invalid": (["api", "contacts", "-"], '{"primary_key": "nope"}'),
    "api-send": (
        ["api", "contacts", "-", "--max-retries", "0"],
        '{"primary_key": "a@shop.example"}',
    ),
}
READS_HTML = frozenset({"bs4", "soupsieve"})
ALLOWED = {"inspect": READS_HTML, "lint": READS_HTML, "api-send": frozenset({"httpx"})}
HELP_OF = [
    "render",
    "page",
    "event",
    "tags",
    "schema",
    "demo",
    "loader",
    "service-worker",
    "static",
    "csp",
    "inspect",
    "lint",
    "api",
    "api contacts",
    "api products",
    "api purchases",
    "api coupons",
]
EXPECTED_CODE = {
    "render-invalid": 1,
    "render-unknown-tag": 2,
    "loader-invalid": 1,
    "api-invalid": 1,
    "api-send": 2,
}


def probe(
    args: list[str], stdin: str | None, tmp_path: Path, watched_names: tuple[str, ...] = ()
) -> dict[str, Any]:
    report = tmp_path / "report.json"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    watched = ",".join((*HEAVY, METADATA, *watched_names))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), watched, *argv],
        input=stdin or "",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert report.exists(), done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def check(result: dict[str, Any], allowed: frozenset[str] = frozenset()) -> None:
    """Fail for each unwanted module loaded, naming the chain of imports that loaded it."""
    unwanted = [name for name in result["loaded"] if name not in allowed]
    chains = [f"{name}: {' > '.join(result['chains'].get(name, ['?']))}" for name in unwanted]
    assert not unwanted, "imported at start-up:\n" + "\n".join(chains)


@pytest.mark.parametrize("name", sorted(CASES))
def test_command_imports_nothing_heavy(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONNECTIF_API_KEY", "probe-id:probe-secret")
    monkeypatch.setenv("CONNECTIF_API_URL", "http://127.0.0.1:9")  # nothing listens there
    args, stdin = CASES[name]
    result = probe(args, stdin, tmp_path)
    assert result["code"] == EXPECTED_CODE.get(name, 0), result
    check(result, ALLOWED.get(name, frozenset()))


@pytest.mark.parametrize("command", HELP_OF)
def test_command_help_imports_nothing_heavy(command: str, tmp_path: Path) -> None:
    result = probe([*command.split(), "--help"], None, tmp_path)
    assert result["code"] == 0
    check(result)


def test_only_version_reads_the_package_metadata(tmp_path: Path) -> None:
    result = probe(["--version"], None, tmp_path)
    assert result["code"] == 0
    assert METADATA in result["loaded"]
    check(result, allowed=frozenset({METADATA}))


def test_reading_html_loads_the_parser_but_no_browser(tmp_path: Path) -> None:
    """A negative control for ``ALLOWED``: ``lint`` and ``inspect`` really parse."""
    for name in ("inspect", "lint"):
        args, stdin = CASES[name]
        result = probe(args, stdin, tmp_path)
        assert "bs4" in result["loaded"], name
        assert "playwright" not in result["loaded"], name


def test_the_probe_sees_an_import_the_cli_makes(tmp_path: Path) -> None:
    """A negative control: ``csp --hash`` reads HTML, so it must load the HTML parser."""
    page = tmp_path / "index.html"
    page.write_text("<script>x()</script>", encoding="utf-8")
    result = probe(["csp", "--hash", str(page)], None, tmp_path)
    assert result["code"] == 0
    assert "bs4" in result["loaded"]
    chain = result["chains"]["bs4"]
    assert chain[0] == "__main__" and chain[-1] == "bs4"
    assert any(m.startswith("tagkit") for m in chain)


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["render", "search", "--data", "-"], '{"search_text": "red shoe"}'),
        (["page", "--data", "-"], json.dumps(sample_page())),
        (["page", "--data", "-", "--mode", "events"], json.dumps(sample_page())),
    ],
    ids=["render", "page", "page-events"],
)
def test_valid_input_renders_without_loading_difflib(
    args: list[str], stdin: str, tmp_path: Path
) -> None:
    """difflib (several milliseconds of every start) only suggests names for invalid input."""
    result = probe(args, stdin, tmp_path, ("difflib",))
    assert result["code"] == 0, result
    check(result)

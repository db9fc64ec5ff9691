"""The hand-written pages of tests/pages/ (none produced by tagkit), with both parsers.

- Every rule of docs/lint-rules.md has a folder with a bad and a good page.
- A bad page gets each finding its first line lists (``<!-- expect: TK202@7 TK104@3 -->``) at
  that line, with the severity docs/lint-rules.md gives the rule, and ``tagkit lint --fail-on
  warning`` exits 1 on it. Rules rated info are shown with ``--fail-on info``: ``--fail-on
  warning`` does not apply to them, and exits 0 on their bad page.
- A good page gets no error, its rule folder's page no finding at all, and ``tagkit inspect
  --format json`` prints the request body checked in beside it (tests/browser/test_page_corpus.py
  checks the same body against Chromium).
- ``--parser lxml`` gives the same bodies and the same findings as html5lib on every page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tagkit._findings import RULES
from tagkit._lint import lint_html
from tagkit.cli import main

from .corpus import (
    ALL_GOOD,
    ALL_PAGES,
    BAD,
    DOC_SEVERITY,
    GOOD,
    PARSERS,
    RULE_DIRS,
    expected_body,
    expected_findings,
    lint_target,
    need_parser,
    page_id,
    serving,
)

# Pages whose tree lxml builds differently from an HTML5 browser (docs/lint-rules.md#parsers),
# and why. The test requires them to still differ, so that the list stays exact.


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_rule_of_the_docs_has_a_folder_of_pages() -> None:
    assert list(DOC_SEVERITY) == list(RULES)
    assert [d.name for d in RULE_DIRS] == list(DOC_SEVERITY)
    for folder in RULE_DIRS:
        names = {p.name for p in folder.iterdir()}
        assert {"bad.html", "good.html", "good.json"} <= names, folder.name
        assert names <= {"bad.html", "good.html", "good.json", "serve.json"}, folder.name
        assert folder.name in {code for code, _ in expected_findings(folder / "bad.html")}


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("folder", RULE_DIRS, ids=lambda d: d.name)
def test_the_bad_page_gets_its_findings_and_the_good_page_none(folder: Path, parser: str) -> None:
    need_parser(parser)
    rated = DOC_SEVERITY[folder.name]
    with lint_target(folder / "bad.html") as (where, args):
        fail_on = "info" if rated == "info" else "warning"
        bad = run(
            "lint", where, *args, "--parser", parser, "--format", "json", "--fail-on", fail_on
        )
        warned = run("lint", where, *args, "--parser", parser, "--fail-on", "warning")
    found = {(f["code"], f["line"]): f["severity"] for f in json.loads(bad.stdout)}
    for code, line in sorted(expected_findings(folder / "bad.html")):
        assert (code, line) in found, (code, line, sorted(found))
        assert found[code, line] == DOC_SEVERITY[code]
    assert bad.exit_code == 1, bad.output
    assert warned.exit_code == (0 if rated == "info" else 1), warned.output
    with lint_target(folder / "good.html") as (where, args):
        good = run("lint", where, *args, "--parser", parser, "--format", "json")
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout) == []


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("page", ALL_GOOD, ids=page_id)
def test_inspect_prints_the_checked_in_body(page: Path, parser: str) -> None:
    need_parser(parser)
    result = run("inspect", str(page), "--format", "json", "--parser", parser)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected_body(page)


@pytest.mark.parametrize("page", GOOD, ids=lambda p: p.stem)
def test_good_pages_get_no_error(page: Path) -> None:
    findings = lint_html(page.read_bytes(), path=str(page))
    assert [f for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize("page", BAD, ids=lambda p: p.stem)
def test_bad_pages_get_each_expected_finding_at_its_line(page: Path) -> None:
    expected = expected_findings(page)
    assert expected, f"{page.name} lists no expected finding"
    findings = lint_html(page.read_bytes(), path=str(page))
    assert expected <= {(f.code, f.line) for f in findings}
    assert any(f.severity in ("error", "warning") for f in findings)


def _headers(page: Path) -> dict[str, str]:
    config = serving(page.parent) or {}
    headers: dict[str, str] = config.get("headers", {}).get(page.stem, {})
    return headers


def test_lxml_gives_the_same_findings_on_every_page() -> None:
    need_parser("lxml")
    differ = set()
    for page in ALL_PAGES:
        data, headers = page.read_bytes(), _headers(page)
        ours = lint_html(data, path=page.name, headers=headers)
        theirs = lint_html(data, path=page.name, headers=headers, parser="lxml")
        if ours != theirs:
            differ.add(page_id(page))
    assert differ == set()


def test_parser_lxml_without_lxml_exits_2_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "lxml", None)  # import lxml raises ImportError
    page = str(GOOD[0])
    for command in ("lint", "inspect"):
        result = CliRunner().invoke(main, [command, page, "--parser", "lxml"])
        assert result.exit_code == 2
        assert result.stderr == (
            'error: --parser lxml needs lxml, which is not installed: pip install "tagkit[lxml]"\n'
        )

"""``tagkit inspect`` and ``tagkit lint`` from the command line: outputs, formats, exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tagkit._findings import RULES
from tagkit.cli import main

from .conftest import BAD, GOOD, PAGES, expected_body

BAD_CART = (
    '<!doctype html><div class="cn_cart" hidden><span class="cart_id">c-1</span>\n'
    '<span class="total_quantity">1</span><span class="total_price">1.234,50</span></div>'
)


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_inspect_json_prints_exactly_the_request_body() -> None:
    page = PAGES / "good" / "product.html"
    result = run("inspect", str(page), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == expected_body(page)
    assert result.stderr == ""


def test_inspect_json_sends_findings_to_stderr_with_line_and_column() -> None:
    result = run("inspect", "-", "--format", "json", stdin=BAD_CART)
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["cart"] == {
        "cartId": "c-1",
        "totalQuantity": 1,
        "totalPrice": 1.234,
        "products": [],
    }
    assert "stdin:2:38: TK202 error cn_cart.total_price is '1.234,50'" in result.stderr


def test_inspect_text_lists_the_body_and_what_is_misread() -> None:
    result = run("inspect", "-", stdin=BAD_CART)
    assert result.exit_code == 0
    assert 'cart: {"cartId": "c-1"' in result.stdout
    assert "Dropped, misread or risky:" in result.stdout
    assert "TK202" in result.stdout


def test_inspect_url_option_feeds_the_tracker_parameter() -> None:
    result = run(
        "inspect",
        "-",
        "--format",
        "json",
        "--url",
        "https://s.example/?__cn_tracker=abc",
        stdin="<p>x</p>",
    )
    assert json.loads(result.stdout)["entityInfo"] == {"trackerId": "abc"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["inspect", "missing.html"], "error: 'missing.html' does not exist\n"),
        (["inspect", "-", "--url", "shop.example"], "error: --url must be an http(s) URL"),
        (
            ["inspect", "-", "--connectif-client", "x.js"],
            "error: --connectif-client needs --browser",
        ),
        (["lint"], "error: give at least one PATH"),
        (["lint", "missing.html"], "error: 'missing.html' does not exist\n"),
        (["lint", "-", "--select", "TK999"], "error: --select: unknown rule code 'TK999'"),
        (
            ["lint", "-", "--product-url", "("],
            "error: --product-url '(' is not a regular expression",
        ),
        (["lint", "-", "--sitemap", "missing.xml"], "error: 'missing.xml' does not exist"),
        (["lint", "http://127.0.0.1:9/nothing"], "error: cannot fetch http://127.0.0.1:9/nothing"),
        (["lint", "-", "-"], "error: - (standard input) can be given only once"),
    ],
)
def test_unusable_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args, stdin="<p>x</p>")
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_lint_text_and_exit_codes_follow_fail_on() -> None:
    clean = '<!doctype html><div class="cn_login" hidden></div>'
    result = run("lint", "-", stdin=clean)
    assert result.exit_code == 0  # TK101 and TK305 are warnings
    assert result.stdout.endswith("0 errors, 2 warnings, 0 info on 1 page\n")
    assert run("lint", "-", "--fail-on", "warning", stdin=clean).exit_code == 1
    assert (
        run("lint", "-", "--fail-on", "warning", "--ignore", "TK101,TK305", stdin=clean).exit_code
        == 0
    )
    assert run("lint", "-", stdin=BAD_CART).exit_code == 1


def test_lint_json_is_a_list_of_findings() -> None:
    result = run("lint", "-", "--format", "json", stdin=BAD_CART)
    findings = json.loads(result.stdout)
    assert {f["code"] for f in findings} == {"TK101", "TK202"}
    for finding in findings:
        assert set(finding) == {"code", "severity", "message", "path", "line", "column"}
        assert finding["path"] == "stdin"
    assert (
        run("lint", "-", "--format", "json", "--select", "TK2", stdin=BAD_CART).stdout.count(
            '"code"'
        )
        == 1
    )


def test_lint_sarif_has_the_fields_code_scanning_reads(tmp_path: Path) -> None:
    result = run("lint", *map(str, BAD), "--format", "sarif")
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "tagkit"
    assert [r["id"] for r in driver["rules"]] == sorted(RULES)
    assert run_["results"]
    for result_ in run_["results"]:
        assert result_["ruleId"] in RULES
        assert driver["rules"][result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert result_["level"] in ("error", "warning", "note")
        assert result_["message"]["text"]
        location = result_["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] in {str(p) for p in BAD}
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_lint_junit_has_one_testcase_per_page_and_a_failure_per_finding() -> None:
    pages = [*map(str, GOOD), *map(str, BAD)]
    result = run("lint", *pages, "--format", "junit", "--fail-on", "warning")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == pages
    failures = suite.findall("testcase/failure")
    assert int(suite.get("tests", "")) == len(pages)
    assert int(suite.get("failures", "")) == len(failures) > 0
    assert {f.get("type") for f in failures} <= set(RULES)
    errors_only = ET.fromstring(run("lint", *pages, "--format", "junit").stdout)
    assert len(errors_only.findall("testsuite/testcase/failure")) < len(failures)


def test_lint_reads_folders_recursively_and_jobs_change_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "deep" / "er").mkdir(parents=True)
    for i, page in enumerate([*GOOD, *BAD]):
        target = site / ("deep/er" if i % 2 else "") / f"p{i}.{'htm' if i % 3 else 'html'}"
        target.write_bytes(page.read_bytes())
    (site / "notes.txt").write_text("not a page")
    one = run("lint", str(site), "--format", "json")
    two = run("lint", str(site), "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    pages = len(GOOD) + len(BAD)
    assert run("lint", str(site)).stdout.endswith(f"on {pages} pages\n")

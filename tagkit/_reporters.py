"""Lint findings as text, JSON, SARIF 2.1.0 (GitHub code scanning) or JUnit XML (CI test
reports).

Pure functions from findings to text; the CLI prints it.

>>> from tagkit._findings import Finding
>>> f = Finding("shop/p.html", 3, 5, "TK202", "error", "cn_cart.total_price is '1,5'.")
>>> print(text_report([f], pages=1))
shop/p.html:3:5: TK202 error cn_cart.total_price is '1,5'.
1 error, 0 warnings, 0 info on 1 page
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import quoteattr

from ._findings import ERROR, INFO, RANK, RULES, WARNING, Finding

FORMATS = ("text", "json", "sarif", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note"}
TOOL_URI = "https://pypi.org/project/tagkit/"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == INFO else f"{count} {word}s"


def summary(findings: Sequence[Finding], pages: int) -> str:
    counts = {severity: 0 for severity in (ERROR, WARNING, INFO)}
    for finding in findings:
        counts[finding.severity] += 1
    parts = [_plural(counts[s], s) for s in (ERROR, WARNING, INFO)]
    return f"{', '.join(parts)} on {_plural(pages, 'page')}"


def text_report(findings: Sequence[Finding], *, pages: int) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.severity} {f.message}" for f in findings]
    lines.append(summary(findings, pages))
    return "\n".join(lines)


def json_report(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)


def sarif_report(findings: Sequence[Finding], *, version: str = "") -> str:
    """A SARIF 2.1.0 log with one run: the rules of the findings and one result each."""
    used = sorted({f.code for f in findings} | set(RULES))
    index = {code: i for i, code in enumerate(used)}
    rules = [
        {
            "id": code,
            "name": RULES[code].name,  # not a Connectif name: SARIF's key
            "shortDescription": {"text": RULES[code].summary},
            "helpUri": RULES[code].help_uri,
            "defaultConfiguration": {"level": _SARIF_LEVEL[RULES[code].severity]},
            "properties": {"anchor": f"docs/connectif.md#{RULES[code].anchor}"},
        }
        for code in used
    ]
    driver: dict[str, object] = {"name": "tagkit"}  # not a Connectif name: SARIF's key
    driver.update({"informationUri": TOOL_URI, "rules": rules})
    if version:
        driver["version"] = version
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def junit_report(findings: Sequence[Finding], pages: Iterable[str], *, fail_on: str) -> str:
    """JUnit XML: one ``testcase`` per page, a ``failure`` per finding at or above ``fail_on``.
    The suite's ``failures`` counts those findings."""
    by_page: dict[str, list[Finding]] = {page: [] for page in pages}
    for finding in findings:
        by_page.setdefault(finding.path, []).append(finding)
    failing = [f for f in findings if RANK[f.severity] >= RANK[fail_on]]
    cases: list[str] = []
    for page, found in by_page.items():
        failures = [f for f in found if RANK[f.severity] >= RANK[fail_on]]
        body = "".join(
            f"\n      <failure type={quoteattr(f.code)} message={quoteattr(_clean(f.message))}>"
            f"{_text(f'{f.path}:{f.line}:{f.column}: {f.code} {f.severity} {f.message}')}"
            "</failure>"
            for f in failures
        )
        close = "\n    </testcase>" if body else "</testcase>"
        cases.append(
            f"    <testcase classname={quoteattr('tagkit.lint')} name={quoteattr(_clean(page))}>"
            f"{body}{close}"
        )
    suite = (
        f'  <testsuite name="tagkit lint" tests="{len(by_page)}" failures="{len(failing)}" '
        f'errors="0" skipped="0">\n' + "\n".join(cases) + ("\n" if cases else "") + "  </testsuite>"
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n{suite}\n</testsuites>'


def _clean(value: str) -> str:
    # XML 1.0 cannot hold most control characters, even escaped.
    return "".join(c if c >= " " or c in "\t\n\r" else f"\\x{ord(c):02x}" for c in value)


def _text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_clean(value))


__all__ = ["FORMATS", "json_report", "junit_report", "sarif_report", "summary", "text_report"]

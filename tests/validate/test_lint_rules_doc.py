"""docs/lint-rules.md documents every rule, and each bad example gets its code while the fixed
one does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tagkit._audit import PageReport, product_pages
from tagkit._findings import RULES
from tagkit._lint import lint_html

DOC = Path(__file__).resolve().parents[2] / "docs" / "lint-rules.md"
TEXT = DOC.read_text(encoding="utf-8")
SECTION = re.compile(
    r'<a id="(tk\d{3})"></a>\n### (TK\d{3}) (\S+) \((\w+)\)\n(.*?)(?=\n<a id=|\Z)', re.S
)
EXAMPLE = re.compile(r"^(Bad|Fixed)[^\n]*\n\n```(\w+)\n(.*?)\n```", re.S | re.M)
HEADER = re.compile(r"<!-- Cache-Control: ([^>]*?) -->")
ADDRESS = re.compile(r"<!-- (https://\S+), tagkit lint --product-url '([^']+)' -->")
SECTIONS = {m.group(2): m for m in SECTION.finditer(TEXT)}


def examples(code: str) -> dict[str, tuple[str, str]]:
    body = SECTIONS[code].group(5)
    return {kind: (language, text) for kind, language, text in EXAMPLE.findall(body)}


def codes(html: str, code: str) -> set[str]:
    if code == "TK501":
        url, pattern = ADDRESS.search(html).groups()  # type: ignore[union-attr]
        report = PageReport(url, url, (), "cn_product_visited" in html, None)
        return {f.code for f in product_pages([report], re.compile(pattern))}
    header = HEADER.search(html)
    headers = {"Cache-Control": header.group(1)} if header else None
    return {f.code for f in lint_html(html, path="example.html", headers=headers)}


def test_every_rule_has_a_section_with_its_name_and_severity() -> None:
    assert list(SECTIONS) == list(RULES)
    for code, match in SECTIONS.items():
        assert match.group(1) == code.lower()
        assert (match.group(3), match.group(4)) == (RULES[code].name, RULES[code].severity)
        assert f"connectif.md#{RULES[code].anchor}" in match.group(5)


@pytest.mark.parametrize("code", list(RULES))
def test_the_bad_example_gets_the_code_and_the_fixed_one_does_not(code: str) -> None:
    found = examples(code)
    assert set(found) == {"Bad", "Fixed"}, code
    if code == "TK502":  # needs a server: tests/validate/test_site.py runs both
        assert all(language == "console" for language, _ in found.values())
        return
    assert code in codes(found["Bad"][1], code)
    assert code not in codes(found["Fixed"][1], code)

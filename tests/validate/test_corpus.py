"""Hand-written pages: good ones get no error; bad ones get each expected finding at its line.

A bad page lists what it expects in its first line: ``<!-- expect: TK202@7 TK104@3 -->``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tagkit._lint import lint_html

from .conftest import BAD, GOOD

EXPECT = re.compile(r"(TK\d{3})@(\d+)")


@pytest.mark.parametrize("page", GOOD, ids=lambda p: p.stem)
def test_good_pages_get_no_error(page: Path) -> None:
    findings = lint_html(page.read_bytes(), path=str(page))
    assert [f for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize("page", BAD, ids=lambda p: p.stem)
def test_bad_pages_get_each_expected_finding_at_its_line(page: Path) -> None:
    data = page.read_bytes()
    first = data.decode("utf-8").splitlines()[0]
    expected = {(code, int(line)) for code, line in EXPECT.findall(first)}
    assert expected, f"{page.name} lists no expected finding"
    found = {(f.code, f.line) for f in lint_html(data, path=str(page))}
    assert expected <= found, sorted(found)
    assert any(f.severity in ("error", "warning") for f in lint_html(data, path=str(page)))

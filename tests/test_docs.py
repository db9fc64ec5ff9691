"""Code, templates and docs cite tagkit's own reference, ``docs/connectif.md``, by anchor.

Every ``docs/connectif.md#<anchor>`` written anywhere in the project must name an
``<a id="anchor">`` of that file, and the shipped code (``tagkit/``, ``templates/``, ``static/``)
must not cite an outside document: no decision numbers ("(D3)", ", D17"), no "spec 4.5", "§7",
"section 2.5" or "connectif-spec.md". The decision numbers map to anchors in
docs/connectif.md#decision-index.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "docs" / "connectif.md"

ANCHOR = re.compile(r'<a id="([^"]+)"')
CITATION = re.compile(r"docs/connectif\.md#([A-Za-z0-9_-]+)")
LOCAL_LINK = re.compile(r"\]\(#([^)]+)\)")

# Where citations are checked, and where outside citations are refused.
CITING = ("tagkit", "templates", "static", "tests", "README.md", "CHANGELOG.md", "docs")
SHIPPED = ("tagkit", "templates", "static")
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules"})

# Outside citations. A decision number counts only where it is cited: "(D3)", "D3:", ", D17)",
# "D16: ...", "§4.3 / D12", "D1-D17" or at the end of a sentence, never inside a word or id
# ("2D3C" in a UUID).
OUTSIDE = {
    "decision number": re.compile(
        r"(?<![\w-])D(?:1[0-9]|[1-9])(?=\s*[),:;/]|[-\u2013]D|\.(?:\s|$)|\s*$)"
    ),
    "spec number": re.compile(r"\bspec\s+[0-9§]", re.IGNORECASE),
    "section sign": re.compile(r"§ ?[0-9]"),
    "section number": re.compile(r"\bsections?\s+[0-9]", re.IGNORECASE),
    "connectif-spec": re.compile(r"connectif-spec", re.IGNORECASE),
}


def _anchors() -> list[str]:
    return ANCHOR.findall(REFERENCE.read_text(encoding="utf-8"))


def _text_files(roots: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    for root in roots:
        path = REPO / root
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in candidates:
            parts = file.relative_to(REPO).parts
            if not file.is_file() or any(p.startswith(".") or p in SKIPPED_DIRS for p in parts):
                continue
            try:
                yield file, file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # binary


def _where(file: Path, text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{file.relative_to(REPO)}:{line}: {text.splitlines()[line - 1].strip()}"


def test_anchors_are_unique() -> None:
    repeated = sorted(a for a, n in Counter(_anchors()).items() if n > 1)
    assert repeated == []


def test_links_inside_the_reference_resolve() -> None:
    anchors = set(_anchors())
    text = REFERENCE.read_text(encoding="utf-8")
    broken = [
        _where(REFERENCE, text, m.start())
        for m in LOCAL_LINK.finditer(text)
        if m.group(1) not in anchors
    ]
    assert broken == []


def test_every_cited_anchor_exists() -> None:
    anchors = set(_anchors())
    missing = [
        _where(file, text, m.start())
        for file, text in _text_files(CITING)
        for m in CITATION.finditer(text)
        if m.group(1) not in anchors
    ]
    assert missing == [], "cited anchors missing from docs/connectif.md:\n" + "\n".join(missing)


@pytest.mark.parametrize("kind", sorted(OUTSIDE))
def test_shipped_files_cite_no_outside_document(kind: str) -> None:
    pattern = OUTSIDE[kind]
    found = [
        _where(file, text, m.start())
        for file, text in _text_files(SHIPPED)
        for m in pattern.finditer(text)
    ]
    assert found == [], (
        f"{kind}: cite docs/connectif.md#<anchor> instead (docs/connectif.md#decision-index maps "
        "decision numbers):\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("(spec 5, D7, D17)", "decision number"),
        ("# D16: these arrays are always present", "decision number"),
        ("// §4.3 / D12, written by hand", "decision number"),
        ("login and register (D3).", "decision number"),
        ("Decisions D1-D17 are explained", "decision number"),
        ("the emptied cart (D2)", "decision number"),
        ("# Spec 3.2. Order", "spec number"),
        ("cited as §n (spec §7)", "spec number"),
        ("// §2.5: innerText", "section sign"),
        ("see § 4", "section sign"),
        ("section 2.5 (text)", "section number"),
        ("(connectif-spec.md 4.3)", "connectif-spec"),
    ],
)
def test_outside_citations_are_recognised(line: str, kind: str) -> None:
    assert OUTSIDE[kind].search(line)


@pytest.mark.parametrize(
    "line",
    [
        "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0",
        "the D3 key of a matrix",
        "HTML spec, 'JavaScript MIME type essence match'",
        "spec = lookup_tag(tag)",
        "docs/connectif.md#lookup-first-match",
        "U+2028 and U+2029",
    ],
)
def test_ordinary_text_is_not_an_outside_citation(line: str) -> None:
    assert [kind for kind, pattern in OUTSIDE.items() if pattern.search(line)] == []

"""Lint one page: run every rule of :mod:`tagkit._findings` over the tree a browser builds.

Pure: the CLI chooses the rules, formats the findings and sets the exit code.

>>> [f.code for f in lint_html('<div class="cn_search"><span class="search_text"></span></div>',
...                            path="p.html")]
['TK101', 'TK104', 'TK219']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import _lint_page, _lint_values
from ._dom import DEFAULT_PARSER, Document, parse_document
from ._findings import Finding
from ._lint_context import Check, PageContext


def _checks() -> tuple[Check, ...]:
    return (*_lint_page.CHECKS, *_lint_values.CHECKS)


def lint_document(
    doc: Document,
    *,
    path: str,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every finding on one parsed page, sorted by place."""
    context = PageContext(doc, path, url, {k.lower(): v for k, v in (headers or {}).items()})
    findings: list[Finding] = []
    for check in _checks():
        findings.extend(check(context))
    return sorted(set(findings))


def lint_html(
    html: str | bytes,
    *,
    path: str,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    parser: str = DEFAULT_PARSER,
) -> list[Finding]:
    """Every finding on one page's HTML."""
    return lint_document(parse_document(html, parser), path=path, url=url, headers=headers)


def select(
    findings: Iterable[Finding],
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """The findings whose code starts with one of ``select`` (all when empty) and with none of
    ``ignore``: ``TK2`` selects every value rule."""
    chosen = tuple(select)
    dropped = tuple(ignore)
    return [
        f
        for f in findings
        if (not chosen or f.code.startswith(chosen))
        and not (dropped and f.code.startswith(dropped))
    ]


__all__ = ["PageContext", "lint_document", "lint_html", "select"]

"""What a lint rule sees of one page: its tree, where it came from, its response headers.

A leaf below the rules (``_lint_page``, ``_lint_values``) and the engine (``_lint``) that runs
them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ._dom import Document
from ._findings import RULES, Finding
from ._loaders import Loader, find_loaders


@dataclass
class PageContext:
    """What the rules of one page see: its tree, where it came from, its response headers."""

    doc: Document
    path: str
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def loaders(self) -> list[Loader]:
        return find_loaders(self.doc)

    def finding(self, code: str, element: int | None, message: str) -> Finding:
        """A finding of rule ``code`` at ``element``'s start tag (line 1, column 1 for the
        page as a whole)."""
        rule = RULES[code]
        if element is None:
            line, column = 1, 1
        else:
            where = self.doc.position(element)
            line, column = where.line, where.column
        return Finding(self.path, line, column, code, rule.severity, message)


Check = Callable[[PageContext], Iterable[Finding]]

"""Lint many pages, over processes when asked, then run the site rules over them all.

>>> from tagkit._sources import Source
>>> [r.name for r in lint_sources([Source("a.html", b"<p>hi</p>")], jobs=1)]
['a.html']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import vocabulary as vocab
from ._dom import DEFAULT_PARSER, parse_document
from ._findings import RULES, Finding
from ._lint import lint_document
from ._loaders import find_loaders
from ._sources import DEFAULT_TIMEOUT, InputError, Source, fetch, is_url

# docs/connectif.md#worker-mime-type
JS_MIME_TYPES = frozenset(
    {"text/javascript", "application/javascript", "application/x-javascript", "text/ecmascript"}
)


@dataclass(frozen=True)
class PageReport:
    """One page's findings and the facts the site rules need."""

    name: str
    url: str | None
    findings: tuple[Finding, ...]
    product_visited: bool
    loader: tuple[int, int] | None  # line and column of the first loader


def lint_source(source: Source, parser: str = DEFAULT_PARSER) -> PageReport:
    """Lint one page (a module-level function, so that worker processes can run it)."""
    doc = parse_document(source.data, parser)
    findings = lint_document(doc, path=source.name, url=source.url, headers=source.headers)
    loaders = find_loaders(doc)
    where = None
    if loaders:
        position = doc.position(loaders[0].element)
        where = (position.line, position.column)
    visited = bool(doc.with_class(vocab.lookup_tag("product-visited").name))
    return PageReport(source.name, source.url, tuple(findings), visited, where)


def _lint_one(job: tuple[Source, str]) -> PageReport:
    return lint_source(*job)


def lint_sources(
    sources: Sequence[Source],
    *,
    jobs: int = 1,
    parser: str = DEFAULT_PARSER,
    on_done: Callable[[], None] | None = None,
) -> list[PageReport]:
    """Lint every page, in order; ``jobs`` > 1 spreads them over that many processes."""
    work = [(source, parser) for source in sources]
    results: Iterator[PageReport]
    if jobs <= 1 or len(work) < 2:
        results = map(_lint_one, work)
        return [_tick(report, on_done) for report in results]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: a fresh interpreter per worker, safe whatever threads the caller runs.
    context = multiprocessing.get_context("spawn")
    chunk = max(1, len(work) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return [_tick(report, on_done) for report in pool.map(_lint_one, work, chunksize=chunk)]


def _tick(report: PageReport, on_done: Callable[[], None] | None) -> PageReport:
    if on_done is not None:
        on_done()
    return report


def _finding(code: str, path: str, where: tuple[int, int] | None, message: str) -> Finding:
    line, column = where or (1, 1)
    return Finding(path, line, column, code, RULES[code].severity, message)


def product_pages(reports: Sequence[PageReport], pattern: re.Pattern[str]) -> list[Finding]:
    """Pages whose URL (or file path) matches ``pattern`` carry ``cn_product_visited``."""
    tag = vocab.lookup_tag("product-visited").name
    out: list[Finding] = []
    for report in reports:
        address = report.url or report.name
        if pattern.search(address) and not report.product_visited:
            out.append(
                _finding(
                    "TK501",
                    report.name,
                    None,
                    f"{address} matches --product-url {pattern.pattern!r} but has no {tag}: "
                    "Connectif never learns that the product was viewed. Render the product's "
                    f"{tag} on it.",
                )
            )
    return out


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


def worker_checks(
    reports: Sequence[PageReport], worker_url: str, *, timeout: float = DEFAULT_TIMEOUT
) -> list[Finding]:
    """The store's service-worker URL is on the pages' origin, and answers 200 with a
    JavaScript MIME type (docs/connectif.md#worker-same-origin,
    docs/connectif.md#worker-mime-type)."""
    out: list[Finding] = []
    loaded = [r for r in reports if r.loader is not None] or list(reports)
    for report in loaded:
        if report.url and _origin(report.url) != _origin(worker_url):
            out.append(
                _finding(
                    "TK502",
                    report.name,
                    report.loader,
                    f"the service worker {worker_url} is not on this page's origin "
                    f"({report.url}): browsers refuse to register it, so Web Push does not "
                    "work here. Serve service-worker.js from the pages' own origin.",
                )
            )
    if not is_url(worker_url) or not loaded:
        return out
    first = loaded[0]
    try:
        answer = fetch(worker_url, timeout=timeout)
    except InputError as exc:
        problem = str(exc)
    else:
        media = answer.headers.get("content-type", "").split(";")[0].strip().lower()
        if answer.status != 200:
            problem = f"it answered HTTP {answer.status}, not 200"
        elif media not in JS_MIME_TYPES:
            problem = (
                f"it is served as {media or 'no content type'!r}; browsers accept a worker only "
                "as JavaScript (text/javascript)"
            )
        else:
            return out
    out.append(
        _finding(
            "TK502",
            first.name,
            first.loader,
            f"the service worker {worker_url} cannot be registered: {problem}.",
        )
    )
    return out


__all__ = ["PageReport", "lint_source", "lint_sources", "product_pages", "worker_checks"]

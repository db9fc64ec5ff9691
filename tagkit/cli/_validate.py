"""The commands that read existing pages: ``inspect`` and ``lint``.

Library modules are imported inside the commands: ``tagkit --help`` loads no HTML parser, and
only ``inspect --browser`` loads Playwright.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from ._errors import EXIT_INVALID, FileProblem, UsageProblem, command
from ._options import FILE, parser_option

if TYPE_CHECKING:
    from .._audit import PageReport
    from .._findings import Finding
    from .._sources import Source

STDIN = "-"
# The page address the browser harness serves a page at when --url is not given.
DEFAULT_PAGE_URL = "https://shop.example/"
SEVERITY_CHOICES = ("error", "warning", "info")


def _read_page(page: str, timeout: float) -> Source:
    from .._sources import InputError, fetch_page, is_url, read_file
    from .._sources import Source as Page

    try:
        if page == STDIN:
            return Page("stdin", sys.stdin.buffer.read())
        if is_url(page):
            return fetch_page(page, timeout=timeout)
        from pathlib import Path

        return Page(page, read_file(Path(page)))
    except InputError as exc:
        raise FileProblem(str(exc)) from None


def _check_parser(parser: str) -> None:
    """``--parser lxml`` needs lxml, an optional dependency."""
    if parser != "lxml":
        return
    from importlib.util import find_spec

    if find_spec("lxml") is None:
        raise UsageProblem(
            '--parser lxml needs lxml, which is not installed: pip install "tagkit[lxml]"'
        )


def _check_url(url: str | None, option: str) -> None:
    if url is None:
        return
    from .._sources import is_url

    if not is_url(url):
        raise UsageProblem(
            f"{option} must be an http(s) URL like 'https://shop.example/p/1', got {url!r}"
        )


# -- tagkit inspect -------------------------------------------------------------------------


def _text_body(body: dict[str, Any]) -> str:
    import json

    lines = []
    for key, value in body.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines)


def _finding_lines(findings: list[Finding]) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column}: {f.code} {f.severity} {f.message}" for f in findings]


@command("inspect")
@click.argument("page", metavar="PAGE", type=FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: exactly the request body on stdout, findings on stderr.",
)
@click.option("--url", metavar="URL", help="The page's address, for rules that depend on it.")
@click.option(
    "--browser",
    is_flag=True,
    help="Also load the page in Chromium and compare with the request the client records; "
    "exit 1 when they differ.",
)
@click.option(
    "--connectif-client",
    "client_file",
    type=FILE,
    metavar="FILE",
    help="With --browser: serve this real Connectif client file instead of tagkit's double.",
)
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds per fetch.")
@parser_option
def inspect(
    page: str,
    fmt: str,
    url: str | None,
    browser: bool,
    client_file: str | None,
    timeout: float,
    parser: str,
) -> None:
    """Print what Connectif's client sends for PAGE, and what it drops or misreads.

    PAGE is an HTML file, - for standard input, or an http(s) URL. The page is read the way a
    browser parses it and the client reads it: the JSON object has entityInfo, cart, events
    (page-visit last), bannerPlaceholders and pageInfo, as in the client's first request
    (browserInfo aside, which only a browser knows).

    \b
    Examples:
      tagkit inspect build/product.html
      tagkit inspect https://shop.example/p/1 --format json > body.json
      tagkit inspect page.html --browser
    """
    import json

    from .._dom import parse_document
    from .._lint import lint_document
    from .._request import request_body

    _check_url(url, "--url")
    _check_parser(parser)
    if client_file is not None and not browser:
        raise UsageProblem("--connectif-client needs --browser")
    source = _read_page(page, timeout)
    address = url or source.url
    doc = parse_document(source.data, parser)
    body = request_body(doc, address)
    findings = lint_document(doc, path=source.name, url=address, headers=source.headers)
    if browser:
        from .._inspect import BrowserProblem, compare, record_in_browser

        try:
            recorded = record_in_browser(
                source.data, url=address or DEFAULT_PAGE_URL, client_file=client_file
            )
        except BrowserProblem as exc:
            raise UsageProblem(str(exc)) from None
        differences = compare(body, recorded)
        if fmt == "json":
            click.echo(json.dumps(recorded, ensure_ascii=False, indent=2))
        else:
            click.echo("Recorded in Chromium:")
            click.echo(_text_body(recorded))
        for line in _finding_lines(findings):
            click.echo(line, err=True)
        if differences:
            click.echo(
                "error: the browser's request differs from tagkit's static view "
                "(- static, + browser):",
                err=True,
            )
            click.echo(differences, err=True)
            click.get_current_context().exit(EXIT_INVALID)
        click.echo("The browser's request equals tagkit's static view.", err=True)
        return
    if fmt == "json":
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        for line in _finding_lines(findings):
            click.echo(line, err=True)
        return
    click.echo(_text_body(body))
    if findings:
        click.echo("")
        click.echo("Dropped, misread or risky:")
        for line in _finding_lines(findings):
            click.echo(f"  {line}")


# -- tagkit lint ----------------------------------------------------------------------------


def _codes(value: str | None, option: str) -> tuple[str, ...]:
    if not value:
        return ()
    from .._findings import RULES

    codes = tuple(part.strip().upper() for part in value.split(",") if part.strip())
    for code in codes:
        if not any(known.startswith(code) for known in RULES):
            raise UsageProblem(
                f"{option}: unknown rule code {code!r}; codes are TK101 to "
                f"{max(RULES)} (a prefix like TK2 selects a group)"
            )
    return codes


def _sources(
    paths: tuple[str, ...],
    sitemap: str | None,
    *,
    concurrency: int,
    timeout: float,
    max_pages: int,
    show_progress: bool,
) -> list[Source]:
    from pathlib import Path

    from .._sources import InputError, expand, fetch_pages, is_url, read_file, sitemap_pages
    from .._sources import Source as Page

    if paths.count(STDIN) > 1:
        raise UsageProblem("- (standard input) can be given only once")
    try:
        names = expand(paths)
        if sitemap is not None:
            names.extend(sitemap_pages(sitemap, max_pages=max_pages, timeout=timeout))
            names = list(dict.fromkeys(names))
        if not names:
            raise UsageProblem("give at least one PATH, or --sitemap")
        if len(names) > max_pages:
            raise UsageProblem(
                f"{len(names)} pages is more than --max-pages {max_pages}; raise it or narrow "
                "the PATHs"
            )
        urls = [name for name in names if is_url(name)]
        fetched: dict[str, Source] = {}
        if urls:
            with _progress(len(urls), "fetching", show_progress) as tick:
                got = fetch_pages(urls, concurrency=concurrency, timeout=timeout, on_done=tick)
                fetched = dict(zip(urls, got, strict=True))
        out: list[Source] = []
        for name in names:
            if name == STDIN:
                out.append(Page("stdin", sys.stdin.buffer.read()))
            elif name in fetched:
                out.append(fetched[name])
            else:
                out.append(Page(name, read_file(Path(name))))
        return out
    except InputError as exc:
        raise FileProblem(str(exc)) from None


class _Progress:
    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def __call__(self) -> None:
        if self.bar is not None:
            self.bar.update(1)


class _progress:
    """click's progress bar on stderr for more than 20 items on a terminal; else nothing."""

    def __init__(self, count: int, label: str, enabled: bool) -> None:
        self.bar = None
        if enabled and count > 20:
            self.bar = click.progressbar(length=count, label=label, file=sys.stderr)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return _Progress(self.bar)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _report(fmt: str, findings: list[Finding], reports: list[PageReport], fail_on: str) -> str:
    from .. import _reporters

    if fmt == "json":
        return _reporters.json_report(findings)
    if fmt == "sarif":
        return _reporters.sarif_report(findings)
    if fmt == "junit":
        return _reporters.junit_report(findings, [r.name for r in reports], fail_on=fail_on)
    return _reporters.text_report(findings, pages=len(reports))


@command("lint")
@click.argument("paths", nargs=-1, metavar="PATH...", type=FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "junit"]),
    default="text",
    show_default=True,
    help="json: a list of findings; sarif: SARIF 2.1.0 for code scanning; junit: JUnit XML.",
)
@click.option("--select", metavar="CODES", help="Only these rule codes or prefixes (TK2,TK101).")
@click.option("--ignore", metavar="CODES", help="Skip these rule codes or prefixes.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    default="error",
    show_default=True,
    help="Exit 1 when a finding has this severity or a higher one.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Lint pages in this many processes.",
)
@click.option(
    "--sitemap",
    metavar="URL|FILE",
    help="Also lint every page of this sitemap (or sitemap index; gzip too).",
)
@click.option(
    "--product-url",
    metavar="REGEX",
    help="Pages whose URL (or path) matches must carry a product-visited tag.",
)
@click.option(
    "--worker-url",
    metavar="URL",
    help="The service-worker URL entered in the store's Web Push settings: checked "
    "for the pages' origin, HTTP 200 and a JavaScript type.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    help="At most this many requests at once.",
)
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds per request.")
@click.option(
    "--max-pages",
    type=click.IntRange(1),
    default=5000,
    show_default=True,
    help="At most this many pages in one run.",
)
@parser_option
def lint(
    paths: tuple[str, ...],
    fmt: str,
    select: str | None,
    ignore: str | None,
    fail_on: str,
    jobs: int,
    sitemap: str | None,
    product_url: str | None,
    worker_url: str | None,
    concurrency: int,
    timeout: float,
    max_pages: int,
    parser: str,
) -> None:
    """Check pages for everything Connectif's client drops or misreads, with TK rule codes.

    PATH is an HTML file, a folder (its *.html and *.htm files, recursively), - for standard
    input, or an http(s) URL. Every rule is described in docs/lint-rules.md. Exit codes: 0
    when no finding is at or above --fail-on, 1 when one is, 2 for unusable input.

    \b
    Examples:
      tagkit lint build/
      tagkit lint --sitemap https://shop.example/sitemap.xml --product-url '/p/'
      tagkit lint site/ --format sarif > tagkit.sarif
      tagkit lint site/ --format junit --fail-on warning > tagkit-junit.xml
    """
    import re

    from .._audit import lint_sources, product_pages, worker_checks
    from .._findings import RANK
    from .._lint import select as choose

    chosen = _codes(select, "--select")
    dropped = _codes(ignore, "--ignore")
    pattern = None
    if product_url is not None:
        try:
            pattern = re.compile(product_url)
        except re.error as exc:
            raise UsageProblem(
                f"--product-url {product_url!r} is not a regular expression: {exc}"
            ) from None
    _check_url(worker_url, "--worker-url")
    _check_parser(parser)
    if sitemap is None and not paths:
        raise UsageProblem("give at least one PATH (a file, a folder, - or a URL), or --sitemap")
    interactive = sys.stderr.isatty()
    sources = _sources(
        paths,
        sitemap,
        concurrency=concurrency,
        timeout=timeout,
        max_pages=max_pages,
        show_progress=interactive,
    )
    with _progress(len(sources), "linting", interactive) as tick:
        reports = lint_sources(sources, jobs=jobs, parser=parser, on_done=tick)
    findings = [f for report in reports for f in report.findings]
    if pattern is not None:
        findings.extend(product_pages(reports, pattern))
    if worker_url is not None:
        findings.extend(worker_checks(reports, worker_url, timeout=timeout))
    findings = choose(findings, select=chosen, ignore=dropped)
    click.echo(_report(fmt, findings, reports, fail_on))
    if any(RANK[f.severity] >= RANK[fail_on] for f in findings):
        click.get_current_context().exit(EXIT_INVALID)


COMMANDS: tuple[click.Command, ...] = (inspect, lint)

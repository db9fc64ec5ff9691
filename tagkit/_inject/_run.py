"""One run of ``tagkit inject`` over a folder of built HTML: for each page, its data, its block
and its new bytes; then the writes.

A page's data is every matching ``[[rules]]`` entry of the config, in order, then its sidecar
file (``page.html`` -> ``page.tagkit.json``), later keys replacing earlier ones. The block is
the loader, then the page's tags (tags mode) or its event script and page tags (events mode,
where a page without data still gets the page-visit script: with auto-send off the client sends
nothing by itself). The event script's id is derived from the page's path, so a second run
writes the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath

from ..errors import ConfigError, ValidationError
from ._config import SiteConfig, page_urls
from ._html import Document, inline_scripts

SIDECAR_SUFFIX = ".tagkit.json"
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Outcome:
    """What a run does to one file: its bytes before and after, or why it is left alone."""

    path: Path
    name: str
    old: bytes | None
    new: bytes | None = None
    problems: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()
    encoding: str = "utf-8"

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.old


def html_files(site: Path) -> list[Path]:
    """Every HTML file under ``site``, sorted; hidden folders (``.git``) are left out."""
    found = []
    for path in site.rglob("*"):
        parts = path.relative_to(site).parts
        if any(part.startswith(".") for part in parts[:-1]):
            continue
        if path.suffix.lower() in HTML_SUFFIXES and path.is_file():
            found.append(path)
    return sorted(found)


def sidecar(path: Path) -> Path:
    """The data file of a page: ``shoe.html`` -> ``shoe.tagkit.json``."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def render_id(name: str) -> str:
    """A stable script id for the page at ``name``.

    >>> render_id("index.html")
    'DrVHMEZYgFqteI0y'
    """
    digest = hashlib.sha256(name.encode("utf-8")).digest()[:12]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def block(config: SiteConfig, document: dict[str, object], name: str) -> str:
    """The markup inserted into one page."""
    from .. import render_loader, render_page, render_page_events

    parts = [str(render_loader(config.store_id, config.region))]
    if config.mode == "events":  # not a Connectif name
        parts.append(
            str(render_page_events(document, hidden=config.hidden, render_id=render_id(name)))
        )
    elif document:
        parts.append(str(render_page(document, hidden=config.hidden)))
    return "\n".join(part for part in parts if part)


def _page_data(config: SiteConfig, path: Path, name: str) -> tuple[dict[str, object], str]:
    """The merged page document of a page, and the file its problems are named after."""
    document: dict[str, object] = {}
    urls = page_urls(PurePosixPath(name))
    for rule in config.rules:
        if rule.matches(urls):
            document.update(rule.page)
    data_file = sidecar(path)
    label = name
    try:
        text = data_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return document, label
    label = data_file.name if "/" not in name else name.rsplit("/", 1)[0] + "/" + data_file.name
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{label}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(data, dict):
        raise ValueError(f"{label}: must be a page document (a JSON object), got {data!r}")
    document.update(data)
    return document, label


def plan_page(site: Path, path: Path, config: SiteConfig) -> Outcome:
    """What the run does to one page; never raises for a problem of that page."""
    from .._csp import script_hash

    name = path.relative_to(site).as_posix()
    try:
        old = path.read_bytes()
    except OSError as exc:
        return Outcome(path, name, None, problems=(f"{name}: cannot read it: {exc.strerror}",))
    label = name
    try:
        document, label = _page_data(config, path, name)
        markup = block(config, document, name)
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            lines = tuple(f"{label}: {problem}" for problem in exc.problems)
        elif isinstance(exc, ConfigError):
            lines = (f"{label}: {exc}",)
        else:
            lines = (str(exc),)
        return Outcome(path, name, old, problems=lines)
    except UnicodeDecodeError:
        return Outcome(path, name, old, problems=(f"{label}: not UTF-8 text",))
    except OSError as exc:
        return Outcome(path, name, old, problems=(f"{label}: cannot read it: {exc.strerror}",))
    try:
        page = Document.read(old)
    except ValueError as exc:
        return Outcome(path, name, old, problems=(f"{name}: {exc}",))
    hashes = tuple(script_hash(text) for text in inline_scripts(page.block_text(markup)))
    return Outcome(path, name, old, page.with_block(markup), hashes=hashes, encoding=page.encoding)


def plan_worker(site: Path, config: SiteConfig) -> Outcome | None:
    """The service worker the config asks for; a different file that tagkit did not write is
    a problem, never replaced (it may be a PWA's own worker)."""
    from .. import render_service_worker

    if config.worker is None:
        return None
    path = site / config.worker.path
    name = config.worker.path
    text = (
        render_service_worker()
        if config.worker.worker_url is None
        else render_service_worker(config.worker.worker_url)
    )
    new = text.encode("utf-8")
    try:
        old: bytes | None = path.read_bytes()
    except FileNotFoundError:
        old = None
    except OSError as exc:
        return Outcome(path, name, None, problems=(f"{name}: cannot read it: {exc.strerror}",))
    ours = new.split(b"\n", 1)[0]
    if old is not None and old != new and not old.startswith(ours):
        return Outcome(
            path,
            name,
            old,
            problems=(
                f"{name} exists and tagkit did not write it (a PWA's worker?); add "
                f"{text.splitlines()[-1]} to it yourself, or remove service_worker from "
                f"{config.source}",
            ),
        )
    return Outcome(path, name, old, new)


def plan(site: Path, config: SiteConfig, pages: list[Path], jobs: int = 1) -> Iterator[Outcome]:
    """The outcome of every page, in order, computed by ``jobs`` threads."""
    if jobs <= 1:
        for path in pages:
            yield plan_page(site, path, config)
        return
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(lambda path: plan_page(site, path, config), pages)


def write(outcome: Outcome) -> None:
    """Replace the file atomically: a reader, or a run killed at any moment, sees the old
    bytes or the new ones."""
    from .._files import write_atomic

    if outcome.new is not None and outcome.changed:
        write_atomic(outcome.path, outcome.new)


__all__ = [
    "SIDECAR_SUFFIX",
    "Outcome",
    "block",
    "html_files",
    "plan",
    "plan_page",
    "plan_worker",
    "render_id",
    "sidecar",
    "write",
]

"""The pages of a site audit: files, folders, standard input, http(s) URLs and sitemaps.

URLs are fetched with the standard library: a timeout per request, a User-Agent that names
tagkit, at most ``concurrency`` requests at once, at most ``max_pages`` pages, and responses cut
at ``MAX_BYTES``. A sitemap (file or URL, gzip or not) lists pages or, as a sitemap index, other
sitemaps, read to a depth of ``MAX_SITEMAP_DEPTH``. Anything unusable raises :class:`InputError`
with one line that names it.

>>> is_url("https://shop.example/"), is_url("shop/index.html")
(True, False)
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

MAX_BYTES = 20 * 1024 * 1024
MAX_SITEMAP_DEPTH = 3
DEFAULT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 4
DEFAULT_MAX_PAGES = 5000
HTML_SUFFIXES = (".html", ".htm")
STDIN = "-"

_LOC = re.compile(r"<(?:[A-Za-z0-9_-]+:)?loc\b[^>]*>(.*?)</(?:[A-Za-z0-9_-]+:)?loc\s*>", re.S)
_CDATA = re.compile(r"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.S)
_INDEX = re.compile(r"<(?:[A-Za-z0-9_-]+:)?sitemapindex\b")


class InputError(Exception):
    """A page, folder, URL or sitemap that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Source:
    """One page to check: the name findings carry, its URL if it has one, its bytes and its
    response headers (lower-case names)."""

    name: str
    data: bytes
    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: dict[str, str]
    data: bytes


def is_url(name: str) -> bool:
    return urlsplit(name).scheme.lower() in ("http", "https")


def user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("tagkit")
    except PackageNotFoundError:  # a checkout that was never installed
        number = "0+unknown"
    return f"tagkit/{number} (Connectif integration check; {_TOOL_URI})"


_TOOL_URI = "+https://pypi.org/project/tagkit/"


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, agent: str | None = None) -> Response:
    """GET ``url``; any HTTP status is a response, a network failure an :class:`InputError`."""
    import urllib.error
    import urllib.request

    if not is_url(url) or not urlsplit(url).hostname:
        raise InputError(f"{url!r} is not an http(s) URL like 'https://shop.example/'")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": agent or user_agent(), "Accept-Encoding": "identity"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            data = answer.read(MAX_BYTES + 1)
            status = int(answer.status)
            headers = {k.lower(): v for k, v in answer.headers.items()}
            final = str(answer.url)
    except urllib.error.HTTPError as error:
        data = error.read(MAX_BYTES + 1) if error.fp is not None else b""
        status = int(error.code)
        headers = {k.lower(): v for k, v in (error.headers or {}).items()}
        final = url
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise InputError(f"cannot fetch {url}: {reason}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return Response(final, status, headers, data)


def fetch_page(url: str, *, timeout: float = DEFAULT_TIMEOUT, agent: str | None = None) -> Source:
    """A page from its URL; a status other than 200 is an :class:`InputError`."""
    answer = fetch(url, timeout=timeout, agent=agent)
    if answer.status != 200:
        raise InputError(f"{url} answered HTTP {answer.status}, not 200")
    return Source(url, answer.data, answer.url, answer.headers)


def fetch_pages(
    urls: Sequence[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
    on_done: Callable[[], None] | None = None,
) -> list[Source]:
    """Fetch ``urls`` with at most ``concurrency`` requests at once, in the given order."""
    agent = user_agent()

    def one(url: str) -> Source:
        try:
            return fetch_page(url, timeout=timeout, agent=agent)
        finally:
            if on_done is not None:
                on_done()

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return list(pool.map(one, urls))


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{str(path)!r} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{str(path)!r} is a folder") from None
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror}") from None


def html_files(folder: Path) -> list[Path]:
    """Every ``*.html`` / ``*.htm`` file below ``folder``, sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())


def _gunzip(data: bytes, name: str) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_BYTES + 1)
    except zlib.error as exc:
        raise InputError(f"{name} is not valid gzip: {exc}") from None
    if len(out) > MAX_BYTES:
        raise InputError(f"{name} unpacks to more than {MAX_BYTES // (1024 * 1024)} MiB")
    return out


def sitemap_locations(data: bytes, name: str) -> tuple[bool, list[str]]:
    """Whether a sitemap is an index, and the ``<loc>`` URLs it lists.

    Read with a pattern, not an XML parser: a sitemap from the web may be hostile, and its
    ``<loc>`` elements are all that matters.

    >>> sitemap_locations(
    ...     b"<urlset><url><loc> https://s.example/a?x=1&amp;y=2 </loc></url></urlset>", "s")
    (False, ['https://s.example/a?x=1&y=2'])
    """
    text = _gunzip(data, name).decode("utf-8", errors="replace")
    if "<" not in text or not re.search(r"<(?:[A-Za-z0-9_-]+:)?(urlset|sitemapindex)\b", text):
        raise InputError(f"{name} is not a sitemap (no <urlset> or <sitemapindex>)")
    found: list[str] = []
    for raw in _LOC.findall(text):
        cdata = _CDATA.match(raw)
        value = cdata.group(1) if cdata else html.unescape(raw)
        value = value.strip()
        if value:
            found.append(value)
    return bool(_INDEX.search(text)), found


def sitemap_pages(
    location: str,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[str]:
    """The page URLs of a sitemap or sitemap index (a file or an http(s) URL)."""
    pages: list[str] = []
    seen: set[str] = set()

    def visit(where: str, depth: int) -> None:
        if where in seen or len(pages) >= max_pages:
            return
        seen.add(where)
        if is_url(where):
            answer = fetch(where, timeout=timeout)
            if answer.status != 200:
                raise InputError(f"sitemap {where} answered HTTP {answer.status}, not 200")
            data = answer.data
        else:
            data = read_file(Path(where))
        is_index, locations = sitemap_locations(data, where)
        base = where if is_url(where) else None
        for loc in locations:
            target = urljoin(base, loc) if base else loc
            if is_index:
                if depth >= MAX_SITEMAP_DEPTH:
                    raise InputError(
                        f"sitemap {where} nests sitemap indexes deeper than {MAX_SITEMAP_DEPTH}"
                    )
                visit(target, depth + 1)
            elif len(pages) < max_pages:
                pages.append(target)

    visit(location, 1)
    return pages


def expand(paths: Iterable[str]) -> list[str]:
    """Files, folders (their HTML files), ``-`` and URLs, in order, without repeats."""
    out: list[str] = []
    for name in paths:
        if name == STDIN or is_url(name):
            out.append(name)
            continue
        path = Path(name)
        if path.is_dir():
            found = html_files(path)
            if not found:
                raise InputError(f"{name!r} holds no .html or .htm file")
            out.extend(str(p) for p in found)
        elif not path.exists():
            raise InputError(f"{name!r} does not exist")
        else:
            out.append(name)
    return list(dict.fromkeys(out))


__all__ = [
    "InputError",
    "Response",
    "Source",
    "expand",
    "fetch",
    "fetch_page",
    "fetch_pages",
    "is_url",
    "read_file",
    "sitemap_locations",
    "sitemap_pages",
]

"""``tagkit.toml``: the store, the mode and the URL-glob rules of a static site.

::

    store_id = "0f8fad5b-d9cb-469f-a165-70867728950e"
    region = "eu6"
    mode = "tags"              # or "events" when the store's "auto-send events on init" is off
    hidden = false             # hide tags with the hidden attribute (CSP without inline styles)
    service_worker = true      # write SITE_DIR/service-worker.js (or a table, below)

    [[rules]]                  # every matching rule, in order, then the page's sidecar file
    match = "/products/**"     # a URL path glob: * within a segment, ** across segments
    page = { page_categories = ["/Shoes"] }

    [[rules]]
    match = ["/", "/index.html"]
    data = "data/home.json"    # a page document in a JSON file, relative to tagkit.toml

``service_worker`` may be a table: ``{ path = "sw/service-worker.js", worker_url = "..." }``.
Problems are :class:`~tagkit.ConfigError` (a setting) or :class:`~tagkit.ValidationError` (a
rule's page data), named from the file: ``tagkit.toml: rules[2].page.cart.total_price``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from .._values import did_you_mean
from ..errors import ConfigError, Problem, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MODES = ("tags", "events")  # not a Connectif name: the integration modes
KEYS = ("store_id", "region", "mode", "hidden", "service_worker", "rules")
RULE_KEYS = ("match", "page", "data")
WORKER_KEYS = ("path", "worker_url")


@dataclass(frozen=True)
class Rule:
    """Page data for every page whose URL path matches one of ``patterns``."""

    patterns: tuple[str, ...]
    page: Mapping[str, object]

    def matches(self, urls: tuple[str, ...]) -> bool:
        return any(glob(p).fullmatch(url) for p in self.patterns for url in urls)


@dataclass(frozen=True)
class Worker:
    """Where the service worker goes in the site, and the worker it imports."""

    path: str
    worker_url: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    store_id: str
    region: str
    mode: str = MODES[0]
    hidden: bool = False
    worker: Worker | None = None
    rules: tuple[Rule, ...] = ()
    source: str = "tagkit.toml"


def glob(pattern: str) -> re.Pattern[str]:
    """A URL-path glob as a regular expression: ``*`` and ``?`` stay within a path segment,
    ``**`` crosses segments.

    >>> bool(glob("/products/**").fullmatch("/products/shoes/red.html"))
    True
    >>> bool(glob("/products/*.html").fullmatch("/products/shoes/red.html"))
    False
    """
    if not pattern.startswith("/"):
        pattern = "/" + pattern
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def page_urls(relative: PurePosixPath) -> tuple[str, ...]:
    """The URL paths a page file answers to: ``/a/index.html`` is also ``/a/``.

    >>> page_urls(PurePosixPath("shoes/index.html"))
    ('/shoes/index.html', '/shoes/')
    """
    url = "/" + relative.as_posix()
    if relative.name.lower() in ("index.html", "index.htm"):
        return url, url[: -len(relative.name)]
    return (url,)


def _unknown(keys: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in keys:
        if key not in known:
            hint = did_you_mean(key, known)
            raise ConfigError(f"{where}{key} is not a setting; {hint}known: {', '.join(known)}")


def _text(value: object, where: str, form: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be {form}, got {value!r}")
    return value


def load(path: Path) -> SiteConfig:
    """Read and check ``path``; a missing file or bad TOML raises ``OSError`` /
    ``tomllib.TOMLDecodeError``, a bad value :class:`ConfigError` or
    :class:`ValidationError`."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return parse(data, path.parent, path.name)


def parse(data: Mapping[str, Any], base: Path, source: str = "tagkit.toml") -> SiteConfig:
    """A :class:`SiteConfig` from parsed TOML; ``base`` is where ``data`` files are found."""
    where = f"{source}: "
    _unknown(data, KEYS, where)
    from .. import render_loader

    store_id = _text(data.get("store_id"), where + "store_id", "the store's id, a UUID")
    region = _text(data.get("region"), where + "region", "the store's region, like 'eu6'")
    try:
        render_loader(store_id, region)
    except ConfigError as exc:
        raise ConfigError(f"{where}{exc}") from None
    mode = data.get("mode", MODES[0])
    if mode not in MODES:
        raise ConfigError(
            f"{where}mode must be 'tags' (the store's 'auto-send events on init' is on) or "
            f"'events' (it is off), got {mode!r}"
        )
    hidden = data.get("hidden", False)
    if not isinstance(hidden, bool):
        raise ConfigError(f"{where}hidden must be true or false, got {hidden!r}")
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise ConfigError(f"{where}rules must be a list of tables ([[rules]]), got {rules!r}")
    return SiteConfig(
        store_id=store_id,
        region=region,
        mode=mode,
        hidden=hidden,
        worker=_worker(data.get("service_worker", False), where),
        rules=tuple(_rule(rule, i, base, where) for i, rule in enumerate(rules)),
        source=source,
    )


def _worker(value: object, where: str) -> Worker | None:
    from .. import render_service_worker

    if value is False:
        return None
    if value is True:
        return Worker("service-worker.js")
    if not isinstance(value, dict):
        raise ConfigError(
            f"{where}service_worker must be true, false or a table "
            f"{{ path = 'service-worker.js', worker_url = '...' }}, got {value!r}"
        )
    _unknown(value, WORKER_KEYS, where + "service_worker.")
    path = _text(value.get("path", "service-worker.js"), where + "service_worker.path", "a path")
    if PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
        raise ConfigError(
            f"{where}service_worker.path must be a path inside the site, like "
            f"'service-worker.js', got {path!r}"
        )
    url = value.get("worker_url")
    if url is not None:
        try:
            render_service_worker(url)
        except ConfigError as exc:
            raise ConfigError(f"{where}service_worker.{exc}") from None
    return Worker(path, url)


def _rule(rule: object, index: int, base: Path, where: str) -> Rule:
    from .. import Page

    name = f"rules[{index}]"
    if not isinstance(rule, dict):
        raise ConfigError(f"{where}{name} must be a table with match and page or data")
    _unknown(rule, RULE_KEYS, f"{where}{name}.")
    match = rule.get("match")
    patterns = [match] if isinstance(match, str) else match
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p for p in patterns)
    ):
        raise ConfigError(
            f"{where}{name}.match must be a URL path glob like '/products/**', or a list of "
            f"them, got {match!r}"
        )
    if ("page" in rule) == ("data" in rule):
        raise ConfigError(f"{where}{name} needs either page (a table) or data (a JSON file)")
    if "page" in rule:
        page, label = rule["page"], f"{name}.page"
    else:
        data_file = base / _text(rule["data"], f"{where}{name}.data", "a JSON file path")
        label = f"{name}.data ({data_file})"
        try:
            page = json.loads(data_file.read_text(encoding="utf-8"), parse_float=Decimal)
        except OSError as exc:
            raise ConfigError(f"{where}{label}: cannot read it: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{where}{label}: not UTF-8 JSON: {exc}") from None
    if not isinstance(page, dict):
        raise ConfigError(f"{where}{label} must be a page document (an object), got {page!r}")
    try:
        Page.from_dict(page)
    except ValidationError as exc:
        raise ValidationError(
            Problem(f"{where}{label}.{p.path}", p.message) for p in exc.problems
        ) from None
    return Rule(tuple(patterns), page)


__all__ = ["MODES", "Rule", "SiteConfig", "Worker", "glob", "load", "page_urls", "parse"]

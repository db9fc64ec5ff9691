"""The Content-Security-Policy sources a page with tagkit needs, and hashes of inline scripts.

Pure functions: the CLI (``tagkit csp``) formats what they return.

>>> check_nonce("r4nd0m+Nonce/value==")
'r4nd0m+Nonce/value=='
>>> script_hash("alert(1)")
"'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ._values import quoted
from .errors import ConfigError

CONNECTIF_CDN = "https://cdn.connectif.cloud"
CONNECTIF_HOSTS = "https://*.connectif.cloud"

# CSP3 nonce-source: base64-value = 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" ) *2( "=" ).
_NONCE = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")

# The script types a browser runs, and so checks against script-src: no type, a JavaScript
# MIME type (HTML spec, "JavaScript MIME type essence match"), a module, an import map or
# speculation rules. Every other type (application/json, application/ld+json, text/template)
# is a data block: never executed, never subject to CSP.
_JS_MIME_TYPES = frozenset(
    {
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)
_CHECKED_TYPES = _JS_MIME_TYPES | {"module", "importmap", "speculationrules"}


def check_nonce(nonce: str | None, *, field: str = "nonce") -> str | None:
    """Return a usable CSP nonce unchanged, or raise :class:`ConfigError`.

    A nonce is the base64 (or URL-safe base64) value of ``'nonce-...'`` in the policy: letters,
    digits, ``+ / - _`` and at most two trailing ``=``. ``None`` means "no nonce".
    """
    if nonce is None:
        return None
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise ConfigError(
            f"{field} must be a CSP nonce: base64 or URL-safe base64 characters "
            f"(letters, digits, '+', '/', '-', '_', up to two trailing '='), like "
            f"'rAnd0mN0nce+Value==', got {quoted(nonce)}"
        )
    return nonce


@dataclass(frozen=True)
class Source:
    """One source expression of one directive, and why a page with tagkit needs it."""

    directive: str
    value: str
    reason: str


# Why each source is needed; the same text is the help of ``tagkit csp``.
SOURCES: tuple[Source, ...] = (
    Source(
        "script-src",
        CONNECTIF_CDN,
        "the Connectif client script, loaded by the loader from "
        "https://cdn.connectif.cloud/{region}/client-script/{store_id} "
        "(docs/connectif.md#loader-url)",
    ),
    Source(
        "script-src",
        "'self'",
        "tagkit-events.js in no-inline mode, served from your own site (tagkit static)",
    ),
    Source(
        "connect-src",
        CONNECTIF_HOSTS,
        "the client POSTs every request with XMLHttpRequest to the store's API host, "
        "e.g. https://eu3-api.connectif.cloud (docs/connectif.md#request-endpoint)",
    ),
    Source(
        "img-src",
        CONNECTIF_HOSTS,
        "images inside the pop-ups and inline contents Connectif shows (webContents, "
        "banners), hosted by Connectif; not confirmed for every store, keep it unless your "
        "CSP reports say otherwise",
    ),
    Source(
        "frame-src",
        CONNECTIF_HOSTS,
        "the optional cross-domain storage frame (store config iframeSource), assumed on a "
        "connectif.cloud host; only when your store uses one: check that URL",
    ),
    Source(
        "worker-src",
        "'self'",
        "the Web Push service worker: the client registers your own service-worker.js, "
        "which must be on the pages' origin (docs/connectif.md#worker-same-origin)",
    ),
)

# The worker's own response needs this: importScripts loads Connectif's hosted worker
# (docs/connectif.md#worker-csp).
WORKER_SOURCES: tuple[Source, ...] = (
    Source(
        "script-src",
        CONNECTIF_CDN,
        "on the service-worker.js response only (if it has a CSP header): importScripts loads "
        "https://cdn.connectif.cloud/scripts/service-worker.js (docs/connectif.md#worker-file)",
    ),
)


def policy_sources(*, nonce: str | None = None, hashes: Iterable[str] = ()) -> tuple[Source, ...]:
    """Every source a page with tagkit needs, plus a nonce or inline-script hashes.

    ``nonce`` adds ``'nonce-…'`` to ``script-src`` (pass the same value to the render
    functions); ``hashes`` are ``'sha256-…'`` sources from :func:`script_hash`.

    >>> [s.value for s in policy_sources(nonce="abc123") if s.directive == "script-src"][-1]
    "'nonce-abc123'"
    """
    out = list(SOURCES)
    if nonce is not None:
        check_nonce(nonce)
        out.append(Source("script-src", f"'nonce-{nonce}'", "tagkit's inline scripts"))
    seen: set[str] = set()
    for value in hashes:
        if value not in seen:
            seen.add(value)
            out.append(Source("script-src", value, "an inline script found in your pages"))
    return tuple(out)


def directives(sources: Iterable[Source]) -> dict[str, list[str]]:
    """Group sources by directive, keeping first-seen order and dropping repeats."""
    grouped: dict[str, list[str]] = {}
    for source in sources:
        values = grouped.setdefault(source.directive, [])
        if source.value not in values:
            values.append(source.value)
    return grouped


def format_policy(sources: Iterable[Source]) -> str:
    """One ``Content-Security-Policy`` header value: ``script-src a b; connect-src c``."""
    return "; ".join(
        " ".join([directive, *values]) for directive, values in directives(sources).items()
    )


def normalise_newlines(text: str) -> str:
    """What the browser hashes: the HTML parser turns CR LF and lone CR into LF first."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def script_hash(text: str) -> str:
    """The ``'sha256-…'`` source that allows an inline script with exactly this text."""
    digest = hashlib.sha256(normalise_newlines(text).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class InlineScript:
    """An inline script found in an HTML document: its text, line and CSP hash source."""

    text: str
    line: int | None
    hash: str


def is_executed(type_attr: str | None) -> bool:
    """Whether a ``<script type=…>`` runs (and so needs a CSP source) or is a data block."""
    if type_attr is None:
        return True
    kind = type_attr.strip().lower()
    return kind == "" or kind in _CHECKED_TYPES


def inline_scripts(html: str) -> list[InlineScript]:
    """Every inline script of ``html`` that CSP checks: no ``src``, an executed type.

    The hash covers the exact text between ``<script …>`` and ``</script>`` (after the browser's
    newline normalisation); empty scripts run nothing and are left out.
    """
    from bs4 import BeautifulSoup  # only hashing reads HTML; rendering never loads bs4

    soup = BeautifulSoup(html, "html.parser")
    found: list[InlineScript] = []
    for element in soup.find_all("script"):
        if element.has_attr("src"):
            continue
        type_attr = element.get("type")
        if isinstance(type_attr, list):  # pragma: no cover - type is not a multi-valued attr
            type_attr = " ".join(type_attr)
        if not is_executed(type_attr):
            continue
        text = "".join(str(part) for part in element.contents)
        if not text:
            continue
        found.append(InlineScript(text, element.sourceline, script_hash(text)))
    return found


def hashes_of(documents: Sequence[str]) -> list[str]:
    """The distinct ``'sha256-…'`` sources of every inline script in ``documents``."""
    out: list[str] = []
    for html in documents:
        for script in inline_scripts(html):
            if script.hash not in out:
                out.append(script.hash)
    return out


__all__ = [
    "CONNECTIF_CDN",
    "CONNECTIF_HOSTS",
    "SOURCES",
    "WORKER_SOURCES",
    "InlineScript",
    "Source",
    "check_nonce",
    "directives",
    "format_policy",
    "hashes_of",
    "inline_scripts",
    "is_executed",
    "policy_sources",
    "script_hash",
]

"""Find the loaders of Connectif's client on a page (docs/connectif.md#loader-recognised).

Recognised: Connectif's snippet and tagkit's own (an inline script whose id starts
``__cn_generic_script__``), any other inline script that appends a client-script URL, a direct
``<script src>`` to a client-script URL, and the legacy PrestaShop loader (sets
``window._cnid`` and inserts a script with id ``__cn_client_script_{id}``).

>>> from tagkit._dom import parse_document
>>> from tagkit import render_loader
>>> [(l.kind, l.store_id, l.region) for l in find_loaders(parse_document(
...     render_loader("0f8fad5b-d9cb-469f-a165-70867728950e", "eu6")))]
[('snippet', '0f8fad5b-d9cb-469f-a165-70867728950e', 'eu6')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._dom import HTML_NAMESPACE, Document

# Prefixes of the ids Connectif's snippet and the script it appends carry
# (docs/connectif.md#loader-inline-script, docs/connectif.md#loader-append-step).
GENERIC_ID_PREFIX = "__cn_generic_script__"
CLIENT_ID_PREFIX = "__cn_client_script_"
LEGACY_MARKER = re.compile(r"\b_cnid\b")
CLIENT_SCRIPT = re.compile(
    r"https?://cdn\.connectif\.cloud/(?P<region>[A-Za-z0-9_-]+)/client-script/"
    r"(?P<store>[0-9A-Fa-f-]{8,})"
)
_LEGACY_ID = re.compile(re.escape(CLIENT_ID_PREFIX) + r"(?P<store>[0-9A-Fa-f-]{8,})")


@dataclass(frozen=True)
class Loader:
    """One loader: its kind (``snippet``, ``inline``, ``script`` or ``legacy``), the store id
    and region it loads (when they can be read), and its element."""

    kind: str
    store_id: str | None
    region: str | None
    element: int

    @property
    def client_script_url(self) -> str | None:
        if self.store_id is None or self.region is None:
            return None
        return f"https://cdn.connectif.cloud/{self.region}/client-script/{self.store_id}"


def _script_text(doc: Document, index: int) -> str:
    tag = doc.elements[index]
    return "".join(str(s) for s in tag.find_all(string=True, recursive=False))


def find_loaders(doc: Document) -> list[Loader]:
    """Every loader on the page, in document order."""
    found: list[Loader] = []
    for index, tag in enumerate(doc.elements):
        if tag.name != "script" or tag.namespace not in (None, HTML_NAMESPACE):
            continue
        src = tag.attrs.get("src")
        if isinstance(src, str) and src.strip():
            match = CLIENT_SCRIPT.search(src.strip())
            if match:
                found.append(Loader("script", match["store"].lower(), match["region"], index))
            continue
        ident = str(tag.attrs.get("id") or "")
        text = _script_text(doc, index)
        match = CLIENT_SCRIPT.search(text)
        region = match["region"] if match else None
        if ident.startswith(GENERIC_ID_PREFIX):
            store = ident[len(GENERIC_ID_PREFIX) :].lower() or None
            found.append(Loader("snippet", store, region, index))
        elif LEGACY_MARKER.search(text) and CLIENT_ID_PREFIX in text:
            legacy = _LEGACY_ID.search(text)
            store = legacy["store"].lower() if legacy else None
            found.append(Loader("legacy", store, region, index))
        elif match:
            found.append(Loader("inline", match["store"].lower(), region, index))
    return found


__all__ = ["CLIENT_SCRIPT", "Loader", "find_loaders"]

"""A complete, realistic page document: the demo's data and the tests' reference page.

The document itself is data, kept in ``static/sample-page.json`` and shipped with the package.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from . import vocabulary as vocab
from ._resources import static_path

# A product's required rows, in the table's order: its page, id, name and unit price.
_REQUIRED = tuple(p.name for p in vocab.PRODUCT if p.required)


@functools.cache
def _sample_text() -> str:
    return static_path("sample-page.json").read_text(encoding="utf-8")


def sample_page() -> dict[str, Any]:
    """Every tag at once, as a data file would hold it (a fresh copy on every call)."""
    page: dict[str, Any] = json.loads(_sample_text())
    return page


def product(sku: str, name: str, price: str, **extra: Any) -> dict[str, Any]:
    """A product's data with its required properties, plus ``extra``."""
    required = (f"https://shop.example/p/{sku.lower()}", sku, name, price)
    return {**dict(zip(_REQUIRED, required, strict=True)), **extra}

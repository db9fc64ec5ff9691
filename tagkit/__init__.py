"""tagkit: Connectif's front-end tags, event calls, loader and service worker from one model.

>>> from tagkit import render_tag
>>> print(render_tag("search", {"search_text": "red shoe"}))
<div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>

``import tagkit`` stays light: reading pages (:func:`parse_page`) loads its HTML parser on
first use, and the package version is read only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._input import page_category
from ._model import (
    BasketItem,
    Cart,
    Contact,
    CustomEvent,
    NewsletterSubscription,
    Product,
    Purchase,
    Record,
    Search,
)
from ._page import Page
from ._render import render_page, render_tag
from ._schema import json_schema
from ._scripts import render_loader, render_service_worker
from .errors import ConfigError, Problem, TagkitError, ValidationError
from .events import Event, event, events_payload, render_events, render_page_events

if TYPE_CHECKING:
    from ._parse import ParsedPage, parse_page

__all__ = [
    "BasketItem",
    "Cart",
    "ConfigError",
    "Contact",
    "CustomEvent",
    "Event",
    "NewsletterSubscription",
    "Page",
    "ParsedPage",
    "Problem",
    "Product",
    "Purchase",
    "Record",
    "Search",
    "TagkitError",
    "ValidationError",
    "__version__",
    "event",
    "events_payload",
    "json_schema",
    "page_category",
    "parse_page",
    "render_events",
    "render_loader",
    "render_page",
    "render_page_events",
    "render_service_worker",
    "render_tag",
]


def __getattr__(name: str) -> Any:
    # Loaded on first use: the HTML parser (bs4) and importlib.metadata cost start-up time
    # that rendering never needs.
    if name in ("parse_page", "ParsedPage"):
        from . import _parse

        return getattr(_parse, name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("tagkit")
        except PackageNotFoundError:  # running from a checkout that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'tagkit' has no attribute {name!r}")

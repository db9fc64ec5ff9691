"""tagkit: Connectif's front-end tags, event calls, loader and service worker from one model.

>>> from tagkit import render_tag
>>> print(render_tag("search", {"search_text": "red shoe"}))
<div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>

``import tagkit`` stays light: each name is loaded on first use, so rendering never loads the
HTML parser, and the package version is read only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from ._parse import ParsedPage, parse_page
    from ._render import render_page, render_tag
    from ._schema import json_schema
    from ._scripts import render_loader, render_service_worker
    from .errors import ConfigError, Problem, TagkitError, ValidationError
    from .events import Event, event, events_payload, render_events, render_page_events

# Where each name lives. ``import tagkit`` loads none of them: a command that renders one tag
# should not pay for the loader, the CSP helpers or the HTML parser.
_HOMES: dict[str, str] = {
    "page_category": "._input",
    **dict.fromkeys(
        (
            "BasketItem",
            "Cart",
            "Contact",
            "CustomEvent",
            "NewsletterSubscription",
            "Product",
            "Purchase",
            "Record",
            "Search",
        ),
        "._model",
    ),
    "Page": "._page",
    "ParsedPage": "._parse",
    "parse_page": "._parse",
    "render_page": "._render",
    "render_tag": "._render",
    "json_schema": "._schema",
    "render_loader": "._scripts",
    "render_service_worker": "._scripts",
    **dict.fromkeys(("ConfigError", "Problem", "TagkitError", "ValidationError"), ".errors"),
    **dict.fromkeys(
        ("Event", "event", "events_payload", "render_events", "render_page_events"), ".events"
    ),
}

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
    home = _HOMES.get(name)
    if home is not None:
        from importlib import import_module

        value = getattr(import_module(home, __name__), name)
        globals()[name] = value  # once loaded, a plain attribute
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("tagkit")
        except PackageNotFoundError:  # running from a checkout that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'tagkit' has no attribute {name!r}")

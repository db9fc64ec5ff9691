"""tagkit: Connectif's front-end tags, event calls, loader and service worker from one model.

>>> from tagkit import render_tag
>>> print(render_tag("search", {"search_text": "red shoe"}))
<div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import ConfigError, Problem, TagkitError, ValidationError
from .events import CustomEvent, Event, render_events, render_page_events
from .model import (
    BasketItem,
    Cart,
    Contact,
    NewsletterSubscription,
    Page,
    Product,
    Purchase,
    Search,
)
from .parse import parse_page
from .render import render_page, render_tag
from .scripts import render_loader, render_service_worker

try:
    __version__ = version("tagkit")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = [
    "BasketItem",
    "Cart",
    "ConfigError",
    "Contact",
    "CustomEvent",
    "Event",
    "NewsletterSubscription",
    "Page",
    "Problem",
    "Product",
    "Purchase",
    "Search",
    "TagkitError",
    "ValidationError",
    "__version__",
    "parse_page",
    "render_events",
    "render_loader",
    "render_page",
    "render_page_events",
    "render_service_worker",
    "render_tag",
]

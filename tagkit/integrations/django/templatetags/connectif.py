"""``{% load connectif %}``: ``connectif_loader``, ``connectif_page`` and ``connectif_event``,
with the arguments of the Jinja2 globals.

::

    {% connectif_loader %}
    {% connectif_page page %}                      {# a Page, or a page-document dict #}
    {% connectif_page page mode="events" %}
    {% connectif_event "login" contact=contact %}
    {% connectif_event "purchase" order page_visit=True nonce=request.csp_nonce %}

Each returns markup; invalid data raises :class:`tagkit.ValidationError` naming the field.
"""

from __future__ import annotations

from typing import Any

from django import template
from markupsafe import Markup

from ... import _pages
from .._site import read_settings, visit

register = template.Library()


@register.simple_tag(takes_context=True)
def connectif_loader(context: Any, nonce: str | None = None) -> Markup:
    """The loader of Connectif's client: once per page, first thing in ``<body>``."""
    return _pages.loader(read_settings(), visit(context), nonce)


@register.simple_tag(takes_context=True)
def connectif_page(
    context: Any, page: object = None, mode: str | None = None, nonce: str | None = None
) -> Markup:
    """Everything the page tells Connectif, plus the one-shot events of the session."""
    return _pages.page(read_settings(), visit(context), page, mode=mode, nonce=nonce)


@register.simple_tag(takes_context=True)
def connectif_event(
    context: Any,
    type: str,
    data: object = None,
    contact: object = None,
    nonce: str | None = None,
    page_visit: bool = False,
) -> Markup:
    """A script sending one event; ``"cart"`` sends a cart alone."""
    return _pages.event_script(
        read_settings(),
        visit(context),
        type,
        data,
        contact=contact,
        nonce=nonce,
        page_visit=page_visit,
    )

"""Views: the cart fragment of the AJAX cart kit, and tagkit's browser files."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from .. import _runtime
from ._site import read_settings


def cart_fragment(cart: object = None) -> HttpResponse:
    """The response of a cart-fragment view: the ``cn_cart`` tag alone (empty without a cart),
    never cached. ``tagkit.refreshCart(url)`` in ``tagkit-cart.js`` fetches it.

    Pass ``Cart.empty(cart_id)`` for an emptied cart: Connectif needs it to stop abandoned-cart
    messages.
    """
    from ... import render_tag
    from ... import vocabulary as vocab

    body = (
        ""
        if cart is None
        else str(render_tag(vocab.CART_TAG.short, cart, hidden=read_settings().hidden))
    )
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = _runtime.FRAGMENT_CACHE_CONTROL
    return response


def runtime(request: Any, name: str) -> HttpResponse:
    """Serve one of tagkit's browser files (``tagkit-events.js``, ``tagkit-cart.js``)."""
    data = _runtime.runtime_file(name)
    if data is None:
        raise Http404(f"tagkit ships no file {name!r}")
    response = HttpResponse(data, content_type=_runtime.CONTENT_TYPE)
    response["Cache-Control"] = _runtime.CACHE_CONTROL
    return response

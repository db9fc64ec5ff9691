"""``TagkitMiddleware``: a page that carried a one-shot event (login, register, newsletter,
purchase, custom) is sent with ``Cache-Control: private, no-store``, so neither the back button
nor a cache can replay it; and template tags find the request without the ``request``
context processor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._runtime import NO_STORE
from ._site import NO_STORE_FLAG, current_request


class TagkitMiddleware:
    """Add it to ``MIDDLEWARE``, anywhere after the session middleware."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if getattr(request, NO_STORE_FLAG, False):
            response["Cache-Control"] = NO_STORE
        return response

"""Django's side of a page: the ``TAGKIT`` setting and the current request.

The setting is read again when it changes (``override_settings`` in tests), checked once per
distinct value. The request comes from the template context (``context.request``, with the
``request`` context processor) or, without it, from :class:`~.middleware.TagkitMiddleware`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from typing import Any

from ...errors import ConfigError
from .._pages import Visit
from .._settings import Settings

SETTING = "TAGKIT"
NO_STORE_FLAG = "_tagkit_no_store"

current_request: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "tagkit_request", default=None
)
_cache: list[tuple[object, Settings]] = []


def _name(key: str) -> str:
    return f"{SETTING}[{key!r}]"


def read_settings() -> Settings:
    """``settings.TAGKIT``, checked; :class:`~tagkit.ConfigError` names the bad key."""
    from django.conf import settings

    raw = getattr(settings, SETTING, None)
    if raw is None:
        raise ConfigError(
            f"{SETTING} is not set: add TAGKIT = {{'STORE_ID': '<your store id>', "
            "'REGION': 'eu6', 'MODE': 'tags'}} to your settings"
        )
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{SETTING} must be a dict like {{'STORE_ID': ...}}, got {raw!r}")
    key = tuple(sorted((str(k), repr(v)) for k, v in raw.items()))
    if _cache and _cache[0][0] == key:
        return _cache[0][1]
    found = Settings.read(dict(raw), _name)
    _cache[:] = [(key, found)]
    return found


def visit(context: Any) -> Visit:
    """The request of a template context as a :class:`Visit` (an empty one outside a
    request)."""
    request = getattr(context, "request", None) or current_request.get()
    if request is None:
        return Visit()

    def no_store() -> None:
        setattr(request, NO_STORE_FLAG, True)

    return Visit(
        session=getattr(request, "session", None),
        nonce=getattr(request, "csp_nonce", None),
        one_shot=no_store,
    )

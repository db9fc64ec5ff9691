"""System checks, run by ``manage.py check``, ``runserver`` and ``migrate``: tagkit's setup
fails at start-up, not on the first visitor's page.

- ``tagkit.E001``: the ``TAGKIT`` setting is missing or holds a value tagkit cannot use;
- ``tagkit.E002``: no session middleware, where one-shot events and sent purchases live;
- ``tagkit.E003``: no ``TagkitMiddleware``, without which a page with a one-shot event may be
  cached and replayed by the back button.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from ...errors import ConfigError
from . import SESSION_MIDDLEWARE
from ._site import SETTING, read_settings

TAGKIT_MIDDLEWARE = "tagkit.integrations.django.middleware.TagkitMiddleware"


def _installed(wanted: str) -> bool:
    from django.conf import settings
    from django.utils.module_loading import import_string

    target = import_string(wanted)
    for path in getattr(settings, "MIDDLEWARE", None) or ():
        try:
            found = import_string(path)
        except ImportError:
            continue  # Django's own checks report it
        if isinstance(found, type) and issubclass(found, target):
            return True
    return False


def check_setup(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """tagkit's settings and middleware."""
    found: list[checks.CheckMessage] = []
    try:
        read_settings()
    except ConfigError as exc:
        found.append(
            checks.Error(
                str(exc),
                hint=f"{SETTING} = {{'STORE_ID': '<UUID from Connectif>', 'REGION': 'eu6', "
                "'MODE': 'tags'}; MODE is 'events' when the store's 'auto-send events on "
                "init' is off",
                id="tagkit.E001",
            )
        )
    if not _installed(SESSION_MIDDLEWARE):
        found.append(
            checks.Error(
                "tagkit needs the session middleware: queue_event() keeps one-shot events, and "
                "pages remember the purchases they sent, in request.session",
                hint=f"Add {SESSION_MIDDLEWARE!r} to MIDDLEWARE.",
                id="tagkit.E002",
            )
        )
    if not _installed(TAGKIT_MIDDLEWARE):
        found.append(
            checks.Error(
                "tagkit needs its middleware: without it a page carrying a one-shot event "
                "(login, register, newsletter, purchase) may be cached, and the back button "
                "would send it again",
                hint=f"Add {TAGKIT_MIDDLEWARE!r} to MIDDLEWARE, after the session middleware.",
                id="tagkit.E003",
            )
        )
    return found


def register() -> None:
    """Register :func:`check_setup` (called by the app's ``ready``)."""
    checks.register(check_setup)

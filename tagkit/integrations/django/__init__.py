"""tagkit in Django: add the app, its middleware and settings, then ``{% load connectif %}``.

::

    INSTALLED_APPS = [..., "tagkit.integrations.django"]
    MIDDLEWARE = [
        ...,
        "django.contrib.sessions.middleware.SessionMiddleware",
        ...,
        "tagkit.integrations.django.middleware.TagkitMiddleware",
    ]
    TAGKIT = {"STORE_ID": "0f8fad5b-d9cb-469f-a165-70867728950e", "REGION": "eu6",
              "MODE": "tags"}

In templates::

    {% load connectif %}
    <body>
    {% connectif_loader %}
    {% connectif_page page %}
    {% connectif_event "login" contact=contact %}

In views, ``queue_event(request, "login")`` keeps a one-shot event in the session until the
next page with ``{% connectif_page %}`` sends it. System checks (``tagkit.E001`` to
``tagkit.E003``) report a bad ``TAGKIT`` setting and a missing middleware at start-up.
Importing this package does not import Django's models or settings.
"""

from __future__ import annotations

from typing import Any

from ...errors import ConfigError
from .. import _oneshot

SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"


def queue_event(request: Any, type: str, data: object = None) -> None:
    """Keep a one-shot event in ``request.session``; the next page with
    ``{% connectif_page %}`` sends it, and no page after it.

    ``data`` is checked now, so an error names the field in the view that queued it.
    """
    session = getattr(request, "session", None)
    if session is None:
        raise ConfigError(
            f"queue_event needs request.session: add {SESSION_MIDDLEWARE!r} to MIDDLEWARE "
            "(python manage.py check reports it as tagkit.E002)"
        )
    _oneshot.queue_event(session, type, data)


__all__ = ["SESSION_MIDDLEWARE", "queue_event"]

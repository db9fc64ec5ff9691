"""Django for the tests: the example project's settings, set up once per process (Django's
settings can be configured only once)."""

from __future__ import annotations

import os
import sys

from .conftest import EXAMPLES

PROJECT = EXAMPLES / "django_shop"


def setup() -> None:
    import django
    from django.conf import settings

    if settings.configured:
        return
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "django_shop.settings"
    django.setup()

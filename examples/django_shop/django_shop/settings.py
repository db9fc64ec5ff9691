"""Settings of the example shop. The store id is an example: use yours, and MODE "events" when
the store's "auto-send events on init" is off (``TAGKIT_MODE=events python manage.py ...``)."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SHOP_SECRET_KEY") or secrets.token_hex(32)
DEBUG = os.environ.get("SHOP_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = ["tagkit.integrations.django"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "tagkit.integrations.django.middleware.TagkitMiddleware",
]
ROOT_URLCONF = "django_shop.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
            ]
        },
    }
]
# The cart and the visitor live in a signed cookie: the shop needs no database.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True

TAGKIT = {
    "STORE_ID": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "REGION": "eu6",
    "MODE": os.environ.get("TAGKIT_MODE", "tags"),
}

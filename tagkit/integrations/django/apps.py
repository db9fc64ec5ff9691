"""The Django app: registers tagkit's system checks."""

from __future__ import annotations

from django.apps import AppConfig


class TagkitConfig(AppConfig):
    """``tagkit.integrations.django`` in ``INSTALLED_APPS``."""

    name = "tagkit.integrations.django"
    label = "tagkit"
    verbose_name = "tagkit (Connectif)"

    def ready(self) -> None:
        from . import checks

        checks.register()

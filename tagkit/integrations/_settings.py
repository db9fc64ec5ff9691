"""A site's tagkit settings, checked once, named the way the framework spells them.

Each framework reads the same five settings from its own place (``env.extend(tagkit_...)``
for Jinja2, ``app.config["TAGKIT_..."]`` for Flask, ``settings.TAGKIT[...]`` for Django), so an
error names the setting as the user wrote it.

>>> Settings.read({"MODE": "events"}, lambda key: f"TAGKIT[{key!r}]").mode
'events'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from .._values import close_match
from ..errors import ConfigError

TAGS_MODE = "tags"  # not a Connectif name: the integration mode
EVENTS_MODE = "events"  # not a Connectif name: the integration mode
MODES = (TAGS_MODE, EVENTS_MODE)

# Setting keys in their upper-case form (Flask and Django); Jinja2 uses them lower-cased.
KEYS = ("STORE_ID", "REGION", "MODE", "HIDDEN", "INLINE")


def check_mode(mode: object, name: str) -> str:
    """``mode`` if it is ``"tags"`` or ``"events"``, else :class:`ConfigError` naming ``name``."""
    if mode in MODES:
        assert isinstance(mode, str)
        return mode
    raise ConfigError(
        f"{name} must be {TAGS_MODE!r} (the store's 'auto-send events on init' is on: the "
        f"client reads the tags) or {EVENTS_MODE!r} (it is off: tagkit's scripts send the "
        f"events), got {mode!r}"
    )


def _check_flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigError(f"{name} must be True or False, got {value!r}")


@dataclass(frozen=True)
class Settings:
    """What every page of a site shares: the store, the integration mode and the markup form.

    ``hidden`` hides tag containers with the ``hidden`` attribute (a CSP without
    ``'unsafe-inline'`` styles); ``inline=False`` writes no inline script (the loader becomes a
    ``<script src>``, events become JSON islands sent by ``tagkit-events.js``).
    """

    store_id: str | None = None
    region: str | None = None
    mode: str = TAGS_MODE
    hidden: bool = False
    inline: bool = True
    # How the user spells each setting, for error messages: key -> name.
    names: Mapping[str, str] | None = field(default=None, compare=False)

    def name(self, key: str) -> str:
        """The user's spelling of setting ``key`` (``"STORE_ID"``)."""
        return (self.names or {}).get(key, key.lower())

    @classmethod
    def read(cls, values: Mapping[str, object], name: Callable[[str], str]) -> Settings:
        """Settings from upper-case ``values`` (missing keys take their defaults), checked.

        ``name(key)`` is how the user writes a setting, e.g. ``TAGKIT_STORE_ID``. A store id
        or region that tagkit cannot use raises :class:`ConfigError` now, at start-up, rather
        than on the first page.
        """
        unknown = [key for key in values if key not in KEYS]
        if unknown:
            key = str(unknown[0])
            close = close_match(key, KEYS)
            hint = f"did you mean {name(close)}? " if close else ""
            raise ConfigError(
                f"{name(key)} is not a tagkit setting; {hint}known: "
                f"{', '.join(name(k) for k in KEYS)}"
            )
        names = {key: name(key) for key in KEYS}
        store_id = values.get("STORE_ID")
        region = values.get("REGION")
        settings = cls(
            store_id=None if store_id is None else _text(store_id, names["STORE_ID"]),
            region=None if region is None else _text(region, names["REGION"]),
            mode=check_mode(values.get("MODE", TAGS_MODE), names["MODE"]),
            hidden=_check_flag(values.get("HIDDEN", False), names["HIDDEN"]),
            inline=_check_flag(values.get("INLINE", True), names["INLINE"]),
            names=names,
        )
        if settings.store_id is not None or settings.region is not None:
            settings.loader(None)  # a bad store id or region fails here, named
        return settings

    def loader(self, nonce: str | None) -> Markup:
        """The loader for these settings (see :func:`tagkit.render_loader`)."""
        from .. import render_loader

        if self.store_id is None:
            raise ConfigError(
                f"{self.name('STORE_ID')} is not set: the loader needs the store's id, a UUID "
                "like '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' from the snippet Connectif gives you"
            )
        if self.region is None:
            raise ConfigError(
                f"{self.name('REGION')} is not set: the loader needs the store's region, like "
                "'eu6' (the path segment after cdn.connectif.cloud/ in Connectif's snippet)"
            )
        try:
            return render_loader(self.store_id, self.region, nonce=nonce, inline=self.inline)
        except ConfigError as exc:
            setting = _setting_of(str(exc), self)
            raise ConfigError(f"{setting}: {exc}" if setting else str(exc)) from None


def _text(value: object, name: str) -> str:
    if isinstance(value, str):
        return value
    raise ConfigError(f"{name} must be text, got {value!r}")


def _setting_of(message: str, settings: Settings) -> str | None:
    # render_loader names the argument it refused first in its message.
    for key, argument in (("STORE_ID", "store_id"), ("REGION", "region")):
        if message.startswith(argument + " "):
            return settings.name(key)
    return None


__all__ = ["EVENTS_MODE", "KEYS", "MODES", "TAGS_MODE", "Settings", "check_mode"]

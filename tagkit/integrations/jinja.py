"""tagkit in Jinja2: the globals ``connectif_loader``, ``connectif_page`` and
``connectif_event``.

Add the extension and configure it the Jinja2 way, with :meth:`jinja2.Environment.extend`,
which never overwrites an attribute, so the extension sets none of its own and reads them
when a template renders::

    env = Environment(extensions=["tagkit.integrations.jinja.TagkitExtension"])
    env.extend(tagkit_store_id="0f8fad5b-d9cb-469f-a165-70867728950e", tagkit_region="eu6",
               tagkit_mode="tags")

Then, first thing in ``<body>``::

    {{ connectif_loader() }}
    {{ connectif_page({"search": query, "product_searched": results}) }}

Settings (``tagkit_`` + name): ``store_id`` and ``region`` (needed by the loader), ``mode``
(``"tags"``, the default, when the store's "auto-send events on init" is on; ``"events"``
when it is off), ``hidden`` (hide tags with the ``hidden`` attribute), ``inline`` (``False``:
no inline script, for a strict CSP). A framework also sets ``tagkit_settings`` (a
:class:`~tagkit.integrations.Settings`, replacing the five) and ``tagkit_visit`` (a function
returning the current request's :class:`~tagkit.integrations.Visit`: its session, CSP nonce
and cache hook), as :mod:`tagkit.integrations.flask` does.

Every global returns :class:`markupsafe.Markup`. Invalid data raises
:class:`tagkit.ValidationError` naming the field (``cart.total_price``), and since the
template's output is only produced once it is complete, a page never carries half a tag.

>>> from jinja2 import Environment
>>> env = Environment(extensions=[TagkitExtension], autoescape=True)
>>> html = env.from_string('{{ connectif_page({"search": "red </div> shoe"}) }}').render()
>>> html.endswith('<span class="search_text">red &lt;/div&gt; shoe</span></div>')
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension
from markupsafe import Markup

from ..errors import ConfigError
from . import _pages
from ._pages import Visit
from ._settings import KEYS, Settings

PREFIX = "tagkit_"


def _name(key: str) -> str:
    return PREFIX + key.lower()


class TagkitExtension(Extension):
    """Adds ``connectif_loader``, ``connectif_page`` and ``connectif_event`` to the
    environment's globals."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self._cache: tuple[tuple[object, ...], Settings] | None = None
        environment.globals.update(
            connectif_loader=self.connectif_loader,
            connectif_page=self.connectif_page,
            connectif_event=self.connectif_event,
        )

    # -- the globals ----------------------------------------------------------------------------

    def connectif_loader(self, nonce: str | None = None) -> Markup:
        """The loader of Connectif's client: once per page, first thing in ``<body>``."""
        return _pages.loader(self.settings(), self.visit(), nonce)

    def connectif_page(
        self, page: object = None, mode: str | None = None, nonce: str | None = None
    ) -> Markup:
        """Everything the page tells Connectif, plus the one-shot events of the session.

        ``page`` is a :class:`tagkit.Page`, a page-document dict or any mapping (``None``: the
        queued events alone); ``mode`` overrides ``tagkit_mode`` for this page.
        """
        return _pages.page(self.settings(), self.visit(), page, mode=mode, nonce=nonce)

    def connectif_event(
        self,
        type: str,
        data: object = None,
        contact: object = None,
        nonce: str | None = None,
        page_visit: bool = False,
    ) -> Markup:
        """A script sending one event, e.g. ``connectif_event("login", contact=user)``;
        ``"cart"`` sends a cart alone (after an AJAX change)."""
        return _pages.event_script(
            self.settings(),
            self.visit(),
            type,
            data,
            contact=contact,
            nonce=nonce,
            page_visit=page_visit,
        )

    # -- configuration, read when a template renders --------------------------------------------

    def settings(self) -> Settings:
        """The environment's settings, checked once per distinct configuration."""
        env = self.environment
        given = getattr(env, "tagkit_settings", None)
        if given is not None:
            if not isinstance(given, Settings):
                raise ConfigError(
                    "tagkit_settings must be a tagkit.integrations.Settings, got " + repr(given)
                )
            return given
        raw = tuple(getattr(env, _name(key), None) for key in KEYS)
        if self._cache is None or self._cache[0] != raw:
            values = {key: value for key, value in zip(KEYS, raw, strict=True) if value is not None}
            self._cache = (raw, Settings.read(values, _name))
        return self._cache[1]

    def visit(self) -> Visit:
        """The current request, from ``tagkit_visit`` if the environment has one."""
        hook: Callable[[], Any] | None = getattr(self.environment, "tagkit_visit", None)
        found = hook() if hook is not None else None
        return found if isinstance(found, Visit) else Visit()


__all__ = ["TagkitExtension"]

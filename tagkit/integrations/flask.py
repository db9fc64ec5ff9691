"""tagkit in Flask: the Jinja2 globals, configured from ``app.config``; one-shot events kept
in the session; the cart fragment of the AJAX cart kit.

::

    from tagkit.integrations.flask import Tagkit, queue_event

    app.config.update(TAGKIT_STORE_ID="0f8fad5b-d9cb-469f-a165-70867728950e",
                      TAGKIT_REGION="eu6", TAGKIT_MODE="tags")
    Tagkit(app)                     # or tagkit = Tagkit(); tagkit.init_app(app)

    @app.post("/login")
    def login():
        ...
        queue_event("login")        # sent once, by the next page with connectif_page
        return redirect(url_for("account"))

Settings: ``TAGKIT_STORE_ID``, ``TAGKIT_REGION``, ``TAGKIT_MODE`` (``"tags"`` or
``"events"``), ``TAGKIT_HIDDEN``, ``TAGKIT_INLINE``, checked when ``init_app`` runs; and
``TAGKIT_STATIC_PATH``, where ``tagkit-events.js`` and ``tagkit-cart.js`` are served
(default ``/_tagkit``; ``None`` serves nothing). The CSP nonce of a request is taken from
``g.csp_nonce`` when present. A response whose page carried a one-shot event (login,
register, newsletter, purchase, custom) gets ``Cache-Control: private, no-store``, so the back
button cannot replay it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

try:
    import flask
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("tagkit.integrations.flask needs Flask: pip install 'tagkit[flask]'") from exc

from markupsafe import Markup

from ..errors import ConfigError
from . import _oneshot, _runtime
from ._pages import Visit
from ._settings import Settings
from .jinja import TagkitExtension

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from flask.typing import ResponseReturnValue

PREFIX = "TAGKIT_"
STATIC_PATH_KEY = "STATIC_PATH"
DEFAULT_STATIC_PATH = "/_tagkit"
RUNTIME_ENDPOINT = "tagkit_runtime"
_NO_STORE_FLAG = "_tagkit_no_store"


def _name(key: str) -> str:
    return PREFIX + key


class Tagkit:
    """The Flask extension; ``Tagkit(app)`` or ``Tagkit().init_app(app)``."""

    def __init__(self, app: flask.Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: flask.Flask) -> None:
        """Read and check the app's ``TAGKIT_*`` settings, install the Jinja2 extension, the
        cache hook and the route of the shipped scripts."""
        settings = read_settings(app.config)
        env = app.jinja_env
        env.add_extension(TagkitExtension)
        env.tagkit_settings = settings  # type: ignore[attr-defined]
        env.tagkit_visit = current_visit  # type: ignore[attr-defined]
        app.after_request(_no_store)
        static_path = app.config.get(_name(STATIC_PATH_KEY), DEFAULT_STATIC_PATH)
        if static_path is not None:
            if not isinstance(static_path, str) or not static_path.startswith("/"):
                raise ConfigError(
                    f"{_name(STATIC_PATH_KEY)} must be a URL path like {DEFAULT_STATIC_PATH!r}, "
                    f"or None to serve no script, got {static_path!r}"
                )
            app.add_url_rule(
                static_path.rstrip("/") + "/<name>",
                endpoint=RUNTIME_ENDPOINT,
                view_func=runtime_view,
            )
        app.extensions["tagkit"] = settings


def read_settings(config: Any) -> Settings:
    """The ``TAGKIT_*`` settings of a Flask config, checked; a misspelt one is named."""
    values = {
        key[len(PREFIX) :]: value
        for key, value in config.items()
        if isinstance(key, str) and key.startswith(PREFIX) and key != _name(STATIC_PATH_KEY)
    }
    return Settings.read(values, _name)


def settings() -> Settings:
    """The settings of the current app (``init_app`` must have run)."""
    found = flask.current_app.extensions.get("tagkit")
    if not isinstance(found, Settings):
        raise ConfigError("tagkit is not set up on this Flask app: call Tagkit(app) first")
    return found


def current_visit() -> Visit:
    """The current request: Flask's session, ``g.csp_nonce`` and the no-store hook."""
    if not flask.has_request_context():
        return Visit()
    session: MutableMapping[str, Any] = flask.session
    return Visit(session=session, nonce=flask.g.get("csp_nonce"), one_shot=_mark_no_store)


def queue_event(type: str, data: object = None) -> None:
    """Keep a one-shot event in the session; the next page that includes ``connectif_page``
    sends it, and no page after it.

    ``type`` is an event type (``"login"``, ``"register"``, ``"newsletter-subscribe"``,
    ``"purchase"``, ``"custom"`` ...); ``data`` is checked now, so an error names the field in
    the view that queued it.
    """
    _oneshot.queue_event(flask.session, type, data)


def cart_fragment(cart: object = None) -> flask.Response:
    """The response of a cart-fragment view: the ``cn_cart`` tag alone (empty without a cart),
    never cached.

    ``tagkit.refreshCart(url)`` in ``tagkit-cart.js`` fetches it after an AJAX cart change.
    Pass ``Cart.empty(cart_id)`` for an emptied cart: Connectif needs it to stop abandoned-cart
    messages.
    """
    from .. import render_tag
    from .. import vocabulary as vocab

    body = Markup("") if cart is None else render_tag(vocab.CART_TAG.short, cart, hidden=_hidden())
    response = flask.Response(str(body), mimetype="text/html")
    response.headers["Cache-Control"] = _runtime.FRAGMENT_CACHE_CONTROL
    return response


def runtime_view(name: str) -> ResponseReturnValue:
    """Serve one of tagkit's browser files (``tagkit-events.js``, ``tagkit-cart.js``)."""
    data = _runtime.runtime_file(name)
    if data is None:
        flask.abort(404)
    response = flask.Response(data, content_type=_runtime.CONTENT_TYPE)
    response.headers["Cache-Control"] = _runtime.CACHE_CONTROL
    return response


def _hidden() -> bool:
    found = flask.current_app.extensions.get("tagkit")
    return found.hidden if isinstance(found, Settings) else False


def _mark_no_store() -> None:
    setattr(flask.g, _NO_STORE_FLAG, True)


def _no_store(response: flask.Response) -> flask.Response:
    if flask.g.get(_NO_STORE_FLAG):
        response.headers["Cache-Control"] = _runtime.NO_STORE
    return response


__all__ = ["Tagkit", "cart_fragment", "current_visit", "queue_event", "read_settings", "settings"]

"""The Connectif loader (docs/connectif.md#loader) and the Web Push service-worker file
(docs/connectif.md#worker-file).

>>> print(render_loader("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", region="eu6", inline=False)[:78])
<script async src="https://cdn.connectif.cloud/eu6/client-script/0f1e2d3c-4b5a
>>> print(render_service_worker(), end="")
// Connectif Web Push worker (tagkit). Enter its public URL in Connectif's Web Push settings.
importScripts("https://cdn.connectif.cloud/scripts/service-worker.js");
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup

from ._csp import check_nonce
from ._env import render_template
from ._values import quoted
from .errors import ConfigError
from .jsonsafe import script_json

DEFAULT_WORKER_URL = "https://cdn.connectif.cloud/scripts/service-worker.js"
WORKER_FILE_NAME = "service-worker.js"
CLIENT_SCRIPT_URL = "https://cdn.connectif.cloud/{region}/client-script/{store_id}"
# The inline loader's id (docs/connectif.md#loader-inline-script) and the id of the client
# script it appends, with one underscore after "script" (docs/connectif.md#loader-client-script-id).
# Both are followed directly by the store id.
GENERIC_SCRIPT_ID = "__cn_generic_script__{store_id}"
CLIENT_SCRIPT_ID = "__cn_client_script_{store_id}"

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_REGION = re.compile(r"^[a-z]+[0-9]+$")
_SPACE = re.compile(r"\s")
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})


def check_store_id(store_id: object, *, field: str = "store_id") -> str:
    """The store id in canonical form (lower-case UUID), or :class:`ConfigError`.

    >>> check_store_id("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")
    '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
    """
    text = store_id.strip().lower() if isinstance(store_id, str) else None
    if text is None or not _UUID.fullmatch(text):
        raise ConfigError(
            f"{field} must be the store's id, a UUID of 8-4-4-4-12 hexadecimal digits like "
            f"'0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' (from the snippet Connectif gives you), "
            f"got {quoted(store_id)}"
        )
    return text


def check_region(region: object, *, field: str = "region") -> str:
    """The store's region (``eu1``, ``eu6``, ``cl1`` …), or :class:`ConfigError`."""
    if not isinstance(region, str) or not _REGION.fullmatch(region):
        raise ConfigError(
            f"{field} must be the store's region: lower-case letters then digits, like 'eu6' "
            f"(the path segment after cdn.connectif.cloud/ in Connectif's snippet), "
            f"got {quoted(region)}"
        )
    return region


def check_url(url: object, *, field: str = "url") -> str:  # not a Connectif name
    """An absolute http(s) URL without spaces, or :class:`ConfigError`."""
    text = url.strip() if isinstance(url, str) else None
    try:
        parts = None if text is None or _SPACE.search(text) else urlsplit(text)
        host = None if parts is None else parts.hostname
    except ValueError:  # a broken IPv6 host, like https://[::1
        parts = host = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        raise ConfigError(
            f"{field} must be an absolute http(s) URL like "
            f"'https://cdn.connectif.cloud/eu6/client-script/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' "
            f"(no spaces), got {quoted(url)}"
        )
    assert text is not None
    return text


def check_worker_url(url: object, *, field: str = "worker_url") -> str:
    """An absolute https URL (http only for localhost / 127.0.0.1), or :class:`ConfigError`."""
    form = (
        "an absolute https URL like 'https://cdn.connectif.cloud/scripts/service-worker.js' "
        "(http only for localhost or 127.0.0.1; no spaces)"
    )
    try:
        text = check_url(url, field=field)
    except ConfigError:
        raise ConfigError(f"{field} must be {form}, got {quoted(url)}") from None
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and parts.hostname in _LOCAL_HOSTS):
        raise ConfigError(f"{field} must be {form}, got {quoted(url)}")
    return text


def client_script_url(store_id: str, region: str) -> str:
    """Connectif's default client-script URL for a store (docs/connectif.md#loader-url).

    >>> client_script_url("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "eu6")
    'https://cdn.connectif.cloud/eu6/client-script/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
    """
    store = check_store_id(store_id)
    return CLIENT_SCRIPT_URL.format(region=check_region(region), store_id=store)


def render_loader(
    store_id: str,
    region: str | None = None,
    *,
    url: str | None = None,
    nonce: str | None = None,
    inline: bool = True,
) -> Markup:
    """The loader that fetches Connectif's client script: once per page, e.g. first thing in
    ``<body>`` (docs/connectif.md#loader-placement).

    ``region`` is required unless ``url`` replaces the CDN URL (tests, proxies); ``store_id``
    is always required, for the element ids. ``nonce`` goes on the inline script, which copies
    it to the client script it appends (docs/connectif.md#loader-client-script-id).
    ``inline=False`` emits a plain ``<script async src=…>`` instead, for a CSP that allows no
    inline script at all.

    >>> "__cn_generic_script__0f1e2d3c" in render_loader(
    ...     "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", region="eu6")
    True
    """
    store = check_store_id(store_id)
    if region is not None:
        check_region(region)
    if url is not None:
        src = check_url(url)
    elif region is not None:
        src = client_script_url(store, region)
    else:
        raise ConfigError(
            "region is required unless url is given: pass the store's region like 'eu6', or "
            "the full client-script URL"
        )
    check_nonce(nonce)
    client_id = CLIENT_SCRIPT_ID.format(store_id=store)
    if not inline:
        return render_template("loader-external.html.j2", src=src, id=client_id, nonce=nonce)
    return render_template(
        "loader.html.j2",
        generic_id=GENERIC_SCRIPT_ID.format(store_id=store),
        generic_id_json=script_json(GENERIC_SCRIPT_ID.format(store_id=store)),
        src_json=script_json(src),
        id_json=script_json(client_id),
        nonce=nonce,
    )


def render_service_worker(worker_url: str = DEFAULT_WORKER_URL, *, comment: bool = True) -> str:
    """The content of ``service-worker.js``: one ``importScripts`` line
    (docs/connectif.md#worker-file).

    Registration is Connectif's job: enter the file's public URL in the store's Web Push
    settings; no page code registers it. ``comment=False`` leaves out the first-line comment.
    """
    target = check_worker_url(worker_url)
    text = render_template("service-worker.js.j2", url_json=script_json(target), comment=comment)
    return str(text) + "\n"


def setup_instructions(public_url: str | None = None) -> str:
    """What a user must configure so Connectif registers the service worker
    (docs/connectif.md#worker-registration)."""
    where = public_url or "https://www.your-shop.example/service-worker.js"
    return "\n".join(
        [
            "Next steps for Web Push (Connectif registers the worker; no page code does):",
            f"  1. Serve the file at your site's root, e.g. {where}",
            "     - on the same origin (scheme, host and port) as your pages, over HTTPS;",
            "     - as JavaScript (Content-Type: text/javascript);",
            "     - with Cache-Control: no-cache, so updates reach browsers.",
            "  2. In Connectif, enter that public URL in the store's Web Push settings.",
            "  3. If the site already has a service worker at that scope (a PWA), add the",
            "     importScripts line to it and enter its URL in Connectif instead.",
            "  4. If the worker response has a CSP header, allow https://cdn.connectif.cloud",
            "     in its script-src.",
        ]
    )


__all__ = [
    "CLIENT_SCRIPT_ID",
    "DEFAULT_WORKER_URL",
    "GENERIC_SCRIPT_ID",
    "WORKER_FILE_NAME",
    "check_region",
    "check_store_id",
    "check_url",
    "check_worker_url",
    "client_script_url",
    "render_loader",
    "render_service_worker",
    "setup_instructions",
]

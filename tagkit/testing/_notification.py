"""The request Connectif's client sends, decoded."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from .. import vocabulary as vocab

# POST {baseUrl}integration-type/system/scrippet-notification/{storeId}
# (docs/connectif.md#request-endpoint)
_NOTIFICATION_PATH = re.compile(
    r"^/integration-type/system/scrippet-notification/(?P<store>[^/]+)$"
)


def notification_store_id(url: str) -> str | None:
    """The store id of a Connectif notification URL, or ``None`` for any other URL.

    >>> notification_store_id(
    ...     "https://eu1-api.connectif.cloud/integration-type/system/scrippet-notification/abc"
    ... )
    'abc'
    """
    match = _NOTIFICATION_PATH.match(urlsplit(url).path)
    return match.group("store") if match else None


@dataclass(frozen=True)
class Notification:
    """One request the client sent to Connectif, with its JSON body decoded
    (docs/connectif.md#request-body).

    >>> n = Notification(
    ...     url="https://eu1-api.connectif.cloud/integration-type/system/scrippet-notification/s1",
    ...     store_id="s1",
    ...     body={"entityInfo": {}, "events": [{"type": "page-visit"}]},
    ... )
    >>> n.event_types, n.cart
    (['page-visit'], None)
    """

    url: str
    store_id: str
    body: dict[str, Any]
    content_type: str = ""

    @classmethod
    def decode(cls, url: str, text: str | None, content_type: str = "") -> Notification:
        """Build a notification from a request URL and its raw body.

        Raises ``ValueError`` naming the problem when the URL is not a notification URL or the
        body is not a JSON object.

        >>> Notification.decode(
        ...     "https://x.connectif.cloud/integration-type/system/scrippet-notification/s1",
        ...     '{"events": []}',
        ... ).store_id
        's1'
        """
        store_id = notification_store_id(url)
        if store_id is None:
            raise ValueError(
                f"{url!r} is not a Connectif notification URL "
                "(…/integration-type/system/scrippet-notification/<store id>)"
            )
        try:
            body = json.loads(text or "")
        except ValueError as error:
            raise ValueError(
                f"the notification body sent to {url} is not JSON ({error}): {text!r:.300}"
            ) from None
        if not isinstance(body, dict):
            raise ValueError(
                f"the notification body sent to {url} is not a JSON object: {text!r:.300}"
            )
        return cls(url=url, store_id=store_id, body=body, content_type=content_type)

    @property
    def entity_info(self) -> dict[str, Any]:
        """The contact object (``{}`` when the body has none)."""
        return _object(self.body.get(vocab.CONTACT_TAG.body_path or ""))

    @property
    def cart(self) -> dict[str, Any] | None:
        """The cart, or ``None`` when the request carries no cart (docs/connectif.md#dedup-cart)."""
        cart = self.body.get(vocab.CART_TAG.body_path or "")
        return cast("dict[str, Any]", cart) if isinstance(cart, dict) else None

    @property
    def events(self) -> list[dict[str, Any]]:
        """The events, in the order they were sent."""
        events = self.body.get(vocab.EVENTS_KEY)
        if not isinstance(events, list):
            return []
        return [cast("dict[str, Any]", event) for event in events if isinstance(event, dict)]

    @property
    def event_types(self) -> list[str]:
        """The ``type`` of every event, e.g. ``['product-visited', 'page-visit']``."""
        return [str(event.get(vocab.EVENT_TYPE_KEY)) for event in self.events]

    @property
    def page_info(self) -> dict[str, Any]:
        """``pageInfo``: categories, title, keywords and tags."""
        return _object(self.body.get(vocab.PAGE_INFO_KEY))

    @property
    def browser_info(self) -> dict[str, Any]:
        """``browserInfo``: window and screen sizes, language, url, referer, device."""
        return _object(self.body.get("browserInfo"))

    def summary(self) -> str:
        """One line for error messages: store, event types and whether a cart was sent."""
        cart = self.cart
        cart_text = f"cart {cart.get(vocab.CART_ID.js_key)!r}" if cart is not None else "no cart"
        return f"store {self.store_id}: events {self.event_types}, {cart_text}"


def _object(value: object) -> dict[str, Any]:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}

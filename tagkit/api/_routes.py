"""The paths of Connectif's REST API that tagkit calls (docs/api-sync.md#routes), in one place.

Store ids and emails are percent-encoded into a path segment (``/`` and ``+`` included), so an
id can never reach another route.
"""

from __future__ import annotations

from urllib.parse import quote

DEFAULT_BASE_URL = "https://api.connectif.cloud"
BASE_URL_ENV = "CONNECTIF_API_URL"
API_KEY_ENV = "CONNECTIF_API_KEY"

CONTACTS = "/contacts/"
PRODUCTS_BY_STORE_ID = "/products/product-id/"
PURCHASES = "/purchases/"
PURCHASES_BY_STORE_ID = "/purchases/purchase-id/"
COUPON_SETS = "/coupon-sets/"

# Query parameter of POST /purchases/: whether the store's On-Purchase workflows fire.
TRIGGER_PURCHASE_EVENT = "triggerPurchaseEvent"


def segment(value: str) -> str:
    """``value`` as one path segment.

    >>> segment("ana+news@shop.example"), segment("a/b")
    ('ana%2Bnews%40shop.example', 'a%2Fb')
    """
    return quote(value, safe="")


def contact(email: str) -> str:
    return CONTACTS + segment(email)


def product(product_id: str) -> str:
    return PRODUCTS_BY_STORE_ID + segment(product_id)


def purchase(purchase_id: str) -> str:
    return PURCHASES_BY_STORE_ID + segment(purchase_id)


def coupon_set(coupon_set_id: str) -> str:
    return COUPON_SETS + segment(coupon_set_id)

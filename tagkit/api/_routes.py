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


# -- the import API (docs/api-sync.md#imports) ----------------------------------------------
IMPORTS = "/imports/"

# The form fields of POST /imports/ and the values tagkit gives them.
IMPORT_TYPE = "type"
IMPORT_OVERRIDE_EXISTING = "overrideExisting"
IMPORT_UPDATE_ONLY_EMPTY_FIELDS = "updateOnlyEmptyFields"
IMPORT_DELIMITER = "delimiter"
IMPORT_COUPON_SET_ID = "couponSetId"
IMPORT_FILE = "file"
IMPORT_FILE_NAME = "import.csv"
IMPORT_FILE_TYPE = "text/csv"
# Connectif takes "," or ";"; tagkit always writes ",".
DELIMITER = ","
# The one column of a coupons import.
COUPON_CODE = "code"
# The largest import file tagkit sends: "50 MB" read as 50,000,000 bytes, the smaller of the
# two readings, so a file tagkit accepts is within Connectif's limit either way.
MAX_IMPORT_BYTES = 50_000_000

# The fields of an import resource (GET /imports/{id}, the items of GET /imports/).
IMPORT_ID = "id"
IMPORT_STATUS = "status"
IMPORT_TOTAL = "total"
IMPORT_SUCCESS = "success"
IMPORT_ERRORS = "errors"
IMPORT_ERROR_REPORT = "errorReportFileUrl"
IMPORT_OPTIONS = "options"
IMPORT_CREATED_AT = "createdAt"
# Its statuses; the last three are final.
QUEUED = "queued"
IN_PROGRESS = "inProgress"
FINISHED = "finished"
FAILED = "error"
CANCELLED = "cancelled"
FINAL_STATUSES = (FINISHED, FAILED, CANCELLED)


def import_(import_id: str) -> str:
    return IMPORTS + segment(import_id)

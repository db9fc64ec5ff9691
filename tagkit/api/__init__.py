"""Connectif's REST API: a client on httpx, paced and retried, that never duplicates a
purchase or an import (docs/api-sync.md). Needs the ``api`` extra: ``pip install "tagkit[api]"``.

``import tagkit`` never imports this package, and this package loads httpx only with the
client: the payloads, the journal and the routes are plain Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import ApiStats, ConnectifAPI
    from ._errors import (
        ApiConfigError,
        ApiConnectionError,
        ApiError,
        AuthenticationError,
        BadRequest,
        ContactMissing,
        ImportFailed,
        ImportFileTooLarge,
        ImportOutcomeUnknown,
        ImportWaitTimeout,
        NotFound,
        PayloadTooLarge,
        PermissionDenied,
        ProductsMissing,
        RateLimited,
        ServerError,
        TooManyImports,
        UnprocessableEntity,
        UnsupportedMediaType,
    )
    from ._import_csv import import_csv
    from ._import_result import ImportResult
    from ._journal import Journal, JournalError
    from ._pacing import Backoff, TokenBucket, rate_limit_wait
    from ._payloads import (
        ApiContact,
        ApiCoupon,
        ApiProduct,
        ApiPurchase,
        api_json,
        api_record,
        to_api,
    )

_HOMES: dict[str, str] = {
    **dict.fromkeys(("ApiStats", "ConnectifAPI"), "._client"),
    **dict.fromkeys(
        (
            "ApiConfigError",
            "ApiConnectionError",
            "ApiError",
            "AuthenticationError",
            "BadRequest",
            "ContactMissing",
            "ImportFailed",
            "ImportFileTooLarge",
            "ImportOutcomeUnknown",
            "ImportWaitTimeout",
            "NotFound",
            "PayloadTooLarge",
            "PermissionDenied",
            "ProductsMissing",
            "RateLimited",
            "ServerError",
            "TooManyImports",
            "UnprocessableEntity",
            "UnsupportedMediaType",
        ),
        "._errors",
    ),
    "import_csv": "._import_csv",
    "ImportResult": "._import_result",
    **dict.fromkeys(("Journal", "JournalError"), "._journal"),
    **dict.fromkeys(("Backoff", "TokenBucket", "rate_limit_wait"), "._pacing"),
    **dict.fromkeys(
        (
            "ApiContact",
            "ApiCoupon",
            "ApiProduct",
            "ApiPurchase",
            "api_json",
            "api_record",
            "to_api",
        ),
        "._payloads",
    ),
}

__all__ = [
    "ApiConfigError",
    "ApiConnectionError",
    "ApiContact",
    "ApiCoupon",
    "ApiError",
    "ApiProduct",
    "ApiPurchase",
    "ApiStats",
    "AuthenticationError",
    "Backoff",
    "BadRequest",
    "ConnectifAPI",
    "ContactMissing",
    "ImportFailed",
    "ImportFileTooLarge",
    "ImportOutcomeUnknown",
    "ImportResult",
    "ImportWaitTimeout",
    "Journal",
    "JournalError",
    "NotFound",
    "PayloadTooLarge",
    "PermissionDenied",
    "ProductsMissing",
    "RateLimited",
    "ServerError",
    "TokenBucket",
    "TooManyImports",
    "UnprocessableEntity",
    "UnsupportedMediaType",
    "api_json",
    "api_record",
    "import_csv",
    "rate_limit_wait",
    "to_api",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

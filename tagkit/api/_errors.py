"""The exceptions of the REST client: one tree under :class:`ApiError`, by HTTP status, with
Connectif's error codes (docs/api-sync.md#errors).

Messages name the request (method and path, never the host's credentials), the status,
Connectif's ``code`` and ``detail``, and what to do. The API key is never part of one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ConfigError, TagkitError

if TYPE_CHECKING:
    from ._import_result import ImportResult

__all__ = [
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
    "error_for",
]

# Connectif's custom error codes that tagkit explains (docs/api-sync.md#errors).
CONTACT_MISSING = "E0101"
PRODUCTS_MISSING = "E0102"
PRODUCT_URL_NOT_ALLOWED = ("E0103", "E0201")
TOO_MANY_IMPORTS = "E0401"
# Known fields of an error body; the rest are its extra fields (productIds, allowedDomains ...).
_KNOWN = ("status", "title", "detail", "code", "validationErrors")


class ApiConfigError(ConfigError):
    """The client cannot be set up: no API key, an unusable base URL or option."""


class ApiError(TagkitError):
    """Connectif refused a request, or never answered it.

    ``status`` is the HTTP status (0 when no response came), ``title``, ``detail`` and ``code``
    (``E0101`` ...) come from Connectif's error body, ``validation_errors`` from a 422 body,
    ``extra`` holds the body's other fields, ``method`` and ``path`` name the request.
    """

    status: int
    hint: ClassVar[str] = ""

    def __init__(
        self,
        method: str,
        path: str,
        status: int,
        body: Mapping[str, Any] | None = None,
        *,
        message: str | None = None,
    ) -> None:
        body = dict(body or {})
        self.method = method
        self.path = path
        self.status = status
        self.title: str | None = _text(body.get("title"))
        self.detail: str | None = _text(body.get("detail"))
        self.code: str | None = _text(body.get("code"))
        raw = body.get("validationErrors")
        self.validation_errors: tuple[Mapping[str, Any], ...] = (
            tuple(e for e in raw if isinstance(e, Mapping)) if isinstance(raw, Sequence) else ()
        )
        self.extra: dict[str, Any] = {k: v for k, v in body.items() if k not in _KNOWN}
        super().__init__(message or self._message())

    def _message(self) -> str:
        parts = [f"{self.method} {self.path}: {self.status}"]
        if self.code:
            parts.append(self.code)
        if self.title:
            parts.append(self.title)
        text = " ".join(parts)
        if self.detail:
            text += f": {self.detail}"
        for error in self.validation_errors:
            text += f"; {error.get('path', '?')}: {error.get('reason', error)}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.method, self.path, self.status, str(self)))


def _rebuild(cls: type[ApiError], method: str, path: str, status: int, text: str) -> ApiError:
    return cls(method, path, status, message=text)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class BadRequest(ApiError):
    """400: invalid JSON or id, or one of Connectif's custom codes."""


class ContactMissing(BadRequest):
    """400 E0101: the purchase's contact does not exist in Connectif."""

    hint = "the purchase's contact does not exist in Connectif; upsert the contact first"


class ProductsMissing(BadRequest):
    """400 E0102: products of the purchase do not exist in Connectif (``product_ids``)."""

    hint = "upsert these products first; sync_purchase does"

    @property
    def product_ids(self) -> tuple[str, ...]:
        # The error-code table says productIds, the docs' example productsId: accept both.
        raw = self.extra.get("productIds", self.extra.get("productsId", ()))
        return tuple(str(i) for i in raw) if isinstance(raw, (list, tuple)) else ()

    def _message(self) -> str:
        ids = self.product_ids
        if ids:
            listed = ", ".join(repr(i) for i in ids)
            return (
                f"{self.method} {self.path}: {self.status} {self.code}: products {listed} do "
                f"not exist in Connectif ({self.hint})"
            )
        return super()._message()


class AuthenticationError(ApiError):
    """401: the API key is missing, malformed or unknown."""

    hint = "check the API key: keyId:keySecret, from Store settings > API keys"


class PermissionDenied(ApiError):
    """403: the key lacks a scope this call needs, or the account is blocked."""

    hint = "give the API key the scope this call needs"


class NotFound(ApiError):
    """404: no such contact, product, purchase or route."""


class PayloadTooLarge(ApiError):
    """413: the request body is too large."""


class ImportFileTooLarge(PayloadTooLarge):
    """An import file over Connectif's 50 MB, refused before it was sent (``size`` bytes)."""

    def __init__(self, method: str, path: str, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(
            method,
            path,
            413,
            message=f"{method} {path}: not sent: the import file is {size:,} bytes, more than "
            f"the {limit:,} bytes Connectif takes (50 MB); split the records into several "
            "imports",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.method, self.path, self.size, self.limit))


class TooManyImports(BadRequest):
    """400 E0401: ten imports are already queued; the client waits and sends again."""

    hint = "ten imports are queued already; wait for them to finish"


class UnsupportedMediaType(ApiError):
    """415: the request's content type is not the one the route takes."""


class UnprocessableEntity(ApiError):
    """422: the body is JSON but not the shape Connectif takes (``validation_errors``)."""


class RateLimited(ApiError):
    """429: the rate limit was still hit when no retry was left."""

    hint = "lower the rate (--rate) or allow more retries"


class ServerError(ApiError):
    """5xx: Connectif failed, still, after the retries."""


class ApiConnectionError(ApiError):
    """No response: the connection failed, was dropped or timed out, after the retries."""

    def __init__(self, method: str, path: str, reason: str) -> None:
        self.reason = reason
        super().__init__(method, path, 0, message=f"{method} {path}: no response: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.method, self.path, self.reason))


class ImportFailed(ApiError):
    """An import ended ``error`` or ``cancelled``: ``result`` holds its counts."""

    def __init__(self, path: str, result: ImportResult) -> None:
        self.result = result
        report = f"; error report: {result.error_report_url}" if result.error_report_url else ""
        super().__init__(
            "GET",
            path,
            200,
            message=f"import {result.id} ended {result.status!r}: {result.counts}{report}",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.result))


class ImportWaitTimeout(ApiError):
    """An import was still running when ``wait_for_import``'s timeout ran out."""

    def __init__(self, path: str, result: ImportResult, timeout: float) -> None:
        self.result, self.timeout = result, timeout
        super().__init__(
            "GET",
            path,
            200,
            message=f"import {result.id} is still {result.status!r} after {timeout:g} s "
            f"({result.counts}); wait for it again with its id",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.result, self.timeout))


class ImportOutcomeUnknown(ApiError):
    """POST /imports/ got no clear answer and the import list does not settle whether the
    import was created; it is not sent again (a coupons import sent twice adds its codes
    twice)."""

    def __init__(self, path: str, reason: str) -> None:
        self.reason = reason
        super().__init__(
            "POST",
            path,
            0,
            message=f"POST {path}: {reason}; the import may or may not have been created, so "
            f"it was not sent again: check the import list (GET {path}, or Connectif's "
            "Imports page) before sending it again",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: UnprocessableEntity,
    429: RateLimited,
}
_BY_CODE: dict[str, type[ApiError]] = {
    CONTACT_MISSING: ContactMissing,
    PRODUCTS_MISSING: ProductsMissing,
    TOO_MANY_IMPORTS: TooManyImports,
}


def error_for(method: str, path: str, status: int, body: object) -> ApiError:
    """The exception for a refused request: by Connectif's code, else by status."""
    fields: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    code = fields.get("code")
    cls = _BY_CODE.get(code) if isinstance(code, str) else None
    if cls is None:
        cls = ServerError if status >= 500 else _BY_STATUS.get(status, ApiError)
    return cls(method, path, status, fields)

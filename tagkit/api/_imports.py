"""The pieces of an import that need no HTTP client (docs/api-sync.md#imports): its options
and form, the multipart body, and which listed import a request whose answer was lost
created.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from . import _routes as routes
from ._errors import ApiConfigError
from ._import_csv import IMPORT_KINDS
from ._import_result import count
from ._payloads import COUPONS

__all__ = ["ImportOptions", "created_at", "is_candidate", "multipart"]


def _flag(value: bool) -> str:
    return "true" if value else "false"


@dataclass(frozen=True)
class ImportOptions:
    """The form fields of POST /imports/ besides the file; checked as Connectif documents
    them. ``updateOnlyEmptyFields`` may be true only with ``overrideExisting``, and
    ``couponSetId`` goes with a coupons import and no other.

    >>> options = ImportOptions("coupons", False, False, coupon_set_id="6072374b4d3ceb76e44d4323")
    >>> list(options.form().values())
    ['coupons', 'false', 'false', ',', '6072374b4d3ceb76e44d4323']
    """

    kind: str
    override_existing: bool
    update_only_empty_fields: bool
    coupon_set_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in IMPORT_KINDS:
            raise ApiConfigError(
                f"an import's kind must be one of {', '.join(IMPORT_KINDS)}, got "
                f"{self.kind!r} (purchases cannot be imported: send them one by one)"
            )
        for name in ("override_existing", "update_only_empty_fields"):
            if type(getattr(self, name)) is not bool:
                raise ApiConfigError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.update_only_empty_fields and not self.override_existing:
            raise ApiConfigError(
                "update_only_empty_fields=True needs override_existing=True: Connectif only "
                "fills the empty fields of records it is allowed to change"
            )
        if self.kind == COUPONS:
            if not isinstance(self.coupon_set_id, str) or not self.coupon_set_id.strip():
                raise ApiConfigError(
                    "a coupons import needs coupon_set_id: the id of the coupon set the codes "
                    f"go to (ConnectifAPI.coupon_sets() lists them), got {self.coupon_set_id!r}"
                )
        elif self.coupon_set_id is not None:
            raise ApiConfigError(
                f"coupon_set_id goes with a coupons import only, not with {self.kind}; got "
                f"{self.coupon_set_id!r}"
            )

    def form(self) -> dict[str, str]:
        """The text form fields, in the order they are sent."""
        fields = {
            routes.IMPORT_TYPE: self.kind,
            routes.IMPORT_OVERRIDE_EXISTING: _flag(self.override_existing),
            routes.IMPORT_UPDATE_ONLY_EMPTY_FIELDS: _flag(self.update_only_empty_fields),
            routes.IMPORT_DELIMITER: routes.DELIMITER,
        }
        if self.coupon_set_id is not None:
            fields[routes.IMPORT_COUPON_SET_ID] = self.coupon_set_id.strip()
        return fields

    def matches(self, listed: Mapping[str, Any]) -> bool:
        """Whether an import of the list was made with these options (the fields it shows)."""
        if listed.get(routes.IMPORT_TYPE) != self.kind:
            return False
        options = listed.get(routes.IMPORT_OPTIONS)
        if not isinstance(options, Mapping):
            return False
        for key, wanted in self.form().items():
            if key == routes.IMPORT_TYPE or key not in options:
                continue
            if str(options[key]).lower() != wanted.lower():
                return False
        return True


def _header_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def multipart(fields: Mapping[str, str], file: bytes) -> tuple[bytes, str]:
    """The multipart/form-data body of ``fields`` and the CSV ``file``, and its content type.
    A boundary that occurs in the content is drawn again."""
    while True:
        boundary = "tagkit-" + secrets.token_hex(16)
        marker = f"--{boundary}".encode("ascii")
        if marker not in file and not any(marker in v.encode("utf-8") for v in fields.values()):
            break
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'{marker.decode()}\r\nContent-Disposition: form-data; name="{_header_value(name)}"'
            f"\r\n\r\n{value}\r\n".encode()
        )
    parts.append(
        (
            f"{marker.decode()}\r\nContent-Disposition: form-data; "
            f'name="{routes.IMPORT_FILE}"; filename="{routes.IMPORT_FILE_NAME}"\r\n'
            f"Content-Type: {routes.IMPORT_FILE_TYPE}; charset=utf-8\r\n\r\n"
        ).encode()
        + file
        + b"\r\n"
    )
    parts.append(marker + b"--\r\n")
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def created_at(listed: Mapping[str, Any]) -> float | None:
    """An import's ``createdAt`` as epoch seconds, or None when it has none usable."""
    text = listed.get(routes.IMPORT_CREATED_AT)
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def is_candidate(
    listed: Mapping[str, Any], options: ImportOptions, total: int, since: float, skew: float
) -> bool:
    """Whether ``listed`` may be the import a POST sent at ``since`` (epoch seconds) created:
    the same kind and options, the same number of rows when it shows one, created no earlier
    than ``skew`` seconds before the POST (the two clocks differ)."""
    if not options.matches(listed):
        return False
    shown = count(listed.get(routes.IMPORT_TOTAL))
    if shown is not None and shown != total:
        return False
    moment = created_at(listed)
    return moment is not None and moment >= since - skew

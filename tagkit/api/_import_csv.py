"""The CSV file of an import (docs/api-sync.md#import-csv): UTF-8, ``,``-delimited, a header
of API field ids, one row per record. Plain Python: a dry run needs no HTTP client.

The columns are those of :func:`to_api`'s body, so a property reaches an import exactly as
it reaches a PATCH: contacts add ``_email`` (in a PATCH it goes in the path), products keep
their keys, coupons have one ``code`` column. A list cell joins its values with ``|``;
a value that holds ``|`` itself, or that a CSV cell cannot carry (an object, an empty list
item), is refused with the record, field and value, never flattened.

>>> from tagkit.api._payloads import ApiCoupon
>>> import_csv("coupons", [ApiCoupon(code="A-1"), ApiCoupon(code='say "hi", 10%')])
b'code\\r\\nA-1\\r\\n"say ""hi"", 10%"\\r\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from .. import vocabulary as vocab
from .._model import Contact, Record, join
from .._values import quoted, to_text
from ..errors import Problem, ValidationError
from . import _routes as routes
from ._payloads import API_TYPES, CONTACTS, COUPONS, PRODUCTS, contact_email, to_api
from ._records import LIST_SEPARATOR

__all__ = ["IMPORT_KINDS", "csv_problems", "import_csv", "import_row"]

# What the import API takes (purchases cannot be imported).
IMPORT_KINDS: tuple[str, ...] = (CONTACTS, PRODUCTS, COUPONS)
LINE_END = "\r\n"  # RFC 4180
# The column order: the vocabulary's rows, then custom contact fields as they come.
_ORDER: dict[str, tuple[str, ...]] = {
    kind: tuple(p.api_key for p in API_TYPES[kind].PROPS if p.api_key is not None)
    for kind in IMPORT_KINDS
}
_DATA_KEYS: dict[str, dict[str, str]] = {
    kind: {p.api_key: p.data_key for p in API_TYPES[kind].PROPS if p.api_key is not None}
    for kind in IMPORT_KINDS
}


def _check_kind(kind: str) -> None:
    if kind not in IMPORT_KINDS:
        raise ValueError(
            f"Connectif imports {', '.join(IMPORT_KINDS)}, not {kind!r} (purchases are sent "
            "one by one)"
        )


class _Unfit(Exception):
    """A value no CSV cell of an import can carry; the message says why."""


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, datetime, date)):
        return to_text(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _Unfit(
                f"holds a lone surrogate, which UTF-8 cannot encode, got {quoted(value)}"
            ) from None
        return value
    raise _Unfit(
        "cannot be carried by a CSV cell: an import takes text, numbers, true/false or a "
        f"list of texts, got {quoted(value)}"
    )


def _cell(value: object) -> str:
    if not isinstance(value, (list, tuple)):
        return _scalar(value)
    if not value:
        raise _Unfit(
            "is an empty list, which a CSV cell cannot tell from an absent value; leave the "
            "field out, or send the record one by one"
        )
    cells = []
    for item in value:
        if isinstance(item, (list, tuple, dict)):
            raise _Unfit(f"cannot be carried by a CSV cell: a list of lists, got {quoted(value)}")
        text = _scalar(item)
        if LIST_SEPARATOR in text:
            raise _Unfit(
                f"holds {LIST_SEPARATOR!r} in the value {quoted(text)}: an import's list cell "
                f"joins its values with {LIST_SEPARATOR!r}, so this value cannot be imported; "
                "remove it, or send the record one by one (without --import)"
            )
        if not text:
            raise _Unfit(
                f"holds an empty value in {quoted(value)}, which a {LIST_SEPARATOR!r}-joined "
                "cell cannot carry"
            )
        cells.append(text)
    return LIST_SEPARATOR.join(cells)


def import_row(kind: str, record: Record, path: str | None = None) -> dict[str, str]:
    """The cells of ``record`` by API field id; :class:`ValidationError` naming the field and
    value of any cell an import cannot carry (``path`` names the record, default its label)."""
    _check_kind(kind)
    where = record.LABEL if path is None else path
    body = to_api(record)
    row: dict[str, str] = {}
    if kind == CONTACTS:
        assert isinstance(record, Contact)
        row[vocab.API_EMAIL_FIELD] = contact_email(record)
    problems = []
    names = _DATA_KEYS[kind]
    for key, value in body.items():
        try:
            row[key] = _cell(value)
        except _Unfit as exc:
            problems.append(Problem(join(where, names.get(key, key)), str(exc)))
    if problems:
        raise ValidationError(problems)
    return row


def csv_problems(kind: str, record: Record, path: str | None = None) -> list[Problem]:
    """Why ``record`` cannot be a row of an import (none when it can)."""
    try:
        import_row(kind, record, path)
    except ValidationError as exc:
        return list(exc.problems)
    return []


def _header(kind: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
    present: dict[str, None] = {}
    for row in rows:
        present.update(dict.fromkeys(row))
    first = [vocab.API_EMAIL_FIELD] if kind == CONTACTS else []
    known = [key for key in _ORDER[kind] if key in present]
    custom = [key for key in present if key not in known and key not in first]
    return [*first, *known, *custom]


def import_csv(kind: str, records: Iterable[Record]) -> bytes:
    """The UTF-8 CSV file of an import of ``kind`` holding ``records``: a header of API field
    ids, one row each, an empty cell where a record has no value. Raises
    :class:`ValidationError` with every cell that cannot be imported, each naming its record
    (``contacts[3]``), field and value."""
    _check_kind(kind)
    rows: list[dict[str, str]] = []
    problems: list[Problem] = []
    for number, record in enumerate(records):
        try:
            rows.append(import_row(kind, record, f"{kind}[{number}]"))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    header = _header(kind, rows) if rows else list(_ORDER[kind][:1])
    if kind == COUPONS:
        header = [routes.COUPON_CODE]
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, delimiter=routes.DELIMITER, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in header])
    return out.getvalue().encode("utf-8")

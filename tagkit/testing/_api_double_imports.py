"""The import API of the local Connectif double (docs/api-sync.md#double): the multipart form
of POST /imports/, its checks, and an import's rows applied to the double's contacts,
products and coupon sets. Standard library only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import vocabulary as vocab
from ..api import _routes as routes
from ..vocabulary import Kind, Prop

__all__ = ["Form", "ImportJob", "RowError", "cell_value", "parse_multipart"]

MULTIPART = "multipart/form-data"
LIST_SEPARATOR = "|"
IMPORT_KINDS = ("contacts", "products", "coupons")  # not a Connectif name: import types
BOOLEANS = {"true": True, "false": False}
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_PARAM = re.compile(r'\b(name|filename)="((?:[^"\\]|\\.)*)"')
NAME = "name"  # not a Connectif name: the Content-Disposition parameter


class FormError(Exception):
    """A body that is not a usable multipart form; the message says why."""


@dataclass
class Form:
    """A parsed multipart/form-data body: text fields, and files with their content type."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


def parse_multipart(content_type: str, raw: bytes) -> Form:
    """The parts of a multipart/form-data body (RFC 7578), exactly as sent."""
    found = _BOUNDARY.search(content_type)
    if found is None:
        raise FormError("the multipart/form-data content type has no boundary")
    marker = b"--" + found.group(1).encode("latin-1")
    form = Form()
    chunks = raw.split(marker)
    if len(chunks) < 2 or not chunks[-1].startswith(b"--"):
        raise FormError("the multipart body does not end with its closing boundary")
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise FormError("a part of the multipart body is not framed by CRLF")
        head, sep, content = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            raise FormError("a part of the multipart body has no blank line after its headers")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = dict(_PARAM.findall(headers.get("content-disposition", "")))
        if NAME not in params:
            raise FormError("a part of the multipart body has no name")
        name = params[NAME]
        if "filename" in params:
            form.files[name] = (headers.get("content-type", ""), content)
        else:
            try:
                form.fields[name] = content.decode("utf-8")
            except UnicodeDecodeError:
                raise FormError(f"the form field {name!r} is not UTF-8") from None
    return form


class RowError(Exception):
    """Why one row of an import failed; it goes to the import's error report."""


def cell_value(prop: Prop, text: str, type_problem: Callable[[Prop, object], str | None]) -> object:
    """The JSON value a CSV cell holds for ``prop``, as a PATCH would have sent it."""

    def scalar(item: str) -> object:
        if prop.choices == vocab.BOOLEAN_CHOICES:
            if item not in BOOLEANS:
                raise RowError(f"must be true or false, got {item!r}")
            return BOOLEANS[item]
        if prop.kind in (Kind.DECIMAL, Kind.INTEGER):
            try:
                number = Decimal(item)
            except InvalidOperation:
                raise RowError(f"must be a number, got {item!r}") from None
            if not number.is_finite():
                raise RowError(f"must be a number, got {item!r}")
            return int(number) if number == number.to_integral_value() else float(number)
        return item

    items = text.split(LIST_SEPARATOR) if prop.multiple else None
    value = [scalar(item) for item in items] if items is not None else scalar(text)
    problem = type_problem(prop, value)
    if problem:
        raise RowError(problem)
    return value


@dataclass
class ImportJob:
    """One import: its resource as the API shows it, and the rows it will apply."""

    resource: dict[str, Any]
    header: list[str]
    rows: list[list[str]]
    started: float | None = None
    failed: list[tuple[list[str], str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.resource[routes.IMPORT_ID])

    @property
    def options(self) -> Mapping[str, Any]:
        found = self.resource[routes.IMPORT_OPTIONS]
        assert isinstance(found, Mapping)
        return found

    def error_report(self) -> bytes:
        """The failed rows as CSV: the import's columns and the reason."""
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([*self.header, "error"])  # not a Connectif name: a report column
        for cells, reason in self.failed:
            writer.writerow([*cells, reason])
        return out.getvalue().encode("utf-8")


def read_csv(data: bytes, delimiter: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of an import file; :class:`FormError` when it is not UTF-8 CSV."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("the file is not UTF-8") from None
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FormError(f"the file is not valid CSV: {exc}") from None
    if not table or not any(table[0]):
        raise FormError("the file has no header row")
    header = [name.strip() for name in table[0]]
    rows = [row for row in table[1:] if any(cell.strip() for cell in row)]
    return header, rows

"""Reading API data files: a JSON array, JSON Lines or CSV, every record with its position
(docs/api-sync.md#files). Plain Python: a dry run needs no HTTP client.

CSV headers are tagkit's keys; a cell of a multi-valued property joins its values with ``|``;
an empty cell is an absent value. Purchases hold nested lines, so they need JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .. import vocabulary as vocab
from .._model import Record
from ..errors import Problem, TagkitError, ValidationError
from ._payloads import API_TYPES, CONTACTS, COUPONS, PRODUCTS, PURCHASES, ApiCoupon, api_record

__all__ = ["FORMATS", "Item", "RecordsError", "build_records", "format_of", "read_items"]

Format = Literal["json", "jsonl", "csv"]
FORMATS: tuple[str, ...] = ("json", "jsonl", "csv")
_BY_SUFFIX: dict[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
LIST_SEPARATOR = "|"


class RecordsError(TagkitError):
    """A data file that cannot be read as records at all (syntax, format): one message."""


@dataclass(frozen=True)
class Item:
    """One record of a data file: where it is (``line 4``, ``item 2``) and its data."""

    position: str
    data: object


def format_of(name: str, text: str) -> Format:
    """The format of file ``name`` from its suffix; for ``-`` (stdin), from its first
    character: ``[`` a JSON array, ``{`` JSON Lines."""
    lowered = name.lower()
    for suffix, found in _BY_SUFFIX.items():
        if lowered.endswith(suffix):
            return found
    start = text.lstrip()[:1]
    if start == "[":
        return "json"
    if start == "{":
        return "jsonl"
    where = "standard input" if name == "-" else repr(name)
    raise RecordsError(
        f"cannot tell the format of {where}: name it .json (an array), .jsonl/.ndjson "
        "(one object per line) or .csv, or pass --format json|jsonl|csv"
    )


def _loads(text: str) -> object:
    return json.loads(text, parse_float=Decimal)


def read_items(text: str, fmt: Format, kind: str) -> list[Item]:
    """The records of ``text``, each with its position."""
    if fmt == "json":
        try:
            data = _loads(text)
        except json.JSONDecodeError as exc:
            raise RecordsError(
                f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from None
        if not isinstance(data, list):
            raise RecordsError(
                f"a JSON file must hold an array of records, got {type(data).__name__}; "
                "for one object per line name it .jsonl"
            )
        return [Item(f"item {i + 1}", value) for i, value in enumerate(data)]
    if fmt == "jsonl":
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append(Item(f"line {number}", _loads(line)))
            except json.JSONDecodeError as exc:
                raise RecordsError(
                    f"line {number} is not valid JSON: {exc.msg} at column {exc.colno}"
                ) from None
        return items
    if kind == PURCHASES:
        raise RecordsError(
            "purchases cannot be read from CSV: their lines are nested; use JSON or JSON Lines"
        )
    return _csv_items(text, kind)


def _csv_items(text: str, kind: str) -> list[Item]:
    multiple = {p.data_key for p in API_TYPES[kind].PROPS if p.multiple}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            return []
        names = [h.strip() for h in header]
        blank = [i + 1 for i, n in enumerate(names) if not n]
        if blank:
            raise RecordsError(f"the CSV header has an empty column name (column {blank[0]})")
        items = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number = reader.line_num
            if len(row) > len(names):
                raise RecordsError(
                    f"line {number} has {len(row)} cells, more than the {len(names)} columns "
                    "of the header"
                )
            data: dict[str, object] = {}
            for name, cell in zip(names, row, strict=False):
                if not cell.strip():
                    continue
                data[name] = cell.split(LIST_SEPARATOR) if name in multiple else cell
            items.append(Item(f"line {number}", data))
        return items
    except csv.Error as exc:
        raise RecordsError(f"not valid CSV at line {reader.line_num}: {exc}") from None


def build_records(
    items: Iterable[Item], kind: str
) -> tuple[list[tuple[Item, Record]], list[tuple[Item, Problem]]]:
    """Every item validated as an API record of ``kind``: the records and every problem."""
    records: list[tuple[Item, Record]] = []
    problems: list[tuple[Item, Problem]] = []
    for item in items:
        try:
            records.append((item, api_record(kind, item.data)))
        except ValidationError as exc:
            problems.extend((item, problem) for problem in exc.problems)
    return records, problems


def record_key(kind: str, record: Record) -> str:
    """What identifies ``record`` to Connectif: the email, product id, purchase id or code."""
    row = {
        CONTACTS: vocab.PRIMARY_KEY,
        PRODUCTS: vocab.PRODUCT[1],
        PURCHASES: vocab.PURCHASE_ID,
        COUPONS: ApiCoupon.PROPS[0],
    }[kind]
    value = record.values.get(row.name)
    return str(value)

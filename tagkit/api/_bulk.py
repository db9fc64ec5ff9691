"""Sending validated records through the import API, with the journal: an import accepted
once is waited on, never started again (docs/api-sync.md#imports).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._model import Record
from . import _routes as routes
from ._errors import ImportFailed, ImportOutcomeUnknown
from ._import_csv import import_csv
from ._import_result import ImportResult
from ._imports import ImportOptions
from ._journal import ACCEPTED, DONE, SENDING, Journal, digest
from ._pacing import Backoff
from ._payloads import COUPONS

if TYPE_CHECKING:
    from ._client import ConnectifAPI

__all__ = ["ImportReport", "import_key", "import_records"]


@dataclass(frozen=True)
class ImportReport:
    """How an import run ended: ``result`` (None when the journal shows it finished before,
    as import ``skipped``), and whether it waited on an import an earlier run started."""

    kind: str
    result: ImportResult | None
    resumed: bool = False
    skipped: str = ""


def import_key(options: ImportOptions, data: bytes) -> str:
    """What identifies an import in the journal: its kind, form and file."""
    file = hashlib.sha256(data).hexdigest()
    return f"{options.kind}:{digest({'form': options.form(), 'file': file})}"


def import_records(
    client: ConnectifAPI,
    options: ImportOptions,
    records: Sequence[Record],
    *,
    journal: Journal | None = None,
    poll: Backoff | None = None,
    progress: Callable[[ImportResult], None] | None = None,
) -> ImportReport:
    """Import ``records`` and wait for the import to end.

    With a journal, the import is marked ``sending`` before its POST and ``accepted`` with its
    id after, so a run killed at any moment and started again waits on the same import. One
    left ``sending`` is looked for in the import list; a contacts or products import that is
    not there is started, a coupons import is not (:class:`ImportOutcomeUnknown`). An import
    that ended ``error`` or ``cancelled`` raises :class:`ImportFailed`.
    """
    kind = options.kind
    data = import_csv(kind, records)
    key = import_key(options, data)
    entry = journal.import_entry(key) if journal is not None else None
    if entry is not None and entry.state == DONE:
        return ImportReport(kind, None, skipped=entry.ref)
    ref = entry.ref if entry is not None and entry.state == ACCEPTED else ""
    if entry is not None and entry.state == SENDING:
        why = "an earlier run stopped before Connectif answered this import"
        found = client._find_import(options, len(records), entry.at, why)
        if found is not None:
            ref = found.id
        elif kind == COUPONS:
            raise ImportOutcomeUnknown(
                routes.IMPORTS, f"{why}, and no import in the list matches it"
            )
        if journal is not None and ref:
            journal.import_accepted(key, ref)
    resumed = bool(ref)
    if not ref:
        if journal is not None:
            journal.import_sending(key, time.time())
        ref = client._post_import(options, data, len(records)).id
        if journal is not None:
            journal.import_accepted(key, ref)
    try:
        if poll is None:
            result = client.wait_for_import(ref, progress=progress)
        else:
            result = client.wait_for_import(ref, progress=progress, poll=poll)
    except ImportFailed:
        if journal is not None:
            journal.import_ended(key, ref, finished=False)
        raise
    if journal is not None:
        journal.import_ended(key, ref, finished=True)
    return ImportReport(kind, result, resumed=resumed)

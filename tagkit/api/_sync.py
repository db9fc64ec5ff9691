"""Sending validated records one by one, with the journal: never lost, never duplicated
(docs/api-sync.md#sync).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._model import Record
from ._errors import ApiConnectionError, ApiError, AuthenticationError, PermissionDenied
from ._journal import Journal, digest
from ._payloads import CONTACTS, ApiPurchase, to_api
from ._records import Item, record_key

if TYPE_CHECKING:
    from ._client import ConnectifAPI

__all__ = ["Failure", "SyncReport", "sync_records"]

# Errors that end the run: every later record would meet them too.
FATAL = (AuthenticationError, PermissionDenied, ApiConnectionError)


@dataclass(frozen=True)
class Failure:
    """A record Connectif refused: where it is, its key and Connectif's answer."""

    position: str
    key: str
    error: ApiError


@dataclass
class SyncReport:
    kind: str
    total: int = 0
    sent: int = 0
    skipped: int = 0
    already: int = 0
    failures: list[Failure] = field(default_factory=list)


def sync_records(
    client: ConnectifAPI,
    kind: str,
    records: Sequence[tuple[Item, Record]],
    *,
    journal: Journal | None = None,
    trigger_purchase_event: bool = True,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Send ``records`` of ``kind``; the journal skips what Connectif confirmed before.

    A purchase is marked ``sending`` in the journal before its POST and ``done`` after; one
    found ``sending`` (an earlier run stopped mid-way), or any purchase when there is no
    journal, is first looked up so it is never created twice. Authentication, permission and
    connection failures end the run (raised); other refusals are collected as failures.
    """
    report = SyncReport(kind, total=len(records))
    for item, record in records:
        key = record_key(kind, record)
        try:
            if isinstance(record, ApiPurchase):
                if journal is not None and journal.is_done(kind, key):
                    report.skipped += 1
                else:
                    check = journal is None or journal.is_pending(kind, key)
                    if journal is not None:
                        journal.sending(kind, key)
                    before = client.stats.reconciled
                    client.sync_purchase(record, trigger_purchase_event, check_existing=check)
                    if client.stats.reconciled > before:
                        report.already += 1
                    if journal is not None:
                        journal.done(kind, key)
                    report.sent += 1
            else:
                fingerprint = digest(to_api(record))
                if journal is not None and journal.is_done(kind, key, fingerprint):
                    report.skipped += 1
                else:
                    if kind == CONTACTS:
                        client.upsert_contact(record)
                    else:
                        client.upsert_product(record)
                    if journal is not None:
                        journal.done(kind, key, fingerprint)
                    report.sent += 1
        except FATAL:
            raise
        except ApiError as exc:
            report.failures.append(Failure(item.position, key, exc))
        if progress is not None:
            progress(1)
    return report

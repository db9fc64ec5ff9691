"""An import as Connectif reports it (GET /imports/{id}): :class:`ImportResult`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import _routes as routes

__all__ = ["ImportResult", "count"]


def count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class ImportResult:
    """An import as Connectif reports it: ``status`` (``queued``, ``inProgress``,
    ``finished``, ``error``, ``cancelled``), the counts of rows (``None`` until Connectif
    gives them) and the URL of the file listing failed rows."""

    id: str
    status: str
    total: int | None = None
    success: int | None = None
    errors: int | None = None
    error_report_url: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any], *, default_status: str = "") -> ImportResult:
        report = data.get(routes.IMPORT_ERROR_REPORT)
        status = data.get(routes.IMPORT_STATUS)
        return cls(
            id=str(data.get(routes.IMPORT_ID, "")),
            status=status if isinstance(status, str) and status else default_status,
            total=count(data.get(routes.IMPORT_TOTAL)),
            success=count(data.get(routes.IMPORT_SUCCESS)),
            errors=count(data.get(routes.IMPORT_ERRORS)),
            error_report_url=report if isinstance(report, str) and report else None,
        )

    @property
    def done(self) -> bool:
        """Whether the import has ended (finished, error or cancelled)."""
        return self.status in routes.FINAL_STATUSES

    @property
    def processed(self) -> int:
        """Rows handled so far: succeeded plus failed."""
        return (self.success or 0) + (self.errors or 0)

    @property
    def counts(self) -> str:
        def shown(value: int | None) -> str:
            return "?" if value is None else str(value)

        return (
            f"{shown(self.total)} total, {shown(self.success)} succeeded, "
            f"{shown(self.errors)} failed"
        )

"""Shared helpers of the validation tests: the hand-written page corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAGES = Path(__file__).parent / "pages"
GOOD = sorted((PAGES / "good").glob("*.html"))
BAD = sorted((PAGES / "bad").glob("*.html"))


def expected_body(page: Path) -> dict[str, Any]:
    """The request body checked in for a good page (``<page>.json``)."""
    data: dict[str, Any] = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return data

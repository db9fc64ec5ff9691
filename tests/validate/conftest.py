"""Shared helpers of the validation tests: the hand-written page corpus of tests/pages/."""

from __future__ import annotations

from .corpus import BAD, GOOD, PAGES, expected_body

__all__ = ["BAD", "GOOD", "PAGES", "expected_body"]

"""The exception tree: every error tagkit raises on purpose is a :class:`TagkitError`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class TagkitError(Exception):
    """Base class of every error tagkit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what the accepted form is.

    >>> str(Problem("cart.total_price", "must be a non-negative number like 180.75, got '1,5'"))
    "cart.total_price must be a non-negative number like 180.75, got '1,5'"
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path} {self.message}" if self.path else self.message


class ValidationError(TagkitError, ValueError):
    """Input that Connectif's client would drop or misread; carries every problem found.

    All problems of one input are collected before raising, so one run shows them all.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("ValidationError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)


class ConfigError(TagkitError, ValueError):
    """A setting (store id, region, URL, option) that tagkit cannot use."""


class UnknownTag(ValidationError, KeyError):
    """A tag name that is neither a Connectif class nor a short name. A :class:`KeyError` too,
    as a lookup that found nothing."""

    def __init__(self, message: str) -> None:
        super().__init__([Problem("", message)])


__all__ = ["ConfigError", "Problem", "TagkitError", "UnknownTag", "ValidationError"]

"""What every ``tagkit`` command shares: reading data files and turning errors into exit codes.

Invalid data prints every problem on its own line on stderr and exits 1; an unreadable file or
bad JSON is a usage error (one line, exit 2). Never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NoReturn

import click

from .errors import ConfigError, ValidationError

EXIT_INVALID = 1
EXIT_USAGE = 2


def load_data(source: str, *, what: str = "--data") -> Any:
    """The JSON value in file ``source`` (``-`` for stdin); a usage error if unreadable.

    JSON numbers with a fraction become ``Decimal``, so ``49.90`` keeps the scale it was
    written with (spec 2.6).
    """
    name = "stdin" if source == "-" else source
    try:
        with click.open_file(source, "r", encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {source!r}: {exc.strerror}", param_hint=what
        ) from None
    except UnicodeDecodeError:
        raise click.BadParameter(f"{source!r} is not UTF-8 text", param_hint=what) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            param_hint=what,
        ) from None


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """One ``error:`` line on stderr, then exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def fail_validation(exc: ValidationError) -> NoReturn:
    """Print every problem on its own line on stderr and exit 1."""
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(EXIT_INVALID)


@contextmanager
def reporting() -> Iterator[None]:
    """Turn tagkit's errors into clear lines and exit codes."""
    try:
        yield
    except ValidationError as exc:
        fail_validation(exc)
    except ConfigError as exc:
        fail(str(exc))

"""How the ``tagkit`` command fails: ``error:`` lines on stderr, an exit code, no traceback.

=================  ====  ===============================================================
class              exit  when
=================  ====  ===============================================================
``InvalidData``    1     the data or a setting is wrong: every problem of a
                         :class:`tagkit.ValidationError` on its own line, or the one line
                         of a :class:`tagkit.ConfigError`
``OutputError``    2     a file was not written (it differs and ``--force`` is missing,
                         or the write failed)
``UsageProblem``   2     options that do not go together, an unknown tag or event name
``FileProblem``    2     an input file that cannot be read, is not UTF-8 or not JSON
=================  ====  ===============================================================

Click's own parse errors (a missing argument, an unknown option) keep click's format, with the
usage line; they exit 2 as well. Every command is a :class:`TagkitCommand`, which turns the
library's errors into these classes, so commands just call the library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, ClassVar

import click

EXIT_INVALID = 1
EXIT_USAGE = 2


class CliError(click.ClickException):
    """An error that the ``tagkit`` command prints as ``error: <line>`` lines on stderr."""

    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, *lines: str) -> None:
        if not lines:
            raise ValueError(f"{type(self).__name__} needs at least one line")
        super().__init__("\n".join(lines))
        self.lines: tuple[str, ...] = lines

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(f"error: {line}", file=file, err=True)


class InvalidData(CliError):
    """The data or a setting cannot be used: one line per problem, exit 1."""

    exit_code: ClassVar[int] = EXIT_INVALID


class OutputError(CliError):
    """An output file was not written (kept, or the write failed): exit 2, as for input."""

    exit_code: ClassVar[int] = EXIT_USAGE


class UsageProblem(CliError):
    """The command was called wrongly (options that clash, an unknown name): exit 2."""

    exit_code: ClassVar[int] = EXIT_USAGE


class FileProblem(UsageProblem):
    """An input file that cannot be read, or is not UTF-8 text or JSON: exit 2."""


def from_library(exc: BaseException) -> CliError | None:
    """The CLI error for one of tagkit's own errors; ``None`` for anything else."""
    # Imported here: whatever raised a tagkit error has imported tagkit.errors already.
    from ..errors import TagkitError, ValidationError

    if isinstance(exc, ValidationError):
        return InvalidData(*(str(problem) for problem in exc.problems))
    if isinstance(exc, TagkitError):  # ConfigError: a bad store id, region, URL or nonce
        return InvalidData(*(str(exc).splitlines() or [type(exc).__name__]))
    return None


class TagkitCommand(click.Command):
    """A command that reports tagkit's ``ValidationError`` and ``ConfigError`` as
    :class:`InvalidData`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            error = from_library(exc)
            if error is None:
                raise
            raise error from None


def command(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], TagkitCommand]:
    """``click.command`` making a :class:`TagkitCommand`: every ``tagkit`` command uses it."""
    return click.command(name, cls=TagkitCommand, **attrs)

"""Reading the commands' input files and writing their output files.

Input that cannot be read raises :class:`FileProblem` (exit 2); output that is not written
raises :class:`OutputError` (exit 1). Never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ._errors import FileProblem, OutputError, UsageProblem

if TYPE_CHECKING:
    from pathlib import Path

STDIN = "-"


def load_json(source: str, *, option: str = "--data") -> Any:
    """The JSON value in file ``source`` (``-`` for stdin), given with ``option``.

    JSON numbers with a fraction become ``Decimal``, so ``49.90`` keeps the scale it was
    written with.
    """
    import json
    from decimal import Decimal

    name = "stdin" if source == STDIN else repr(source)
    try:
        with click.open_file(source, "r", encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise FileProblem(f"{option}: cannot read {name}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FileProblem(f"{option}: {name} is not UTF-8 text") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FileProblem(
            f"{option}: {name} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}"
        ) from None
    except RecursionError:
        raise FileProblem(
            f"{option}: {name} nests objects and lists too deeply to read; a page document "
            "needs four levels"
        ) from None
    except ValueError as exc:  # a whole number past Python's 4,300-digit limit
        raise FileProblem(
            f"{option}: {name} holds a whole number of more than 4,300 digits, which no "
            f"property accepts ({str(exc).split(';')[0]})"
        ) from None


def one_stdin(**sources: str | None) -> None:
    """Refuse more than one option reading stdin; ``sources`` maps option names to paths."""
    readers = [f"--{name}" for name, source in sources.items() if source == STDIN]
    if len(readers) > 1:
        names = [f"--{name}" for name in sources]
        listed = f"{', '.join(names[:-1])} and {names[-1]}"
        raise UsageProblem(f"only one of {listed} can read stdin (-)")


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path``."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FileProblem(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise FileProblem(f"cannot read {str(path)!r}: {exc.strerror}") from None


def folder(name: str) -> Path:
    """The folder ``name`` (it may not exist yet); :class:`UsageProblem` if it is a file."""
    from pathlib import Path

    path = Path(name)
    if path.exists() and not path.is_dir():
        raise UsageProblem(f"{path} is not a folder")
    return path


def _read_existing(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FileProblem(f"cannot read {str(path)!r}: {exc.strerror}") from None


def write(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` atomically (:func:`tagkit._files.write_atomic`)."""
    from .._files import write_atomic

    try:
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror}") from None


def install(path: Path, data: bytes, *, force: bool) -> str:
    """Write ``data`` to ``path`` unless it is already there; returns what happened.

    A different existing file is kept unless ``force``.
    """
    existing = _read_existing(path)
    if existing == data:
        return f"{path} is up to date"
    if existing is not None and not force:
        raise OutputError(
            f"{path} exists with different content; not replacing it. Compare them, then run "
            "again with --force to replace it"
        )
    write(path, data)
    return f"wrote {path}"

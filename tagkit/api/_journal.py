"""The journal of a sync: what Connectif has confirmed, so a run killed at any moment resumes
without sending a purchase twice (docs/api-sync.md#journal).

One JSON object per line, appended with a single ``write`` and flushed to disk before the
next request goes out:

- ``{"kind": "purchases", "key": "o-1", "state": "sending"}`` before a purchase's POST;
- ``{"kind": "...", "key": "...", "state": "done", "digest": "..."}`` once Connectif answered.

A purchase marked ``done`` is never sent again. One marked ``sending`` alone may or may not
have arrived: the next run asks Connectif before sending it. A contact or product is skipped
when it is ``done`` with the same ``digest`` (the same payload); changed data is sent again.

An import (``"kind": "import"``, keyed by its kind and the digest of its form and file) is
``sending`` (with ``at``, the epoch second of its POST) before its POST, ``accepted`` with
``ref``, its id, once Connectif answered, and ``done`` or ``failed`` when it ended: a run
started again waits on an accepted import instead of starting another.
A line cut by a kill is ignored (and closed with a newline before the next append). Two runs
cannot share a journal: the second finds it locked.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import TagkitError

__all__ = ["DONE", "SENDING", "ImportEntry", "Journal", "JournalError", "digest"]

SENDING = "sending"
DONE = "done"
ACCEPTED = "accepted"
FAILED = "failed"
IMPORT = "import"  # the journal's kind for imports


@dataclass(frozen=True)
class ImportEntry:
    """The last state the journal holds for an import: ``sending`` (``at``: when its POST
    went), ``accepted``, ``done`` or ``failed`` (``ref``: the import's id)."""

    state: str
    ref: str = ""
    at: float = 0.0


class JournalError(TagkitError):
    """The journal file cannot be read, written or locked."""


def digest(body: object) -> str:
    """A short fingerprint of a payload: its canonical JSON's SHA-256."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Journal:
    """An append-only journal file; use it as a context manager.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sync.journal"
    >>> with Journal(path) as journal:
    ...     journal.sending("purchases", "o-1")
    ...     journal.done("purchases", "o-1", "d1")
    >>> with Journal(path) as journal:
    ...     journal.is_done("purchases", "o-1"), journal.is_pending("purchases", "o-1")
    (True, False)
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._done: dict[tuple[str, str], set[str]] = {}
        self._pending: set[tuple[str, str]] = set()
        self._imports: dict[str, ImportEntry] = {}
        self._handle: IO[bytes] | None = None
        self.skipped_lines = 0

    # -- opening ----------------------------------------------------------------------------
    def __enter__(self) -> Journal:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+b")  # noqa: SIM115 - held until close()
        except OSError as exc:
            raise JournalError(f"cannot open journal {str(self.path)!r}: {exc.strerror}") from None
        try:
            _lock(handle, self.path)
            handle.seek(0)
            data = handle.read()
            self._load(data)
            if data and not data.endswith(b"\n"):
                self._append(handle, b"\n")  # close a line a kill cut short
        except BaseException:
            handle.close()
            raise
        self._handle = handle

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _load(self, data: bytes) -> None:
        for raw in data.split(b"\n"):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
                kind, key, state = entry["kind"], entry["key"], entry["state"]
            except (ValueError, KeyError, TypeError):
                self.skipped_lines += 1  # cut by a kill, or not ours
                continue
            if not (isinstance(kind, str) and isinstance(key, str)):
                self.skipped_lines += 1
                continue
            if kind == IMPORT:
                self._load_import(key, state, entry)
            elif state == SENDING:
                self._pending.add((kind, key))
            elif state == DONE:
                self._pending.discard((kind, key))
                self._done.setdefault((kind, key), set()).add(str(entry.get("digest", "")))

    def _load_import(self, key: str, state: object, entry: dict[str, Any]) -> None:
        ref, at = entry.get("ref", ""), entry.get("at", 0.0)
        if state not in (SENDING, ACCEPTED, DONE, FAILED) or not isinstance(ref, str):
            self.skipped_lines += 1
            return
        if not isinstance(at, (int, float)) or isinstance(at, bool):
            at = 0.0
        self._imports[key] = ImportEntry(str(state), ref, float(at))

    # -- reading ----------------------------------------------------------------------------
    def import_entry(self, key: str) -> ImportEntry | None:
        """The last state of import ``key``, or None when the journal has none."""
        return self._imports.get(key)

    def is_done(self, kind: str, key: str, digest: str | None = None) -> bool:
        """Whether Connectif confirmed ``key`` (with this payload ``digest``, when given)."""
        found = self._done.get((kind, key))
        return found is not None and (digest is None or digest in found)

    def is_pending(self, kind: str, key: str) -> bool:
        """Whether ``key`` was being sent when an earlier run stopped."""
        return (kind, key) in self._pending

    # -- writing ----------------------------------------------------------------------------
    def sending(self, kind: str, key: str) -> None:
        self._write({"kind": kind, "key": key, "state": SENDING})
        self._pending.add((kind, key))

    def done(self, kind: str, key: str, digest: str = "") -> None:
        self._write({"kind": kind, "key": key, "state": DONE, "digest": digest})
        self._pending.discard((kind, key))
        self._done.setdefault((kind, key), set()).add(digest)

    def import_sending(self, key: str, at: float) -> None:
        """Before the POST of import ``key``: it may be created from now on."""
        self._write({"kind": IMPORT, "key": key, "state": SENDING, "at": at})
        self._imports[key] = ImportEntry(SENDING, "", at)

    def import_accepted(self, key: str, ref: str) -> None:
        """Connectif accepted import ``key`` as ``ref``."""
        self._write({"kind": IMPORT, "key": key, "state": ACCEPTED, "ref": ref})
        self._imports[key] = ImportEntry(ACCEPTED, ref)

    def import_ended(self, key: str, ref: str, *, finished: bool) -> None:
        """Import ``ref`` ended: ``done`` when it finished, else ``failed`` (a later run starts
        a new one)."""
        state = DONE if finished else FAILED
        self._write({"kind": IMPORT, "key": key, "state": state, "ref": ref})
        self._imports[key] = ImportEntry(state, ref)

    def _write(self, entry: dict[str, Any]) -> None:
        if self._handle is None:
            raise JournalError(f"journal {str(self.path)!r} is not open")
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        self._append(self._handle, line.encode("utf-8"))

    def _append(self, handle: IO[bytes], data: bytes) -> None:
        try:
            # One write on an O_APPEND descriptor, then to disk before the next request.
            os.write(handle.fileno(), data)
            os.fsync(handle.fileno())
        except OSError as exc:
            raise JournalError(f"cannot write journal {str(self.path)!r}: {exc.strerror}") from None


def _lock(handle: IO[bytes], path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise JournalError(
            f"journal {str(path)!r} is in use by another run; wait for it to finish"
        ) from None

"""Write files so that nothing the user had is lost or half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Temporaries are named after the file and the writing process, so that a later write can tell
# the leftovers of a killed writer from the work of one still running.
_TEMP_PREFIX = ".{name}.tagkit-{pid}-"
_TEMP_SUFFIX = ".tmp"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_leftovers(path: Path) -> list[Path]:
    """Delete the temporaries that writers of ``path`` killed mid-write left behind; returns
    them. A temporary of a process still running is kept."""
    removed = []
    for candidate in path.parent.glob(f".{path.name}.tagkit-*{_TEMP_SUFFIX}"):
        pid_text = candidate.name[len(f".{path.name}.tagkit-") :].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        try:
            candidate.unlink()
        except OSError:
            continue
        removed.append(candidate)
    return removed


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed over
    ``path``. A new file gets the usual 0644-minus-umask mode (not ``mkstemp``'s 0600), so a web
    server can serve it; a replaced file keeps its mode. Text is written as UTF-8. Temporaries
    that a killed earlier write left behind are removed first.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o644 & ~umask
    prefix = _TEMP_PREFIX.format(name=path.name, pid=os.getpid())
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=_TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""``tagkit lint`` draws click's progress bar on stderr when stderr is a terminal and there
are more than 20 pages; never on stdout, never otherwise. Run in a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = (
    '<!doctype html><title>p</title><script async src="https://cdn.connectif.cloud/eu1/'
    'client-script/0f8fad5b-d9cb-469f-a165-70867728950e"></script>'
)
BAR = "linting  ["


def site(tmp_path: Path, pages: int) -> Path:
    folder = tmp_path / f"site-{pages}"
    folder.mkdir()
    for i in range(pages):
        (folder / f"p{i:02}.html").write_text(PAGE, encoding="utf-8")
    return folder


def lint(folder: Path, *, terminal: bool) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``tagkit lint folder``, stderr on a pseudo-terminal
    when ``terminal``."""
    command = [sys.executable, "-m", "tagkit.cli", "lint", str(folder)]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        return done.returncode, done.stdout, done.stderr
    primary, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=secondary
        )
        os.close(secondary)
        received = b""
        while True:
            ready, _, _ = select.select([primary], [], [], 60)
            if not ready:
                process.kill()
                pytest.fail("tagkit lint wrote nothing to the terminal for 60 s")
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        assert process.stdout is not None
        stdout = process.stdout.read().decode()
        process.stdout.close()
        code = process.wait(timeout=60)
    finally:
        os.close(primary)
    return code, stdout, received.decode(errors="replace")


def test_more_than_20_pages_on_a_terminal_get_a_bar_on_stderr(tmp_path: Path) -> None:
    code, stdout, stderr = lint(site(tmp_path, 21), terminal=True)
    assert code == 0
    assert BAR in stderr and "]  100%" in stderr
    assert "linting" not in stdout
    assert stdout == "0 errors, 0 warnings, 0 info on 21 pages\n"


@pytest.mark.parametrize(("pages", "terminal"), [(20, True), (21, False)])
def test_no_bar_for_20_pages_or_without_a_terminal(
    tmp_path: Path, pages: int, terminal: bool
) -> None:
    code, stdout, stderr = lint(site(tmp_path, pages), terminal=terminal)
    assert code == 0
    assert "linting" not in stderr + stdout
    assert stdout == f"0 errors, 0 warnings, 0 info on {pages} pages\n"

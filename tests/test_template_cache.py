"""Compiled templates are kept between runs; a cache that cannot be used is no cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RENDER = (
    "from tagkit import render_page, render_page_events;"
    "print(render_page({'search': 'red shoe'}));"
    "print(render_page_events({'search': 'red shoe'}, render_id='r'))"
)


def _run(cache: str) -> str:
    env = {**os.environ, "TAGKIT_CACHE_DIR": cache}
    done = subprocess.run(
        [sys.executable, "-c", RENDER], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _run("")  # no cache at all


def test_the_first_run_fills_the_cache_and_the_next_reads_it(tmp_path: Path, expected: str) -> None:
    cache = tmp_path / "cache"
    assert _run(str(cache)) == expected
    entries = sorted(cache.iterdir())
    assert entries, "the templates were not cached"
    stamps = [entry.stat().st_mtime_ns for entry in entries]
    assert _run(str(cache)) == expected
    assert [entry.stat().st_mtime_ns for entry in sorted(cache.iterdir())] == stamps


def test_a_broken_cache_entry_is_compiled_again(tmp_path: Path, expected: str) -> None:
    cache = tmp_path / "cache"
    _run(str(cache))
    for entry in cache.iterdir():
        entry.write_bytes(b"not a template")
    assert _run(str(cache)) == expected


def test_a_cache_folder_that_cannot_be_made_is_no_cache(tmp_path: Path, expected: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    assert _run(str(blocker / "cache")) == expected

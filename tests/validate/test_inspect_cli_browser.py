"""``tagkit inspect --browser`` runs the page in Chromium through tagkit.testing, in its own
process (as the command runs), and exits 1 with a diff when the views differ."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tagkit.testing._browser import chromium_candidates

pytestmark = pytest.mark.browser


def inspect(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not chromium_candidates() and os.environ.get("TAGKIT_REQUIRE_BROWSER") != "1":
        pytest.skip("no Chromium")
    return subprocess.run(
        [sys.executable, "-m", "tagkit.cli", "inspect", str(page), "--browser", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_browser_agrees_on_a_hidden_page(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<div class="cn_search" hidden><span class="search_text"> red </span></div>')
    done = inspect(page, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"searchText": "red"' in done.stdout
    assert "The browser's request equals tagkit's static view." in done.stderr


def test_a_visible_container_read_through_css_differs(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<div class="cn_search"><span class="search_text" style="text-transform:uppercase">'
        "red</span></div>"
    )
    done = inspect(page)
    assert done.returncode == 1
    assert (
        '-      "searchText": "red",' in done.stderr or '-      "searchText": "red"' in done.stderr
    )
    assert '+      "searchText": "RED"' in done.stderr
    assert "Traceback" not in done.stderr

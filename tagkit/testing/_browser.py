"""Find and launch the Chromium the harness drives."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# Quiet, deterministic and able to run as root in containers; no traffic of Chromium's own.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
)

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")

_HOW_TO_FIX = (
    "Install Chromium (`apt-get install -y chromium`) or point TAGKIT_CHROMIUM or "
    "--tagkit-chromium at a Chromium binary; where downloads are allowed, "
    "`playwright install chromium` also works."
)


class BrowserUnavailable(RuntimeError):
    """No Chromium could be launched; the message lists what was tried and how to fix it."""


def chromium_candidates(explicit: Path | None = None) -> list[Path]:
    """The Chromium binaries to try, in order.

    An explicit path (``--tagkit-chromium``) is the only candidate. Otherwise the
    ``TAGKIT_CHROMIUM`` environment variable and then ``/usr/bin/chromium``, keeping those
    that exist; an empty list means "use Playwright's own browser".

    >>> chromium_candidates(Path("/opt/chromium/chrome"))
    [PosixPath('/opt/chromium/chrome')]
    """
    if explicit is not None:
        return [explicit]
    candidates: list[Path] = []
    from_env = os.environ.get("TAGKIT_CHROMIUM")
    if from_env:
        candidates.append(Path(from_env))
    candidates.append(SYSTEM_CHROMIUM)
    unique = list(dict.fromkeys(candidates))
    return [path for path in unique if path.is_file()]


def launch_chromium(playwright: Playwright, explicit: Path | None = None) -> Browser:
    """Launch headless Chromium with :data:`CHROMIUM_ARGS`.

    Tries :func:`chromium_candidates` in order, then (unless a path was given explicitly)
    Playwright's own downloaded browser. Raises :class:`BrowserUnavailable` when nothing starts.

    Example (run in a test with the browser)::

        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = launch_chromium(p)
    """
    from playwright.sync_api import Error as PlaywrightError

    failures: list[str] = []
    for path in chromium_candidates(explicit):
        try:
            return playwright.chromium.launch(
                executable_path=str(path), headless=True, args=list(CHROMIUM_ARGS)
            )
        except PlaywrightError as error:
            failures.append(f"{path}: {_first_line(error)}")
    if explicit is None:
        if not failures:
            failures.append(f"no TAGKIT_CHROMIUM set and no {SYSTEM_CHROMIUM}")
        try:
            return playwright.chromium.launch(headless=True, args=list(CHROMIUM_ARGS))
        except PlaywrightError as error:
            failures.append(f"Playwright's own Chromium: {_first_line(error)}")
    tried = "\n".join(f"  - {failure}" for failure in failures)
    raise BrowserUnavailable(f"no Chromium could be launched:\n{tried}\n{_HOW_TO_FIX}")


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__

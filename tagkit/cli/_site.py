"""The command for static sites: ``inject``.

Library modules are imported inside the command, so ``tagkit --help`` loads only click.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

import click

from ._errors import EXIT_INVALID, FileProblem, OutputError, UsageProblem, command
from ._options import FILE, FOLDER

if TYPE_CHECKING:
    from pathlib import Path

    from .._inject import Outcome, SiteConfig

CONFIG_NAME = "tagkit.toml"
# A progress bar is worth drawing from this many pages on.
PROGRESS_FROM = 21


@command("inject")
@click.argument("site_dir", metavar="SITE_DIR", type=FOLDER)
@click.option(
    "--config",
    "config_path",
    type=FILE,
    metavar="FILE",
    help=f"The site's settings and rules (default: ./{CONFIG_NAME}).",
)
@click.option("--dry-run", is_flag=True, help="Print a unified diff of each change; write nothing.")
@click.option(
    "--check", is_flag=True, help="Exit 1 if any page would change (for CI); write nothing."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Pages prepared at once; 0 for one per CPU.",
)
def inject(site_dir: str, config_path: str | None, dry_run: bool, check: bool, jobs: int) -> None:
    """Put the Connectif loader and each page's tags or event script into built HTML.

    For every *.html under SITE_DIR the block goes right after <body> (without one, after
    </head>, <html> or the doctype), between <!-- tagkit:begin --> and <!-- tagkit:end -->
    markers: a second run replaces it, and a run with the same data changes no byte. Nothing
    else in the file changes: encoding, byte-order mark, line breaks, letter case.

    A page's data is a page document: every matching [[rules]] entry of the config, then its
    sidecar file (shoe.html -> shoe.tagkit.json). A page with neither gets the loader alone
    (in events mode, also the page-visit script). Each file is replaced atomically. A page
    whose data is wrong is named with the field, left untouched, and the exit code is 1; the
    other pages are still done.

    \b
    tagkit.toml:
      store_id = "0f8fad5b-d9cb-469f-a165-70867728950e"
      region = "eu6"
      mode = "tags"              # "events" when auto-send on init is off
      service_worker = true      # writes SITE_DIR/service-worker.js
      [[rules]]
      match = "/products/**"
      page = { page_categories = ["/Shoes"] }

    The 'sha256-...' sources of the inline scripts inserted are printed last, for the
    Content-Security-Policy.

    \b
    Examples:
      tagkit inject public/
      tagkit inject public/ --check
    """
    from pathlib import Path

    from .._inject import html_files, plan, plan_worker

    site = Path(site_dir)
    if not site.is_dir():
        raise UsageProblem(f"{site} is not a folder")
    config = _config(Path(config_path) if config_path is not None else None)
    if jobs == 0:
        import os

        jobs = os.cpu_count() or 1
    pages = html_files(site)
    write_files = not (dry_run or check)
    failed = changed = 0
    hashes: list[str] = []
    worker = plan_worker(site, config)
    outcomes = plan(site, config, pages, jobs)
    show_bar = len(pages) >= PROGRESS_FROM and _terminal()
    with contextlib.ExitStack() as stack:
        if show_bar:
            outcomes = stack.enter_context(
                click.progressbar(outcomes, length=len(pages), label="pages", file=sys.stderr)
            )
        for outcome in outcomes:
            failed += _report(
                outcome, dry_run=dry_run, check=check, write_files=write_files, quiet=show_bar
            )
            changed += outcome.changed
            hashes.extend(h for h in outcome.hashes if h not in hashes)
    worker_failed = 0
    if worker is not None:
        worker_failed = _report(worker, dry_run=dry_run, check=check, write_files=write_files)
        changed_worker = worker.changed
    else:
        changed_worker = False
    verb = "would change" if not write_files else "changed"
    click.echo(
        f"{len(pages)} page(s): {changed} {verb}, {len(pages) - changed - failed} unchanged, "
        f"{failed} with problems",
        err=True,
    )
    if hashes:
        click.echo("script-src " + " ".join(hashes))
    if failed or worker_failed or (check and (changed or changed_worker)):
        click.get_current_context().exit(EXIT_INVALID)


def _terminal() -> bool:
    """Whether stderr is a terminal, where a progress bar helps rather than clutters."""
    return sys.stderr.isatty()


def _config(path: Path | None) -> SiteConfig:
    from pathlib import Path

    from .._inject import load

    if path is None:
        path = Path(CONFIG_NAME)
        if not path.is_file():
            raise UsageProblem(
                f"no {CONFIG_NAME} in the current folder: pass --config FILE, a TOML file with "
                "store_id, region and mode (see tagkit inject --help)"
            )
    try:
        return load(path)
    except OSError as exc:
        raise FileProblem(f"--config: cannot read {str(path)!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FileProblem(f"--config: {str(path)!r} is not UTF-8 text") from None
    except ValueError as exc:
        if type(exc).__name__ == "TOMLDecodeError":
            raise FileProblem(f"--config: {str(path)!r} is not valid TOML: {exc}") from None
        raise


def _report(
    outcome: Outcome, *, dry_run: bool, check: bool, write_files: bool, quiet: bool = False
) -> int:
    """Print what happens to one file and write it; 1 if it has problems. ``quiet`` leaves
    out the line per changed file (the progress bar shows the progress)."""
    from .._inject import write

    if outcome.problems:
        for line in outcome.problems:
            click.echo(f"error: {line}", err=True)
        return 1
    if not outcome.changed:
        return 0
    if dry_run:
        click.echo(_diff(outcome), nl=False)
    if check and not dry_run and not quiet:
        click.echo(f"would change {outcome.name}", err=True)
    if write_files:
        try:
            write(outcome)
        except OSError as exc:
            raise OutputError(f"cannot write {str(outcome.path)!r}: {exc.strerror}") from None
        if not quiet:
            click.echo(f"wrote {outcome.name}", err=True)
    return 0


def _diff(outcome: Outcome) -> str:
    import difflib

    encoding = outcome.encoding if outcome.encoding != "unknown" else "latin-1"

    def lines(data: bytes | None) -> list[str]:
        if data is None:
            return []
        return data.decode(encoding, errors="replace").splitlines(keepends=True)

    diff = difflib.unified_diff(
        lines(outcome.old), lines(outcome.new), f"a/{outcome.name}", f"b/{outcome.name}"
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
    return text


COMMANDS: tuple[click.Command, ...] = (inject,)

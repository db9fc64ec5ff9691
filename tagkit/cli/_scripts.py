"""The commands for a site's scripts and policy: ``loader``, ``service-worker``, ``static``,
``csp``.

Library modules are imported inside the commands, so ``tagkit --help`` and each command load
only what they use.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from ._errors import TagkitCommand, UsageProblem, command
from ._io import folder, install, read_text
from ._options import FILE, FOLDER, no_inline_option, nonce_option

if TYPE_CHECKING:
    from pathlib import Path

# Shown in help texts, which must not import the library; tests check them against
# tagkit._scripts.DEFAULT_WORKER_URL and WORKER_FILE_NAME.
WORKER_URL_HELP = "https://cdn.connectif.cloud/scripts/service-worker.js"
WORKER_FILE_HELP = "service-worker.js"

# -- tagkit loader --------------------------------------------------------------------------


@command("loader")
@click.option("--store-id", required=True, metavar="ID", help="The store's id (a UUID).")
@click.option(
    "--region",
    metavar="REGION",
    help="The store's region, like eu6 (from Connectif's snippet). Required unless --url.",
)
@click.option(
    "--url",
    metavar="URL",
    help="A full client-script URL replacing Connectif's CDN URL (tests, proxies).",
)
@nonce_option("set on the loader, which copies it to the client script")
@no_inline_option("print a plain <script async src=...> instead of the loader")
def loader(
    store_id: str, region: str | None, url: str | None, nonce: str | None, no_inline: bool
) -> None:
    """Print the loader of Connectif's client script: once per page, first thing in <body>.

    \b
    Example:
      tagkit loader --store-id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 --region eu6
    """
    from .. import render_loader

    if region is None and url is None:
        raise UsageProblem("--region is required unless --url is given")
    click.echo(render_loader(store_id, region, url=url, nonce=nonce, inline=not no_inline))


# -- tagkit service-worker ------------------------------------------------------------------


@command("service-worker")
@click.option(
    "--out",
    type=FILE,
    metavar="PATH",
    help=f"Write the file here (a folder gets {WORKER_FILE_HELP}); default: print it.",
)
@click.option(
    "--worker-url",
    metavar="URL",
    help="The worker to import (absolute https; http only for localhost). "
    f"Default: Connectif's, {WORKER_URL_HELP}",
)
@click.option("--force", is_flag=True, help="Replace an existing file with different content.")
def service_worker(out: str | None, worker_url: str | None, force: bool) -> None:
    """Print or write the Web Push service worker: one importScripts of Connectif's worker.

    Connectif registers it, not your pages: after writing it, enter its public URL in the
    store's Web Push settings (the steps are printed on stderr). Writing is atomic; an existing
    different file is kept unless --force.

    \b
    Example:
      tagkit service-worker --out public/
    """
    from pathlib import Path

    from .. import render_service_worker
    from .._scripts import WORKER_FILE_NAME, setup_instructions

    text = render_service_worker() if worker_url is None else render_service_worker(worker_url)
    if out is None:
        click.echo(text, nl=False)
    else:
        # A folder (existing, or written with a trailing slash) gets the default file name.
        is_dir = out.endswith(("/", os.sep)) or Path(out).is_dir()
        path = Path(out) / WORKER_FILE_NAME if is_dir else Path(out)
        click.echo(install(path, text.encode("utf-8"), force=force))
    click.echo(setup_instructions(), err=True)


# -- tagkit static --------------------------------------------------------------------------


@command("static")
@click.argument("dest", type=FOLDER)
def static(dest: str) -> None:
    """Copy tagkit's browser files (tagkit-events.js, tagkit-cart.js) into DEST, a folder of
    your site.

    tagkit-events.js sends --no-inline event scripts: include it once per page with
    <script src="/tagkit-events.js" defer></script> (adjust the path). tagkit-cart.js gives
    AJAX carts tagkit.refreshCart(url). Existing copies are replaced atomically when they
    differ, so run it again after upgrading tagkit.

    \b
    Example:
      tagkit static public/
    """
    from .._resources import static_path
    from ..events import RUNTIME_FILES

    target = folder(dest)
    for name in RUNTIME_FILES:
        try:
            data = static_path(name).read_bytes()
        except OSError as exc:  # pragma: no cover - a broken installation
            raise UsageProblem(
                f"tagkit's {name} is missing ({exc.strerror}); reinstall tagkit"
            ) from None
        click.echo(install(target / name, data, force=True))
    click.echo(
        f'Include them once per page: <script src="/{RUNTIME_FILES[0]}" defer></script> '
        "(the path where DEST is served), and the cart kit where carts change without a "
        "page load.",
        err=True,
    )


# -- tagkit csp -----------------------------------------------------------------------------


def csp_help() -> str:
    """The help of ``tagkit csp``: the reason for every source, from :mod:`tagkit._csp`."""
    import textwrap

    from .._csp import SOURCES, WORKER_SOURCES

    lines = [
        "Print the Content-Security-Policy sources a page with tagkit needs, one directive",
        "per line; --header prints them as one header value.",
        "",
        "With --hash, also the 'sha256-...' sources of every inline script in the HTML FILEs",
        "(folders are searched for *.html): scripts without src whose type runs (not",
        "application/json islands). Hash the final files: an inline event script changes with",
        "every render, so for server-rendered pages use a nonce or --no-inline instead.",
        "",
        "Why each source:",
        "",
        "\b",
    ]
    for source in (*SOURCES, *WORKER_SOURCES):
        lines.append(f"  {source.directive} {source.value}")
        lines.extend(
            textwrap.wrap(
                source.reason,
                76,
                initial_indent=" " * 6,
                subsequent_indent=" " * 6,
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
    lines += [
        "",
        "With nonces, add 'nonce-<value>' to script-src in each response and pass the same",
        "value to --nonce of tagkit event and tagkit loader.",
        "",
        "\b",
        "Examples:",
        "  tagkit csp --header",
        "  tagkit csp --hash site/",
    ]
    return "\n".join(lines)


class CspCommand(TagkitCommand):
    """``tagkit csp``, whose help is built from :mod:`tagkit._csp` only when it is shown."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help is None:
            self.help = csp_help()
        super().format_help_text(ctx, formatter)


def _html_files(paths: tuple[str, ...]) -> Iterator[Path]:
    from pathlib import Path

    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm"))
        else:
            yield path


@click.command(
    "csp",
    cls=CspCommand,
    short_help="Print the Content-Security-Policy sources a page with tagkit needs.",
)
@click.option("--hash", "hash_files", is_flag=True, help="Hash the inline scripts of FILE...")
@click.option("--header", is_flag=True, help="Print one Content-Security-Policy header value.")
@click.argument("files", nargs=-1, metavar="[FILE]...", type=FILE)
def csp(hash_files: bool, header: bool, files: tuple[str, ...]) -> None:
    from .._csp import WORKER_SOURCES, format_policy, inline_scripts, policy_sources

    if files and not hash_files:
        raise UsageProblem("FILE arguments need --hash (tagkit csp --hash FILE...)")
    if hash_files and not files:
        raise UsageProblem("--hash needs at least one HTML FILE or folder")
    hashes: list[str] = []
    for path in _html_files(files):
        for script in inline_scripts(read_text(path)):
            click.echo(f"{path}:{script.line}: {script.hash}", err=True)
            hashes.append(script.hash)
    sources = policy_sources(hashes=hashes)
    if header:
        click.echo(format_policy(sources))
    else:
        for part in format_policy(sources).split("; "):
            click.echo(part)
    worker = format_policy(WORKER_SOURCES)
    click.echo(f"service-worker.js response, if it has a CSP header: {worker}", err=True)


COMMANDS: tuple[click.Command, ...] = (loader, service_worker, static, csp)

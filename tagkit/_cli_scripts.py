"""The ``tagkit`` commands for scripts: ``event``, ``loader``, ``service-worker``, ``static``,
``csp``. ``tagkit.cli`` calls :func:`register` to add them to the main group.

"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import click

from . import events as ev
from ._cliutil import EXIT_USAGE, fail, load_data, reporting
from ._files import write_atomic
from .scripts import DEFAULT_WORKER_URL, WORKER_FILE_NAME

CART_TYPE = "cart"
# The order of the help text: page-visit, the tag events in the client's order, custom, cart.
COMMAND_TYPES: tuple[str, ...] = (
    ev.PAGE_VISIT,
    *(t for t in ev.EVENT_TYPES if t not in (ev.PAGE_VISIT, ev.CUSTOM_EVENT)),
    ev.CUSTOM_EVENT,
    CART_TYPE,
)


def _read_existing(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        fail(f"cannot read {str(path)!r}: {exc.strerror}", EXIT_USAGE)


def _install(path: Path, data: bytes, *, force: bool) -> str:
    """Write ``data`` to ``path`` unless it is already there; returns what happened."""
    existing = _read_existing(path)
    if existing == data:
        return f"{path} is up to date"
    if existing is not None and not force:
        fail(
            f"{path} exists with different content; not replacing it. Compare them, then run "
            "again with --force to replace it"
        )
    try:
        write_atomic(path, data)
    except OSError as exc:
        fail(f"cannot write {str(path)!r}: {exc.strerror}")
    return f"wrote {path}"


# -- tagkit event -------------------------------------------------------------------------


def _needs_data(event_type: str) -> bool:
    return event_type == CART_TYPE or ev.needs_data(event_type)


@click.command("event")
@click.argument("event_type", metavar="TYPE")
@click.option(
    "--data",
    "data_path",
    metavar="FILE",
    help="JSON file with the event's data, or - for standard input.",
)
@click.option(
    "--contact",
    "contact_path",
    metavar="FILE",
    help="JSON contact (primary_key, _name, custom fields ...), sent as entityInfo. Required "
    "for login and register (D3).",
)
@click.option(
    "--cart",
    "cart_path",
    metavar="FILE",
    help="JSON cart sent with the event, e.g. the emptied cart with a purchase (D2).",
)
@click.option(
    "--page-visit",
    is_flag=True,
    help="End the call with page-visit: the first call of a page view in JS mode (D14).",
)
@click.option("--nonce", metavar="N", help="The page's CSP nonce, set on the <script>.")
@click.option(
    "--no-inline",
    is_flag=True,
    help="Write a JSON island for tagkit-events.js instead of an inline script.",
)
def event_command(
    event_type: str,
    data_path: str | None,
    contact_path: str | None,
    cart_path: str | None,
    page_visit: bool,
    nonce: str | None,
    no_inline: bool,
) -> None:
    """Print a <script> that sends one event with connectif.managed.sendEvents.

    TYPE is one of: page-visit, product-visited, product-searched, search, login, register,
    newsletter-subscribe, purchase, custom, cart.

    \b
    --data FILE holds the event's data, as in a page document:
      product-visited, product-searched   a product
      search                              {"search_text": "red shoe"}
      newsletter-subscribe                {"email": "ana@shop.example"}
      purchase                            a purchase
      custom                              {"event_id": "...", "payload": {"size": 42}}
      cart                                a cart (sent as sendEvents([], {cart}))
    page-visit, login and register take no data.

    The script waits for Connectif's client and sends once, even if included twice.

    \b
    Example:
      echo '{"search_text": "red shoe"}' | tagkit event search --data - --page-visit
    """

    if event_type not in COMMAND_TYPES:
        raise click.BadParameter(
            f"unknown event type {event_type!r}; expected one of: {', '.join(COMMAND_TYPES)}",
            param_hint="TYPE",
        )
    if _needs_data(event_type) and data_path is None:
        raise click.UsageError(f"{event_type} needs --data FILE (JSON, or - for stdin)")
    if not _needs_data(event_type) and data_path is not None:
        hint = " (pass the contact with --contact FILE)" if event_type in ev.NEEDS_CONTACT else ""
        raise click.UsageError(f"{event_type} takes no --data{hint}")
    if event_type == CART_TYPE and cart_path is not None:
        raise click.UsageError("cart takes its cart from --data; leave out --cart")
    if [data_path, contact_path, cart_path].count("-") > 1:
        raise click.UsageError("only one of --data, --contact and --cart can read stdin (-)")
    data = None if data_path is None else load_data(data_path)
    contact = None if contact_path is None else load_data(contact_path, what="--contact")
    cart = None if cart_path is None else load_data(cart_path, what="--cart")
    with reporting():
        events: list[ev.Event] = []
        if event_type == CART_TYPE:
            cart = data
        elif event_type == ev.PAGE_VISIT:
            page_visit = True
        else:
            events.append(ev.event(event_type, data))
        html = ev.render_events(
            events,
            contact=contact,
            cart=cart,
            page_visit=page_visit,
            nonce=nonce,
            inline=not no_inline,
        )
    click.echo(html)


# -- tagkit loader ------------------------------------------------------------------------


@click.command("loader")
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
@click.option("--nonce", metavar="N", help="The page's CSP nonce; copied to the client script.")
@click.option(
    "--no-inline",
    is_flag=True,
    help="Print a plain <script async src=...> with no inline code (strict CSP).",
)
def loader_command(
    store_id: str, region: str | None, url: str | None, nonce: str | None, no_inline: bool
) -> None:
    """Print the loader of Connectif's client script: once per page, first thing in <body>.

    \b
    Example:
      tagkit loader --store-id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 --region eu6
    """
    from .scripts import render_loader

    if region is None and url is None:
        raise click.UsageError("--region is required unless --url is given")
    with reporting():
        html = render_loader(store_id, region, url=url, nonce=nonce, inline=not no_inline)
    click.echo(html)


# -- tagkit service-worker ----------------------------------------------------------------


@click.command("service-worker")
@click.option(
    "--out",
    type=click.Path(dir_okay=True),
    metavar="PATH",
    help=f"Write the file here (a folder gets {WORKER_FILE_NAME}); default: print it.",
)
@click.option(
    "--worker-url",
    default=DEFAULT_WORKER_URL,
    show_default=True,
    metavar="URL",
    help="The worker to import (absolute https; http only for localhost).",
)
@click.option("--force", is_flag=True, help="Replace an existing file with different content.")
def service_worker_command(out: str | None, worker_url: str, force: bool) -> None:
    """Print or write the Web Push service worker: one importScripts of Connectif's worker.

    Connectif registers it, not your pages: after writing it, enter its public URL in the
    store's Web Push settings (the steps are printed on stderr). Writing is atomic; an existing
    different file is kept unless --force.
    """
    from .scripts import render_service_worker, setup_instructions

    with reporting():
        text = render_service_worker(worker_url)
    if out is None:
        click.echo(text, nl=False)
    else:
        # A folder (existing, or written with a trailing slash) gets the default file name.
        is_dir = out.endswith(("/", os.sep)) or Path(out).is_dir()
        path = Path(out) / WORKER_FILE_NAME if is_dir else Path(out)
        click.echo(_install(path, text.encode("utf-8"), force=force))
    click.echo(setup_instructions(), err=True)


# -- tagkit static ------------------------------------------------------------------------


@click.command("static")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def static_command(dest: Path) -> None:
    """Copy tagkit's browser runtime (tagkit-events.js) into DEST, a folder of your site.

    Needed for --no-inline event scripts: include it once per page with
    <script src="/tagkit-events.js" defer></script> (adjust the path). Existing copies are
    replaced atomically when they differ, so run it again after upgrading tagkit.
    """
    from ._resources import static_path

    for name in ev.RUNTIME_FILES:
        try:
            data = static_path(name).read_bytes()
        except OSError as exc:  # pragma: no cover - a broken installation
            fail(f"tagkit's {name} is missing ({exc.strerror}); reinstall tagkit", EXIT_USAGE)
        if dest.exists() and not dest.is_dir():
            fail(f"{dest} is not a folder", EXIT_USAGE)
        click.echo(_install(dest / name, data, force=True))
    click.echo(
        f'Include it once per page: <script src="/{ev.RUNTIME_FILES[0]}" defer></script> '
        "(the path where DEST is served).",
        err=True,
    )


# -- tagkit csp ---------------------------------------------------------------------------


def _html_files(paths: tuple[Path, ...]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm"))
        else:
            yield path


def _csp_help() -> str:
    from .csp import SOURCES, WORKER_SOURCES

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
    ]
    return "\n".join(lines)


@click.command("csp", help=_csp_help())
@click.option("--hash", "hash_files", is_flag=True, help="Hash the inline scripts of FILE...")
@click.option("--header", is_flag=True, help="Print one Content-Security-Policy header value.")
@click.argument(
    "files", nargs=-1, metavar="[FILE]...", type=click.Path(path_type=Path, exists=False)
)
def csp_command(hash_files: bool, header: bool, files: tuple[Path, ...]) -> None:
    from .csp import WORKER_SOURCES, format_policy, inline_scripts, policy_sources

    if files and not hash_files:
        raise click.UsageError("FILE arguments need --hash (tagkit csp --hash FILE...)")
    if hash_files and not files:
        raise click.UsageError("--hash needs at least one HTML FILE or folder")
    hashes: list[str] = []
    for path in _html_files(files):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            fail(f"{path} is not UTF-8 text", EXIT_USAGE)
        except OSError as exc:
            fail(f"cannot read {str(path)!r}: {exc.strerror}", EXIT_USAGE)
        for script in inline_scripts(text):
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


def register(group: click.Group) -> None:
    """Add ``event``, ``loader``, ``service-worker``, ``static`` and ``csp`` to ``group``."""
    for command in (
        event_command,
        loader_command,
        service_worker_command,
        static_command,
        csp_command,
    ):
        group.add_command(command)

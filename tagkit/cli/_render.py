"""The commands that print tags and event scripts, and describe the data: ``render``, ``page``,
``event``, ``tags``, ``schema``, ``demo``.

Library modules are imported inside the commands, so ``tagkit --help`` and each command load
only what they use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ._errors import FileProblem, OutputError, UsageProblem, command
from ._io import folder, load_json, one_stdin, write
from ._options import (
    FOLDER,
    cart_option,
    contact_option,
    data_option,
    hidden_option,
    no_inline_option,
    nonce_option,
    tag_argument,
)

if TYPE_CHECKING:
    from pathlib import Path

    from ..vocabulary import Prop, Tag

NEEDS_DATA = "{} needs --data FILE (JSON, or - for stdin)"
# tagkit page --mode: hidden tags, or one script of events.
TAGS_MODE = "tags"  # not a Connectif name
EVENTS_MODE = "events"  # not a Connectif name


def lookup_tag(name: str) -> Tag:
    """The tag named by a TAG argument, or :class:`UsageProblem`."""
    from ..vocabulary import lookup_tag

    try:
        return lookup_tag(name)
    except KeyError as exc:
        raise UsageProblem(str(exc.args[0])) from None


# -- tagkit render --------------------------------------------------------------------------


@command()
@tag_argument()
@data_option("the tag's data")
@hidden_option
def render(tag: str, data_path: str | None, hidden: bool) -> None:
    """Print one tag's HTML.

    TAG is the Connectif class (cn_cart) or its short name: cart, client-info, purchase,
    product-visited, product-searched, search, login, register, newsletter-subscribe,
    page-category, page-tag.

    \b
    Example:
      echo '{"search_text": "red shoe"}' | tagkit render search --data -
    """
    from .. import render_tag

    spec = lookup_tag(tag)
    if data_path is None and spec.instances != "presence":
        raise UsageProblem(NEEDS_DATA.format(spec.short))
    data = None if data_path is None else load_json(data_path)
    click.echo(render_tag(spec.name, data, hidden=hidden))


# -- tagkit page ----------------------------------------------------------------------------


@command()
@data_option("the page document", required=True)
@click.option(
    "--mode",
    type=click.Choice([TAGS_MODE, EVENTS_MODE]),
    default=TAGS_MODE,
    show_default=True,
    help="tags: hidden tags, read by the client at start-up (store setting 'auto-send events "
    "on init' on). events: one script calling sendEvents, ending with page-visit (auto-send "
    "off, single-page apps); page categories and tags stay tags.",
)
@nonce_option("set on the script (--mode events)")
@no_inline_option(
    "--mode events writes the data as a JSON island read by tagkit-events.js (see 'tagkit static')"
)
@hidden_option
def page(data_path: str, mode: str, nonce: str | None, no_inline: bool, hidden: bool) -> None:
    """Print every tag of one page from a page document.

    The document is a JSON object with any of: contact, cart, purchases (list),
    product_visited (list), product_searched (list), search (the text), login, register
    (true/false), newsletter_subscribe ({"email": ...}), page_categories, page_tags (lists),
    and, in events mode only, custom_events (a list of {"event_id", "payload"}).

    \b
    Examples:
      tagkit page --data page.json
      tagkit page --data page.json --mode events --nonce "$NONCE"
    """
    if mode == EVENTS_MODE:
        from .. import render_page_events

        data = load_json(data_path)
        click.echo(render_page_events(data, nonce=nonce, inline=not no_inline, hidden=hidden))
        return
    if nonce is not None or no_inline:
        raise UsageProblem("--nonce and --no-inline apply to --mode events only")
    from .. import render_page
    from ..vocabulary import JS_ONLY

    data = load_json(data_path)
    if isinstance(data, dict):
        for entry in JS_ONLY:  # custom_events
            if entry.page_key in data:
                raise UsageProblem(
                    f"{entry.page_key} can only be sent from JavaScript; "
                    "use --mode events, or remove them from the page document"
                )
    click.echo(render_page(data, hidden=hidden))


# -- tagkit event ---------------------------------------------------------------------------

CART_TYPE = "cart"


def event_types() -> tuple[str, ...]:
    """TYPE's values: page-visit, the events in the library's order, custom, then cart."""
    from .. import events as ev

    last = (ev.PAGE_VISIT, ev.CUSTOM_EVENT)
    tag_events = [t for t in ev.EVENT_TYPES if t not in last]
    custom = [t for t in ev.EVENT_TYPES if t == ev.CUSTOM_EVENT]
    return (ev.PAGE_VISIT, *tag_events, *custom, CART_TYPE)


@command("event")
@click.argument("event_type", metavar="TYPE")
@data_option("the event's data")
@contact_option
@cart_option
@click.option(
    "--page-visit",
    is_flag=True,
    help="End the call with page-visit: the first call of a page view in JS mode.",
)
@nonce_option("set on the <script>")
@no_inline_option("write a JSON island for tagkit-events.js instead of an inline script")
def event(
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
    Examples:
      echo '{"search_text": "red shoe"}' | tagkit event search --data - --page-visit
      tagkit event login --contact contact.json
    """
    from .. import events as ev

    types = event_types()
    if event_type not in types:
        raise UsageProblem(
            f"unknown event type {event_type!r}; expected one of: {', '.join(types)}"
        )
    needs_data = event_type == CART_TYPE or ev.needs_data(event_type)
    if needs_data and data_path is None:
        raise UsageProblem(NEEDS_DATA.format(event_type))
    if not needs_data and data_path is not None:
        # page-visit, login and register: the last two take the contact instead.
        hint = "" if event_type == ev.PAGE_VISIT else " (pass the contact with --contact FILE)"
        raise UsageProblem(f"{event_type} takes no --data{hint}")
    if event_type == CART_TYPE and cart_path is not None:
        raise UsageProblem("cart takes its cart from --data; leave out --cart")
    one_stdin(data=data_path, contact=contact_path, cart=cart_path)
    data = None if data_path is None else load_json(data_path)
    contact = None if contact_path is None else load_json(contact_path, option="--contact")
    cart = None if cart_path is None else load_json(cart_path, option="--cart")
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


# -- tagkit tags ----------------------------------------------------------------------------


@command()
def tags() -> None:
    """List every tag and its properties, as the vocabulary defines them."""
    from .. import vocabulary as vocab

    for tag in vocab.TAGS:
        click.echo(f"{tag.name}  ({tag.short}) - {tag.title}; instances: {tag.instances}")
        if tag.value_is_text:
            limits = []
            if tag.max_items:
                limits.append(f"at most {tag.max_items}")
            if tag.max_length:
                limits.append(f"each at most {tag.max_length} characters")
            click.echo(f"    the element's text is the value; {', '.join(limits)}")
        for prop in tag.properties:
            _echo_prop(prop, "    ")
            if prop.obj:
                for sub in vocab.OBJECTS[prop.obj]:
                    _echo_prop(sub, "        ")
        if tag is vocab.CONTACT_TAG:
            click.echo("    <field id>  custom contact field, value as text (e.g. loyalty_tier)")


def _echo_prop(prop: Prop, indent: str) -> None:
    from ..vocabulary import CLIENT_VERSION

    flags = ["required" if prop.required else "optional", prop.kind.value]
    if prop.multiple:
        flags.append("multiple")
    if prop.choices:
        flags.append("one of " + "/".join(prop.choices))
    if not prop.read_by_client:
        flags.append(f"not read by client {CLIENT_VERSION}")
    click.echo(f"{indent}{prop.name} -> {prop.js_key}  ({', '.join(flags)})")


# -- tagkit schema --------------------------------------------------------------------------


@command()
@tag_argument(required=False)
def schema(tag: str | None) -> None:
    """Print the JSON Schema of a tag's data, or of a page document without TAG.

    \b
    Example:
      tagkit schema cart > cart.schema.json
    """
    import json

    from .. import json_schema

    name = None if tag is None else lookup_tag(tag).name
    click.echo(json.dumps(json_schema(name), indent=2, ensure_ascii=False))


# -- tagkit demo ----------------------------------------------------------------------------


@command()
@click.argument("dest", type=FOLDER, default="tagkit-demo", metavar="[DIR]")
@click.option(
    "--serve",
    is_flag=True,
    help="Serve DIR on 127.0.0.1 (a free port, printed) until Ctrl-C.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Load each page of DIR in Chromium with tagkit's double of Connectif's client and "
    "print what it sent against its data file; exit 1 on any difference. Needs the [browser] "
    "extra.",
)
def demo(dest: str, serve: bool, check: bool) -> None:
    """Write a small static shop into DIR (default ./tagkit-demo): every tag and event.

    Home, category, product, search results, cart, login, register, newsletter and order
    thank-you pages, each with the loader (a demo store) and its data, rendered from the page
    document beside it (product.html <- product.json). Data files already in DIR are kept:
    edit one and run the command again to render its page from it.

    --check and --serve use DIR as it is on disk, writing only the files that are missing.

    \b
    Examples:
      tagkit demo
      tagkit demo site/ --check
      tagkit demo site/ --serve
    """
    if serve and check:
        raise UsageProblem("--serve and --check go one at a time: check first, then serve")
    from .. import _demo

    target = folder(dest)
    try:
        if serve or check:
            if not _demo.is_complete(target):
                _demo.build(target, write, only_missing=True)
                click.echo(f"Wrote the missing files of the demo shop into {target}")
        else:
            built = _demo.build(target, write)
    except _demo.DataFileProblem as exc:
        raise FileProblem(str(exc)) from None
    if not (serve or check):
        click.echo(f"Wrote the tagkit demo shop into {target}:")
        for item in built:
            mark = "  (your edited data)" if item.kept and _demo.differs_from_shipped(item) else ""
            click.echo(
                f"  {target / item.page.file}  {item.page.mode} mode, from "
                f"{item.page.data_file}{mark}"
            )
        click.echo("Edit a data file and run this again to render its page from it. Then:")
        click.echo(f"  tagkit demo {target} --check   # each page in Chromium, against its data")
        click.echo(f"  tagkit demo {target} --serve   # browse it on 127.0.0.1")
    elif check:
        _check_demo(target)
    else:
        _serve_demo(target)


def _check_demo(target: Path) -> None:
    from .. import _demo
    from ._errors import EXIT_INVALID

    try:
        results = _demo.check(target)
    except _demo.CheckUnavailable as exc:
        raise UsageProblem(str(exc)) from None
    except _demo.DataFileProblem as exc:
        raise FileProblem(str(exc)) from None
    for line in _demo.table(results):
        click.echo(line)
    failed = [r for r in results if not r.ok]
    for result in failed:
        click.echo("")
        click.echo(f"{result.file}:")
        for problem in result.problems:
            click.echo(f"  {problem}")
    if failed:
        click.echo(
            f"error: {len(failed)} of {len(results)} pages did not send what their data says",
            err=True,
        )
        click.get_current_context().exit(EXIT_INVALID)
    click.echo(f"All {len(results)} pages sent exactly what their data says.")


def _serve_demo(target: Path) -> None:
    from .. import _demo

    try:
        with _demo.server(target) as (server, url):
            click.echo(f"Serving {target} at {url} (Ctrl-C to stop)")
            click.echo(
                "In your own browser the loader asks Connectif's CDN for a demo store that does "
                "not exist, so nothing is sent; --check runs the pages against tagkit's double."
            )
            server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    except OSError as exc:
        raise OutputError(f"cannot serve {target}: {exc.strerror or exc}") from None


COMMANDS: tuple[click.Command, ...] = (render, page, event, tags, schema, demo)

"""The ``tagkit`` command: thin click commands over the library.

Invalid data prints every problem on its own line on stderr and exits 1; an unreadable file,
bad JSON or an unknown name prints one line and exits 2 (click's usage code). Never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import vocabulary as vocab
from ._cli_scripts import register
from ._cliutil import load_data, reporting
from ._files import write_atomic


def _tag_choice(value: str) -> vocab.Tag:
    try:
        return vocab.lookup_tag(value)
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="TAG") from None


data_option = click.option(
    "--data",
    "data_path",
    metavar="FILE",
    help="JSON file with the data, or - for standard input.",
)
hidden_option = click.option(
    "--hidden-attr",
    "hidden",
    is_flag=True,
    help='Hide containers with the hidden attribute instead of style="display:none" '
    "(for a CSP without 'unsafe-inline' styles).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tagkit")
def main() -> None:
    """Render, check and prove Connectif front-end tags.

    Data files are JSON whose keys are Connectif's property classes (product_id, unit_price,
    category as a list); the lines of a cart or purchase go in a list under "products".
    """


@main.command()
@click.argument("tag", metavar="TAG")
@data_option
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
    from .render import render_tag

    spec = _tag_choice(tag)
    if data_path is None and spec.instances != "presence":
        raise click.UsageError(f"{spec.short} needs --data FILE (JSON, or - for stdin)")
    data = None if data_path is None else load_data(data_path)
    with reporting():
        html = render_tag(spec.name, data, hidden=hidden)
    click.echo(html)


@main.command()
@click.option(
    "--data",
    "data_path",
    metavar="FILE",
    required=True,
    help="JSON page document, or - for standard input.",
)
@click.option(
    "--mode",
    type=click.Choice(["tags", "events"]),
    default="tags",
    show_default=True,
    help="tags: hidden tags, read by the client at start-up (store setting 'auto-send events "
    "on init' on). events: one script calling sendEvents, ending with page-visit (auto-send "
    "off, single-page apps); page categories and tags stay tags.",
)
@click.option("--nonce", metavar="N", help="CSP nonce for the script (events mode).")
@click.option(
    "--no-inline",
    is_flag=True,
    help="Events mode: write the data as a JSON island read by tagkit-events.js "
    "(see 'tagkit static') instead of inline code.",
)
@hidden_option
def page(data_path: str, mode: str, nonce: str | None, no_inline: bool, hidden: bool) -> None:
    """Print every tag of one page from a page document.

    The document is a JSON object with any of: contact, cart, purchases (list),
    product_visited (list), product_searched (list), search (the text), login, register
    (true/false), newsletter_subscribe ({"email": ...}), page_categories, page_tags (lists),
    and, in events mode only, custom_events (a list of {"event_id", "payload"}).
    """
    from .events import CUSTOM_EVENTS_KEY, render_page_events
    from .model import Page
    from .render import render_page

    data = load_data(data_path)
    with reporting():
        if mode == "events":
            html = render_page_events(data, nonce=nonce, inline=not no_inline, hidden=hidden)
        else:
            if nonce is not None or no_inline:
                raise click.UsageError("--nonce and --no-inline apply to --mode events only")
            if isinstance(data, dict) and CUSTOM_EVENTS_KEY in data:
                raise click.UsageError(
                    f"{CUSTOM_EVENTS_KEY} can only be sent from JavaScript; "
                    "use --mode events, or remove them from the page document"
                )
            html = render_page(Page.from_dict(data), hidden=hidden)
    click.echo(html)


@main.command()
def tags() -> None:
    """List every tag and its properties, as the vocabulary defines them."""
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
        if tag.name == "cn_client_info":
            click.echo("    <field id>  custom contact field, value as text (e.g. loyalty_tier)")


def _echo_prop(prop: vocab.Prop, indent: str) -> None:
    flags = ["required" if prop.required else "optional", prop.kind.value]
    if prop.multiple:
        flags.append("multiple")
    if prop.choices:
        flags.append("one of " + "/".join(prop.choices))
    if not prop.read_by_client:
        flags.append(f"not read by client {vocab.CLIENT_VERSION}")
    click.echo(f"{indent}{prop.name} -> {prop.js_key}  ({', '.join(flags)})")


@main.command()
@click.argument("tag", metavar="[TAG]", required=False)
def schema(tag: str | None) -> None:
    """Print the JSON Schema of a tag's data, or of a page document without TAG."""
    from .schema import json_schema

    if tag is not None:
        tag = _tag_choice(tag).name
    click.echo(json.dumps(json_schema(tag), indent=2, ensure_ascii=False))


@main.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path), default="tagkit-demo")
def demo(dest: Path) -> None:
    """Render a complete sample page with every tag into DEST (default ./tagkit-demo)."""
    from ._sample import sample_page
    from .render import render_page

    data = sample_page()
    body = render_page(data)
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>tagkit demo page</title>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
    write_atomic(dest / "page.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    write_atomic(dest / "index.html", html)
    click.echo(f"Rendered every Connectif tag of a sample page into {dest / 'index.html'}")
    click.echo(f"The data it came from is {dest / 'page.json'}; edit it and run:")
    click.echo(f"  tagkit page --data {dest / 'page.json'}")


register(main)


if __name__ == "__main__":  # pragma: no cover
    main()

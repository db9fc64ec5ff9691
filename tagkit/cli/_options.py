"""The options and arguments that several ``tagkit`` commands share, each declared once.

Each is a click decorator; the factories take the part of the help text that says what the
option does for that command, so ``--data`` names the same destination, metavar and stdin rule
everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

F = TypeVar("F", bound=Callable[..., Any])


class PathName(click.types.StringParamType):
    """A file or folder name, passed on as text, that the shell completes as a path.

    ``click.Path`` without its checks, which the commands make themselves with clearer
    messages, and without its start-up cost (each instance looks up translations).
    """

    name = "path"

    def __init__(self, kind: str = "file") -> None:
        self.kind = kind  # "file" or "dir", for shell completion

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type=self.kind)]


FILE = PathName("file")
FOLDER = PathName("dir")


def tag_argument(*, required: bool = True) -> Callable[[F], F]:
    """``TAG``: a Connectif class (``cn_cart``) or its short name (``cart``)."""
    param = "tag"  # not a Connectif name: the command's parameter
    return click.argument(param, metavar="TAG" if required else "[TAG]", required=required)


def _json_file_option(flag: str, dest: str, help: str, *, required: bool) -> Callable[[F], F]:
    return click.option(flag, dest, metavar="FILE", required=required, help=help)


def data_option(what: str, *, required: bool = False) -> Callable[[F], F]:
    """``--data FILE``: the JSON input of the command, ``-`` for stdin."""
    return _json_file_option(
        "--data", "data_path", f"JSON file with {what}, or - for standard input.", required=required
    )


contact_option = _json_file_option(
    "--contact",
    "contact_path",
    "JSON contact (primary_key, _name, custom fields ...), sent as entityInfo. Required for "
    "login and register: the client takes the email only from it.",
    required=False,
)

cart_option = _json_file_option(
    "--cart",
    "cart_path",
    "JSON cart sent with the event, e.g. the emptied cart with a purchase.",
    required=False,
)

hidden_option = click.option(
    "--hidden-attr",
    "hidden",
    is_flag=True,
    help='Hide containers with the hidden attribute instead of style="display:none" '
    "(for a CSP without 'unsafe-inline' styles).",
)


def nonce_option(effect: str) -> Callable[[F], F]:
    """``--nonce N``: the page's CSP nonce; ``effect`` says where it goes."""
    return click.option(
        "--nonce", metavar="N", help=f"The page's CSP nonce (base64 characters); {effect}."
    )


def no_inline_option(effect: str) -> Callable[[F], F]:
    """``--no-inline``: no inline code, for a strict CSP; ``effect`` says what is printed."""
    return click.option(
        "--no-inline", "no_inline", is_flag=True, help=f"No inline code (strict CSP): {effect}."
    )


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    # importlib.metadata is slow to import: only --version pays for it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("tagkit")
    except PackageNotFoundError:  # a checkout that was never installed
        number = "0+unknown"
    click.echo(f"{ctx.find_root().info_name}, version {number}")
    ctx.exit()


version_option = click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)

parser_option = click.option(
    "--parser",
    type=click.Choice(["html5lib", "lxml"]),
    default="html5lib",
    show_default=True,
    help="The HTML parser. html5lib builds the tree an HTML5 browser builds; lxml "
    '(pip install "tagkit[lxml]") is about twice as fast but not HTML5-exact: mis-nested '
    "tags and <div/> can give another tree "
    "(docs/lint-rules.md#parsers).",
)

"""The ``tagkit`` command: one click group, ``main``, over the library.

=============  ==========================================================================
module         holds
=============  ==========================================================================
``_render``    ``render``, ``page``, ``event``, ``tags``, ``schema``, ``demo``
``_scripts``   ``loader``, ``service-worker``, ``static``, ``csp``
``_validate``  ``inspect``, ``lint``: what the client reads from existing pages
``_site``      ``inject``: the loader and each page's data into a folder of built HTML
``_api``       ``api contacts|products|purchases|coupons``: Connectif's REST API
``_options``   the options several commands share (``--data``, ``--nonce``,
               ``--no-inline``, ``--hidden-attr`` ...), each declared once
``_errors``    the error classes and exit codes, and the command class that maps the
               library's errors to them
``_io``        reading data files and writing output files
=============  ==========================================================================

Invalid data prints every problem on its own line (``error: <path> <message>``) on stderr and
exits 1; an unreadable file, bad JSON, an unknown name or options that clash print one
``error:`` line and exit 2. Never a traceback. The command modules import the library inside
each command, so ``tagkit --help`` loads click and nothing heavy; and a run imports only the
module of its own command (``_HOMES``): defining every command's options is a share of each
start that the others need not pay.
"""

from __future__ import annotations

import importlib

import click

from ._options import version_option

__all__ = ["main"]

# Each command's module; tests/test_cli_help.py holds it equal to the modules' COMMANDS.
_HOMES = {
    **dict.fromkeys(("render", "page", "event", "schema", "demo"), "_render"),
    "tags": "_render",  # not a Connectif name: the command that lists the vocabulary
    **dict.fromkeys(("loader", "service-worker", "static", "csp"), "_scripts"),
    **dict.fromkeys(("inspect", "lint"), "_validate"),
    "inject": "_site",
    "api": "_api",
}


class _Group(click.Group):
    """The ``tagkit`` group: a command's module is imported when the command is looked up."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        home = _HOMES.get(cmd_name)
        if cmd_name not in self.commands and home is not None:
            self._load(home)
        return self.commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for home in dict.fromkeys(_HOMES.values()):
            self._load(home)
        return sorted(self.commands)

    def _load(self, home: str) -> None:
        for command in importlib.import_module(f"{__name__}.{home}").COMMANDS:
            self.commands.setdefault(command.name or "", command)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@version_option
def main() -> None:
    """Render, check and prove Connectif front-end tags.

    Data files are JSON whose keys are Connectif's property classes (product_id, unit_price,
    category as a list); the lines of a cart or purchase go in a list under "products".

    \b
    Examples:
      echo '{"search_text": "red shoe"}' | tagkit render search --data -
      tagkit page --data page.json
      tagkit tags
    """

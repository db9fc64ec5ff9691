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
each command, so ``tagkit --help`` loads click and nothing heavy.
"""

from __future__ import annotations

import click

from . import _api, _render, _scripts, _site, _validate
from ._options import version_option

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


for _command in (
    *_render.COMMANDS,
    *_scripts.COMMANDS,
    *_validate.COMMANDS,
    *_site.COMMANDS,
    *_api.COMMANDS,
):
    main.add_command(_command)

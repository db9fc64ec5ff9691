"""Static sites: put the loader and each page's Connectif data into a folder of built HTML.

``tagkit inject`` (``tagkit/cli/_site.py``) is the command; this package is what it runs.

=============  ===============================================================================
module         holds
=============  ===============================================================================
``_config``    ``tagkit.toml``: store, mode, service worker and URL-glob rules, checked
``_html``      where the block goes in a file, and splicing it in without touching other bytes
``_run``       each page's data, block and new bytes; the service worker; atomic writes
=============  ===============================================================================
"""

from __future__ import annotations

from ._config import SiteConfig, load, parse
from ._run import Outcome, html_files, plan, plan_page, plan_worker, write

__all__ = [
    "Outcome",
    "SiteConfig",
    "html_files",
    "load",
    "parse",
    "plan",
    "plan_page",
    "plan_worker",
    "write",
]

"""The one Jinja2 environment tagkit renders with: a leaf, importing nothing of tagkit but the
module that finds the templates."""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ._resources import templates_dir


@functools.cache
def environment() -> Environment:
    """Autoescape on, undefined names are errors, templates loaded once."""
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def render_template(name: str, **context: Any) -> Markup:
    """Render one of tagkit's templates by file name; autoescaped, so the result is markup."""
    return Markup(environment().get_template(name).render(**context))  # noqa: S704

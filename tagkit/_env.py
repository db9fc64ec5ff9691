"""The one Jinja2 environment tagkit renders with: a leaf, importing nothing of tagkit but the
module that finds the templates."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
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


def _hole(i: int) -> str:
    # NUL cannot occur in a template's own text, nor in a value tagkit accepts.
    return f"\x00{i}\x00"


_HOLES = re.compile("\x00([0-9]+)\x00")


@functools.lru_cache(maxsize=64)
def _frame(name: str, holes: tuple[str, ...], fixed: tuple[tuple[str, Any], ...]) -> list[str]:
    marks = {hole: Markup(_hole(i)) for i, hole in enumerate(holes)}  # noqa: S704 - constants
    text = str(render_template(name, **marks, **dict(fixed)))
    return _HOLES.split(text)


def filler(name: str, holes: tuple[str, ...], **fixed: Any) -> Callable[..., str]:
    """A function of the ``holes``' values (in that order) giving the text of
    ``render_template(name, **holes, **fixed)``: the template is rendered once per name, hole
    names and ``fixed`` values, and each call joins strings.

    Each value must be markup already (escaped text, or JSON from :mod:`tagkit.jsonsafe`) and
    printed unchanged by the template, so the result equals a full render.
    """
    fill: Callable[..., str] = _filler(name, holes, tuple(sorted(fixed.items())))
    return fill


@functools.lru_cache(maxsize=64)
def _filler(name: str, holes: tuple[str, ...], fixed: tuple[tuple[str, Any], ...]) -> Any:
    pieces = _frame(name, holes, fixed)
    texts = pieces[0::2]
    order = [int(i) for i in pieces[1::2]]

    def fill(*values: str) -> str:
        out = [texts[0]]
        for index, text in zip(order, texts[1:], strict=True):
            out.append(values[index])
            out.append(text)
        return "".join(out)

    return fill

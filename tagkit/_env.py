"""The one Jinja2 environment tagkit renders with: a leaf, importing nothing of tagkit but the
module that finds the templates."""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from ._resources import templates_dir


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between runs, as Python keeps ``__pycache__``: a ``tagkit``
    command then starts without lexing and compiling them again. Jinja checks each entry
    against its template's source. A cache that cannot be read or written is no cache."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)


def _cache() -> _TemplateCache | None:
    """The template cache in ``$TAGKIT_CACHE_DIR`` (empty: none), else in the user's cache
    folder (``$XDG_CACHE_HOME/tagkit``, ``~/.cache/tagkit``)."""
    folder = os.environ.get("TAGKIT_CACHE_DIR")
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "tagkit")
    return _TemplateCache(folder) if folder else None


@functools.cache
def environment() -> Environment:
    """Autoescape on, undefined names are errors, templates loaded once."""
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=False,
        bytecode_cache=_cache(),
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

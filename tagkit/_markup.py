"""Fill the tag shapes of ``templates/tags.html.j2`` with escaped text.

Each macro of the template is rendered once per class name with a placeholder where its
content goes; the two halves are cached as a *frame*. Rendering a page is then escaping values
and joining strings, which keeps tagkit within reach of a hand-written template
(``benchmarks/run.py``) while every shape stays in the template. Values are escaped exactly
once, with the entities :func:`markupsafe.escape` uses (a test holds the two equal), so no value
can open or close an element (docs/connectif.md#text-escaped). With ``jsonsafe``, this is the only module that
marks text as safe by hand.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from ._env import environment
from ._model import Record
from ._values import to_text

# The placeholder cannot occur in a value: tagkit rejects control characters in every string.
_HOLE = "\x00"
_HOLE_MARKUP = Markup("\x00")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})
_SPECIAL = re.compile("[&<>\"']")

Frame = tuple[str, str]


def escape(text: str) -> str:
    """HTML-escape ``text`` exactly as :func:`markupsafe.escape` does, without a Markup object."""
    return text.translate(_ENTITIES) if _SPECIAL.search(text) else text


@functools.lru_cache(maxsize=1024)
def frame(shape: str, *args: Any) -> Frame:
    """The markup before and after the content of macro ``shape`` called with ``args``."""
    macro = getattr(environment().get_template("tags.html.j2").module, shape)
    before, hole, after = str(macro(*args, _HOLE_MARKUP)).partition(_HOLE)
    if not hole or _HOLE in after:  # pragma: no cover - the template keeps one content slot
        raise AssertionError(f"macro {shape} must place its content exactly once")
    return before, after


# Frames of the property and nested shapes by class, looked up once per value.
_PROPERTY: dict[str, Frame] = {}
_NESTED: dict[str, Frame] = {}


def _frame_of(cache: dict[str, Frame], shape: str, cls: str) -> Frame:
    found = cache.get(cls)
    if found is None:
        found = frame(shape, cls)
        if len(cache) < 1024:  # custom contact field ids are unbounded
            cache[cls] = found
    return found


def _text(value: object) -> str:
    if type(value) is str:
        return value
    if type(value) is Decimal:
        text = str(value)
        if "E" not in text:  # str() keeps the scale; only an exponent needs fixed point
            return text
    return to_text(value)


def _parts(record: Record, parts: list[str]) -> None:
    # The hot loop of rendering: text formatting and escaping are inlined (see _text, escape).
    # Numbers are digits and a dot only, so they skip the escaping check.
    append, special, entities, properties = parts.append, _SPECIAL.search, _ENTITIES, _PROPERTY
    for cls, value in record.tag_values():
        before, after = properties.get(cls) or _frame_of(properties, "property", cls)
        if type(value) is str:
            if special(value):
                value = value.translate(entities)
            append(f"{before}{value}{after}")
        elif type(value) is Decimal:
            text = str(value)
            if "E" in text:
                text = format(value, "f")
            append(f"{before}{text}{after}")
        elif type(value) is int:
            append(f"{before}{value}{after}")
        elif type(value) is tuple:
            if value and isinstance(value[0], Record):
                before, after = _frame_of(_NESTED, "nested", cls)
                for line in value:
                    append(before)
                    _parts(line, parts)
                    append(after)
            else:
                parts.extend(f"{before}{escape(_text(item))}{after}" for item in value)
        else:
            append(f"{before}{escape(to_text(value))}{after}")


# Container and text-tag frames by (tag class, hidden); the tag classes are the vocabulary's.
_CONTAINER: dict[tuple[str, bool], Frame] = {}
_TEXT_TAG: dict[tuple[str, bool], Frame] = {}


def _tag_frame(cache: dict[tuple[str, bool], Frame], shape: str, name: str, hidden: bool) -> Frame:
    found = cache.get((name, hidden))
    if found is None:
        found = cache[(name, hidden)] = frame(shape, name, hidden)
    return found


def container(name: str, record: Record | None, *, hidden: bool) -> str:
    """A container tag holding ``record``'s properties (none for a marker such as cn_login)."""
    before, after = _tag_frame(_CONTAINER, "container", name, hidden)
    parts = [before]
    if record is not None:
        _parts(record, parts)
    parts.append(after)
    return "".join(parts)


def text_tag(name: str, text: str, *, hidden: bool) -> str:
    """A tag whose value is its own text (page category, page tag)."""
    before, after = _tag_frame(_TEXT_TAG, "text_tag", name, hidden)
    return f"{before}{escape(text)}{after}"


def join(tags: list[str]) -> Markup:
    """Tags built by :func:`container` and :func:`text_tag`, one per line."""
    return Markup("\n".join(tags))  # noqa: S704 - every part is built from escaped text

"""The tag shapes of ``templates/tags.html.j2`` as cached *frames*: the markup before and
after a shape's content, and the one escaping function that fills them.

Each macro of the template is rendered once per class name with a placeholder where its content
goes; the two halves are cached. Rendering a page is then escaping values and joining strings,
which keeps tagkit within reach of a hand-written template (``benchmarks/run.py``) while every
shape stays in the template. Values are escaped exactly once, with the entities
:func:`markupsafe.escape` uses (a test holds the two equal), so no value can open or close an
element (docs/connectif.md#markup-escaping). A leaf: it imports nothing of tagkit but the Jinja
environment.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import Markup

from ._env import environment

# The placeholder cannot occur in a value: tagkit rejects control characters in every string.
_HOLE = "\x00"
_HOLE_MARKUP = Markup(_HOLE)  # noqa: S704 - a constant placeholder, never a value
# The five characters markupsafe escapes, and CR: the HTML parser turns a raw CR (and CRLF)
# into LF, so the client would read "a\nb" for "a\rb"; a character reference keeps it
# (docs/connectif.md#markup-escaping).
SPECIAL = re.compile("[&<>\"'\r]")

Frame = tuple[str, str]


def replace_entities(text: str) -> str:
    """The five entities of :func:`markupsafe.escape`, ``&`` first, and CR as ``&#13;``.
    Chained ``str.replace`` runs in C and is several times faster than ``str.translate`` with a
    mapping."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
        .replace("\r", "&#13;")
    )


def escape(text: str) -> str:
    """HTML-escape ``text`` as :func:`markupsafe.escape` does, without a Markup object, and
    write CR as ``&#13;`` so that it arrives as CR."""
    # Substring tests run in C; a regular expression search costs more on short text.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text or "\r" in text:
        return replace_entities(text)
    return text


@functools.lru_cache(maxsize=1024)
def frame(shape: str, *args: Any) -> Frame:
    """The markup before and after the content of macro ``shape`` called with ``args``."""
    macro = getattr(environment().get_template("tags.html.j2").module, shape)
    before, hole, after = str(macro(*args, _HOLE_MARKUP)).partition(_HOLE)
    if not hole or _HOLE in after:  # pragma: no cover - the template keeps one content slot
        raise AssertionError(f"macro {shape} must place its content exactly once")
    return before, after


# Frames of the property and nested shapes by class, looked up once per value.
_BY_CLASS: dict[tuple[str, str], Frame] = {}


def frame_of(shape: str, cls: str) -> Frame:
    """The frame of a ``property`` or ``nested`` shape for class ``cls``."""
    found = _BY_CLASS.get((shape, cls))
    if found is None:
        found = frame(shape, cls)
        if len(_BY_CLASS) < 2048:  # custom contact field ids are unbounded
            _BY_CLASS[(shape, cls)] = found
    return found

"""The child elements of a tag, as HTML: the markup twin of :mod:`tagkit.jsonsafe`.

Every value and class name is escaped exactly once, with the same entities as
:func:`markupsafe.escape` (a test holds the two equal), so no value can open or close an
element (spec 2.3, 2.8). Building the children here rather than in a
recursive template macro keeps rendering as fast as a hand-written template (see
``benchmarks/render.py``); the containers themselves come from ``templates/tags.html.j2``.
With ``jsonsafe``, this is the only module that marks text as safe by hand.
"""

from __future__ import annotations

import re
from decimal import Decimal

from markupsafe import Markup

from . import vocabulary as vocab
from ._values import to_text
from .model import Record

# markupsafe's entities; most values contain none of these characters and are returned as is.
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})
_SPECIAL = re.compile("[&<>\"']")


def escape(text: str) -> str:
    """HTML-escape ``text`` exactly as :func:`markupsafe.escape` does, without a Markup object."""
    return text.translate(_ENTITIES) if _SPECIAL.search(text) else text


def _text(value: object) -> str:
    if type(value) is str:
        return value
    if type(value) is Decimal:
        text = str(value)
        if "E" not in text:  # str() keeps the scale; only an exponent needs fixed point
            return text
    return to_text(value)


def _open(element: str, cls: str) -> str:
    return f'<{element} class="{escape(cls)}">'


# Opening tags of every vocabulary class, escaped once; custom contact field ids are escaped
# per use (a site may have any number of them).
_SPANS: dict[str, str] = {
    p.name: _open("span", p.name)
    for props in (vocab.BASKET_ITEM, vocab.CART, vocab.PURCHASE, vocab.CONTACT)
    for p in props
}
_SPANS.update({p.name: _open("span", p.name) for t in vocab.TAGS for p in t.properties})
_DIVS: dict[str, str] = {p.name: _open("div", p.name) for p in (vocab.LINES,)}


def _parts(record: Record, parts: list[str]) -> None:
    append = parts.append
    for cls, value in record.tag_values():
        if type(value) is tuple:
            if value and isinstance(value[0], Record):
                opening = _DIVS.get(cls) or _open("div", cls)
                for line in value:
                    append(opening)
                    _parts(line, parts)
                    append("</div>")
                continue
            opening = _SPANS.get(cls) or _open("span", cls)
            for item in value:
                append(opening)
                append(escape(_text(item)))
                append("</span>")
            continue
        append(_SPANS.get(cls) or _open("span", cls))
        append(escape(_text(value)))
        append("</span>")


def children(record: Record) -> Markup:
    """``<span class="cls">text</span>`` per value of ``record``; a cart line is a ``<div>``."""
    parts: list[str] = []
    _parts(record, parts)
    return Markup("".join(parts))  # noqa: S704 - every part is built from escaped text

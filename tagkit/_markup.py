"""Fill the tag shapes of ``templates/tags.html.j2`` (through :mod:`tagkit._frames`) with a
record's escaped values.

Records from the compiled fast path carry their tag body already (``_markup``), written while
their values were checked; every other record is written here, value by value, with the same
frames and the same escaping. With ``jsonsafe``, this is the only module that marks text as safe
by hand.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from ._frames import SPECIAL, Frame, escape, frame, frame_of, replace_entities
from ._model import Record
from ._values import to_text


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
    body = record._markup
    if body is not None:
        parts.append(body)
        return
    append, special, entities = parts.append, SPECIAL.search, replace_entities
    for cls, value in record.tag_values():
        before, after = frame_of("property", cls)
        if type(value) is str:
            if special(value):
                value = entities(value)
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
                before, after = frame_of("nested", cls)
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
    if record is None:
        return f"{before}{after}"
    body = record._markup
    if body is not None:
        return f"{before}{body}{after}"
    parts = [before]
    _parts(record, parts)
    parts.append(after)
    return "".join(parts)


def containers(name: str, records: tuple[Record, ...], *, hidden: bool) -> list[str]:
    """One container per record, for a tag that may repeat."""
    return [container(name, record, hidden=hidden) for record in records]


def text_tags(name: str, texts: tuple[str, ...], *, hidden: bool) -> list[str]:
    """One tag per text, for tags whose value is their own text (page categories, tags)."""
    before, after = _tag_frame(_TEXT_TAG, "text_tag", name, hidden)
    return [f"{before}{escape(text)}{after}" for text in texts]


def join(tags: list[str]) -> Markup:
    """Tags built by :func:`container` and :func:`text_tag`, one per line."""
    return Markup("\n".join(tags))  # noqa: S704 - every part is built from escaped text

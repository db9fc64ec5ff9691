"""JSON that is safe inside ``<script>``.

``<``, ``>``, ``&``, ``'``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes, so no value can
close the script element, open a comment or break a line in older JavaScript engines; keys are
sorted and the output compact, so output is deterministic. ``Decimal`` values become JSON numbers
with their own text (``Decimal("49.90")`` -> ``49.90``). This is the only module that marks text
as safe by hand.

>>> dumps({"b": "</script>", "a": 1})
'{"a":1,"b":"\\\\u003c/script\\\\u003e"}'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal

from markupsafe import Markup

from ._values import format_decimal

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_PAIRS = tuple(_ESCAPES.items())


def _escape(text: str) -> str:
    # A substring test and str.replace run in C; a regex search or str.translate with a
    # mapping is far slower on a page of JSON.
    for char, escaped in _PAIRS:
        if char in text:
            text = text.replace(char, escaped)
    return text


def _encode(value: object, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif value is None or isinstance(value, bool):
        out.append(json.dumps(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"JSON has no {value!r}")
        out.append(format_decimal(value))
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"JSON has no {value!r}")
        out.append(repr(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, key in enumerate(sorted(value)):
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, got {key!r}")
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        raise TypeError(f"cannot write {type(value).__name__} {value!r} as JSON")


# A Decimal is written by json's C encoder as this sentinel string, then replaced by its own
# text. NUL is a control character no validated value holds; a NUL in the input shows up as an
# extra sentinel in the count below, and the value is then written by the plain walker.
_SENTINEL = "\x00"
_SENTINEL_TEXT = json.dumps(_SENTINEL)[1:-1]  # the six characters \u0000
_OPEN = '"' + _SENTINEL_TEXT
_CLOSE = _SENTINEL_TEXT + '"'


def _fast(value: object) -> str | None:
    decimals = 0

    def default(item: object) -> object:
        nonlocal decimals
        if isinstance(item, Decimal):
            if not item.is_finite():
                raise ValueError(f"JSON has no {item!r}")
            decimals += 1
            return f"{_SENTINEL}{format_decimal(item)}{_SENTINEL}"
        if isinstance(item, Mapping):
            return dict(item)
        raise TypeError(f"cannot write {type(item).__name__} {item!r} as JSON")

    try:
        text = json.dumps(
            value,
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
            allow_nan=False,
            default=default,
        )
    except (TypeError, ValueError):
        return None  # the walker gives the precise error
    if text.count(_SENTINEL_TEXT) != 2 * decimals:
        return None
    if not decimals:
        return text
    # Every \u0000 in the text is a sentinel (the count says so), each one the opening or the
    # closing of one Decimal's quoted text: drop the quotes and the sentinels.
    return text.replace(_OPEN, "").replace(_CLOSE, "")


def compact(value: object) -> str:
    """Compact, key-sorted JSON text, ``Decimal`` written with its own text, before the
    script escaping of :func:`dumps`: for JSON assembled from pieces, escaped once at the end.

    >>> compact({"b": "</script>", "a": Decimal("49.90")})
    '{"a":49.90,"b":"</script>"}'
    """
    text = _fast(value)
    if text is None:
        out: list[str] = []
        _encode(value, out)
        text = "".join(out)
    return text


def dumps(value: object) -> str:
    """Compact, key-sorted JSON text with the script-breaking characters escaped."""
    return _escape(compact(value))


def script_json(value: object) -> Markup:
    """:func:`dumps` marked safe, for the body of a ``<script>`` element."""
    return Markup(dumps(value))  # noqa: S704 - every markup-significant character is escaped


def script_json_text(text: str) -> Markup:
    """JSON text from :func:`compact` (or pieces of it), escaped and marked safe for the body of
    a ``<script>`` element, as :func:`script_json` writes the value."""
    return Markup(_escape(text))  # noqa: S704 - every markup-significant character is escaped


__all__ = ["dumps", "script_json"]

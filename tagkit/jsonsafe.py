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
_TABLE = str.maketrans(_ESCAPES)


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


def dumps(value: object) -> str:
    """Compact, key-sorted JSON text with the script-breaking characters escaped."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out).translate(_TABLE)


def script_json(value: object) -> Markup:
    """:func:`dumps` marked safe, for the body of a ``<script>`` element."""
    return Markup(dumps(value))  # noqa: S704 - every markup-significant character is escaped

"""A compiled fast path for validating one model's input and writing its tag body, generated
from the vocabulary.

Validation runs on every page render, so its cost is a cost of every page. For each model and
each *shape* of input (the tuple of its keys, in order: rows from one query share one), this
module writes one straight-line function from the model's rows, as :mod:`dataclasses` writes
``__init__``. It accepts only input that is already in the common, valid form and returns the
canonical values in emission order, together with the tag body (the property elements, escaped
exactly as :mod:`tagkit._markup` escapes them), or ``None`` as soon as anything is unusual: an
unknown key, a value of another type, a blank that the full rules would report, anything at all.
``None`` sends the input to the full validator in :mod:`tagkit._model`, which gives the same
values for valid input and the teaching messages for the rest. The fast path never reports and
never decides that input is invalid; tests run generated input through both paths and compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ._frames import SPECIAL, replace_entities
from ._values import (
    DECIMAL_TEXT,
    INTEGER_TEXT,
    MAX_SAFE_INTEGER,
    Invalid,
    format_datetime,
    normalise_datetime,
)
from .vocabulary import Kind, Prop

# values in emission order, and the tag body (None when the model is never a tag's content).
Built = tuple[dict[str, object], str]
FastPath = Callable[[Mapping[str, object]], Built | None]
Frame = tuple[str, str]
# The markup before and after a property's text, and around a nested object, by class.
Frames = Callable[[str, str], Frame]


def _never(data: Mapping[str, object]) -> None:
    return None


def _text(target: str, pattern: str | None, indent: str) -> list[str]:
    """Code that sets ``target`` to its stripped text or returns None."""
    lines = [
        f"{indent}if type({target}) is not str: return None",
        f"{indent}{target} = {target}.strip()",
        # Tab, newline and every other non-printable character take the full rules.
        f"{indent}if not {target}.isprintable(): return None",
    ]
    if pattern is not None:
        lines.append(f"{indent}if {target} and not {pattern}.match({target}): return None")
    return lines


def _escaped(value: str) -> str:
    return f"(ENT({value}) if SPECIAL({value}) else {value})"


class _Writer:
    """Generates one shape's function, row by row."""

    def __init__(self, frames: Frames | None) -> None:
        self.frames = frames
        self.names: dict[str, object] = {
            "Decimal": Decimal,
            "DEC": DECIMAL_TEXT,
            "INT": INTEGER_TEXT,
            "Invalid": Invalid,
            "MAX": MAX_SAFE_INTEGER,
            "datetime_value": normalise_datetime,
            "datetime_text": format_datetime,
            "ENT": replace_entities,
            "SPECIAL": SPECIAL.search,
        }
        self.lines: list[str] = []

    def name(self, prefix: str, value: object) -> str:
        key = f"{prefix}{len(self.names)}"
        self.names[key] = value
        return key

    def frame(self, shape: str, cls: str) -> tuple[str, str]:
        assert self.frames is not None
        before, after = self.frames(shape, cls)
        return self.name("A", before), self.name("B", after)

    def pattern(self, prop: Prop) -> str | None:
        return None if prop.pattern is None else self.name("P", re.compile(prop.pattern))

    def emit(self, prop: Prop, text: str, indent: str) -> None:
        """Append the property element holding ``text`` (an expression) to the body."""
        if self.frames is None:
            return
        before, after = self.frame("property", prop.name)
        self.lines.append(f"{indent}parts.append({before} + {text} + {after})")

    def scalar(self, prop: Prop, value: str) -> None:
        key, add = repr(prop.name), self.lines.append
        indent = "        "
        kind = prop.kind
        if kind is Kind.STRING:
            self.lines += _text(value, self.pattern(prop), indent)
            add(f"{indent}if {value}:")
            add(f"{indent}    values[{key}] = {value}")
            self.emit(prop, _escaped(value), indent + "    ")
            return
        if kind is Kind.URL:
            # http(s), a host, no spaces or control characters; anything else: the full rules.
            self.lines += _text(value, None, indent)
            self.lines += [
                f"{indent}if {value}.startswith('https://'): h = {value}[8:9]",
                f"{indent}elif {value}.startswith('http://'): h = {value}[7:8]",
                f"{indent}else: return None",
                f"{indent}if h in '/?#' or ' ' in {value}: return None",
                f"{indent}values[{key}] = {value}",
            ]
            self.emit(prop, _escaped(value), indent)
            return
        if kind is Kind.EMAIL:
            self.lines += _text(value, None, indent)
            self.lines += [
                f"{indent}local, at, domain = {value}.partition('@')",
                f"{indent}if not local or not domain or '@' in domain or ' ' in {value}:"
                " return None",
                f"{indent}values[{key}] = {value}",
            ]
            self.emit(prop, _escaped(value), indent)
            return
        if kind is Kind.DECIMAL:
            self.lines += [
                # Texts of 15 characters or fewer stay far below MAX_SAFE_INTEGER.
                f"{indent}if type({value}) is str and len({value}) < 16 and DEC.match({value}):"
                f" {value} = Decimal({value})",
                f"{indent}elif type({value}) is int and 0 <= {value} <= MAX:"
                f" {value} = Decimal({value})",
                f"{indent}else: return None",
            ]
            self.lines += self.range(prop, value)
            add(f"{indent}values[{key}] = {value}")
            if self.frames is not None:
                # str() keeps the scale; only an exponent needs fixed point (as _markup).
                add(f"{indent}t = str({value})")
                add(f"{indent}if 'E' in t: t = format({value}, 'f')")
                self.emit(prop, "t", indent)
            return
        if kind is Kind.INTEGER:
            self.lines += [
                f"{indent}if type({value}) is str and len({value}) < 16 and INT.match({value}):"
                f" {value} = int({value})",
                f"{indent}elif type({value}) is not int or {value} < 0 or {value} > MAX:"
                " return None",
            ]
            self.lines += self.range(prop, value)
            add(f"{indent}values[{key}] = {value}")
            self.emit(prop, f"str({value})", indent)
            return
        if kind is Kind.ENUM:
            table = self.name("E", {choice.lower(): choice for choice in prop.choices})
            self.lines += [
                f"{indent}if type({value}) is not str: return None",
                f"{indent}{value} = {table}.get({value}.strip().lower())",
                f"{indent}if {value} is None: return None",
                f"{indent}values[{key}] = {value}",
            ]
            self.emit(prop, _escaped(value), indent)
            return
        if kind is Kind.DATETIME:
            self.lines += [
                f"{indent}try: {value} = datetime_value({value})",
                f"{indent}except Invalid: return None",
                f"{indent}values[{key}] = {value}",
            ]
            self.emit(prop, f"datetime_text({value})", indent)
            return
        # Custom-event payloads and anything else: the full rules.
        add(f"{indent}return None")

    def range(self, prop: Prop, value: str) -> list[str]:
        # The patterns and type checks above already rule out negative numbers. Bounds are the
        # table's Decimals, so a fractional minimum such as 0.5 is compared exactly.
        tests = []
        if prop.minimum:
            tests.append(f"{value} < {self.name('LO', prop.minimum)}")
        if prop.maximum is not None:
            tests.append(f"{value} > {self.name('HI', prop.maximum)}")
        return [f"        if {' or '.join(tests)}: return None"] if tests else []

    def many(self, prop: Prop, value: str, nested: Callable[[object], Any] | None) -> None:
        item, add = f"{value}_", self.lines.append
        self.lines += [
            f"        if type({value}) is str: {value} = ({value},)",
            f"        elif type({value}) is not list and type({value}) is not tuple: return None",
            "        out = []",
            f"        for {item} in {value}:",
        ]
        if prop.kind is Kind.OBJECT:
            assert nested is not None
            build = self.name("L", nested)
            add(f"            {item} = {build}({item})")
            add(f"            if {item} is None: return None")
            add(f"            out.append({item})")
            if self.frames is not None:
                before, after = self.frame("nested", prop.name)
                add(f"            parts.append({before} + {item}._markup + {after})")
        else:
            self.lines += _text(item, self.pattern(prop), "            ")
            add(f"            if {item}:")
            add(f"                out.append({item})")
            self.emit(prop, _escaped(item), "                ")
        add(f"        if out: values[{prop.name!r}] = tuple(out)")


def compile_shape(
    name: str,
    props: tuple[Prop, ...],
    keys: tuple[object, ...],
    *,
    frames: Frames | None = None,
    nested: Callable[[object], Any] | None = None,
    extra: Callable[[str], bool] | None = None,
) -> FastPath:
    """The fast validator of input with exactly ``keys`` for a model with rows ``props``.

    ``frames`` gives the markup around a property's text (and a nested object); without it the
    body is "". ``nested`` builds one nested record (a cart line) from a mapping, or returns
    None; the record's own body is in its ``_markup``. ``extra`` (open models: the contact) says
    whether a key outside the table is a usable custom field; its value must then be plain
    text, kept after the table's values in input order.
    """
    by_key = {p.data_key: p for p in props}
    custom: list[str] = []
    for key in keys:
        if type(key) is not str:
            return _never
        if key not in by_key:
            if extra is None or not extra(key):
                return _never
            custom.append(key)
    writer = _Writer(frames)
    lines = writer.lines
    lines += [f"def fast_{name}(data):", "    values = {}", "    parts = []"]
    present = set(keys)
    for i, prop in enumerate(props):
        if prop.data_key not in present:
            continue
        value = f"v{i}"
        lines.append(f"    {value} = data[{prop.data_key!r}]")
        lines.append(f"    if {value} is not None:")
        if prop.multiple:
            writer.many(prop, value, nested)
        else:
            writer.scalar(prop, value)
    for j, key in enumerate(custom):
        value = f"c{j}"
        lines.append(f"    {value} = data[{key!r}]")
        lines += _text(value, None, "    ")
        lines.append(f"    if {value}:")
        lines.append(f"        values[{key!r}] = {value}")
        if frames is not None:
            before, after = frames("property", key)
            a, b = writer.name("A", before), writer.name("B", after)
            lines.append(f"        parts.append({a} + {_escaped(value)} + {b})")
    for prop in props:
        if prop.required:
            lines.append(f"    if {prop.name!r} not in values: return None")
    lines.append("    return values, ''.join(parts)")
    source = "\n".join(lines)
    scope: dict[str, object] = {}
    # The source is built from the vocabulary table and the key names of a shape that passed
    # the checks above (table keys, or custom field ids matching their strict pattern), written
    # with repr(); never from values.
    exec(compile(source, f"<tagkit fast path {name}>", "exec"), writer.names, scope)  # noqa: S102
    function: FastPath = scope[f"fast_{name}"]  # type: ignore[assignment]
    return function

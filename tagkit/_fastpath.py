"""A compiled fast path for validating one model's input, generated from the vocabulary.

Validation runs on every page render, so its cost is a cost of every page. For each model this
module writes one straight-line function from the model's rows (as :mod:`dataclasses` writes
``__init__``): it accepts only input that is already in the common, valid form and returns the
canonical values, in emission order, or ``None`` as soon as anything is unusual: an unknown
key, a value of another type, a blank that the full rules would report, anything at all. ``None``
sends the input to the full validator in :mod:`tagkit.model`, which gives the same values for
valid input and the teaching messages for the rest. The fast path never reports and never
decides that input is invalid; a test runs every sample through both paths and compares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from ._values import DECIMAL_TEXT, INTEGER_TEXT, MAX_SAFE_INTEGER, Invalid, normalise_datetime
from .vocabulary import Kind, Prop

FastPath = Callable[[Mapping[str, object]], "dict[str, object] | None"]


def _text_lines(target: str, source: str, pattern: str | None, indent: str) -> list[str]:
    """Code that sets ``target`` to the stripped text of ``source`` or returns None."""
    lines = [
        f"{indent}if type({source}) is not str: return None",
        f"{indent}{target} = {source}.strip()",
        # Tab, newline and every other non-printable character take the full rules.
        f"{indent}if not {target}.isprintable(): return None",
    ]
    if pattern is not None:
        lines.append(f"{indent}if {target} and not {pattern}.match({target}): return None")
    return lines


def _pattern(prop: Prop, i: int, names: dict[str, object]) -> str | None:
    """The name under which the generated code finds ``prop``'s compiled pattern, if any."""
    if prop.pattern is None:
        return None
    names[f"P{i}"] = re.compile(prop.pattern)
    return f"P{i}"


def _scalar(prop: Prop, i: int, names: dict[str, object]) -> list[str]:
    key, value = repr(prop.name), f"v{i}"
    out = [f"    {value} = get({key})", f"    if {value} is not None:"]
    body: list[str] = []
    kind = prop.kind
    if kind is Kind.STRING:
        body += _text_lines(value, value, _pattern(prop, i, names), "        ")
        body.append(f"        if {value}: values[{key}] = {value}")
    elif kind is Kind.URL:
        # http(s), a host, no spaces or control characters; anything else takes the full rules.
        body += _text_lines(value, value, None, "        ")
        body += [
            f"        if {value}.startswith('https://'): h = {value}[8:9]",
            f"        elif {value}.startswith('http://'): h = {value}[7:8]",
            "        else: return None",
            f"        if h in '/?#' or ' ' in {value}: return None",
            f"        values[{key}] = {value}",
        ]
    elif kind is Kind.EMAIL:
        body += _text_lines(value, value, None, "        ")
        body += [
            f"        local, at, domain = {value}.partition('@')",
            f"        if not local or not domain or '@' in domain or ' ' in {value}: return None",
            f"        values[{key}] = {value}",
        ]
    elif kind is Kind.DECIMAL:
        body += [
            # Texts of 15 characters or fewer stay far below MAX_SAFE_INTEGER.
            f"        if type({value}) is str and len({value}) < 16 and DEC.match({value}):"
            f" {value} = Decimal({value})",
            f"        elif type({value}) is int and 0 <= {value} <= MAX:"
            f" {value} = Decimal({value})",
            "        else: return None",
        ]
        body += _range(prop, i, names, value)
        body.append(f"        values[{key}] = {value}")
    elif kind is Kind.INTEGER:
        body += [
            f"        if type({value}) is str and len({value}) < 16 and INT.match({value}):"
            f" {value} = int({value})",
            f"        elif type({value}) is not int or {value} < 0 or {value} > MAX: return None",
        ]
        body += _range(prop, i, names, value)
        body.append(f"        values[{key}] = {value}")
    elif kind is Kind.ENUM:
        table = f"E{i}"
        names[table] = {choice.lower(): choice for choice in prop.choices}
        body += [
            f"        if type({value}) is not str: return None",
            f"        {value} = {table}.get({value}.strip().lower())",
            f"        if {value} is None: return None",
            f"        values[{key}] = {value}",
        ]
    elif kind is Kind.DATETIME:
        body += [
            f"        try: values[{key}] = datetime_value({value})",
            "        except Invalid: return None",
        ]
    else:
        # Custom-event payloads and anything else: the full rules.
        body.append("        return None")
    return out + body


def _range(prop: Prop, i: int, names: dict[str, object], value: str) -> list[str]:
    # The patterns and type checks above already rule out negative numbers. Bounds are the
    # table's Decimals, so a fractional minimum such as 0.5 is compared exactly.
    tests = []
    if prop.minimum:
        names[f"LO{i}"] = prop.minimum
        tests.append(f"{value} < LO{i}")
    if prop.maximum is not None:
        names[f"HI{i}"] = prop.maximum
        tests.append(f"{value} > HI{i}")
    return [f"        if {' or '.join(tests)}: return None"] if tests else []


def _many(
    prop: Prop, i: int, names: dict[str, object], lines: Callable[[object], object] | None
) -> list[str]:
    key = repr(prop.data_key)
    value, item = f"v{i}", f"x{i}"
    out = [
        f"    {value} = get({key})",
        f"    if {value} is not None:",
        f"        if type({value}) is str: {value} = ({value},)",
        f"        elif type({value}) is not list and type({value}) is not tuple: return None",
        "        out = []",
        f"        for {item} in {value}:",
    ]
    if prop.kind is Kind.OBJECT:
        assert lines is not None
        names[f"L{i}"] = lines
        out += [
            f"            {item} = L{i}({item})",
            f"            if {item} is None: return None",
            f"            out.append({item})",
        ]
    else:
        out += _text_lines(item, item, _pattern(prop, i, names), "            ")
        out.append(f"            if {item}: out.append({item})")
    out.append(f"        if out: values[{prop.name!r}] = tuple(out)")
    return out


def compile_fast_path(
    name: str,
    props: tuple[Prop, ...],
    *,
    nested: Callable[[object], object] | None = None,
    extra: Callable[[str], bool] | None = None,
) -> FastPath:
    """The fast validator of a model with rows ``props``; ``nested`` builds one nested record
    (a cart line) from a mapping, or returns None. ``extra`` (open models: the contact) says
    whether a key outside the table is a usable custom field; its value must then be plain
    text, kept after the table's values in input order."""
    names: dict[str, object] = {
        "Decimal": Decimal,
        "DEC": DECIMAL_TEXT,
        "INT": INTEGER_TEXT,
        "Invalid": Invalid,
        "MAX": MAX_SAFE_INTEGER,
        "datetime_value": normalise_datetime,
    }
    keys = frozenset(p.data_key for p in props)
    names["KEYS"] = keys
    body = [f"def fast_{name}(data):"]
    if extra is None:
        body.append("    if not KEYS.issuperset(data): return None")
    else:
        names["EXTRA"] = extra
        body += [
            "    extras = None",
            "    if not KEYS.issuperset(data):",
            "        extras = []",
            "        for k in data:",
            "            if k in KEYS: continue",
            "            if type(k) is not str or not EXTRA(k): return None",
            "            v = data[k]",
            *_text_lines("v", "v", None, "            "),
            "            if v: extras.append((k, v))",
        ]
    body += ["    get = data.get", "    values = {}"]
    for i, prop in enumerate(props):
        if prop.multiple:
            body += _many(prop, i, names, nested)
        else:
            body += _scalar(prop, i, names)
    for prop in props:
        if prop.required:
            body.append(f"    if {prop.name!r} not in values: return None")
    if extra is not None:
        body.append("    if extras: values.update(extras)")
    body.append("    return values")
    source = "\n".join(body)
    scope: dict[str, object] = {}
    # The source is built from the vocabulary table only, never from input.
    exec(compile(source, f"<tagkit fast path {name}>", "exec"), names, scope)  # noqa: S102
    function: FastPath = scope[f"fast_{name}"]  # type: ignore[assignment]
    return function

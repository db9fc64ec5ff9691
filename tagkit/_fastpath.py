"""A compiled fast path for validating one model's input and writing its tag body, generated
from the vocabulary.

Validation runs on every page render, so its cost is a cost of every page. For each model and
each *shape* of input (the tuple of its keys, in order: rows from one query share one), this
module writes one straight-line function from the model's rows, as :mod:`dataclasses` writes
``__init__``. It accepts only input that is already in the common, valid form and returns the
record, its values in emission order and its tag body (the property elements, escaped exactly
as :mod:`tagkit._markup` escapes them) written in the same pass, or ``None`` as soon as anything
is unusual: an unknown key, a value of another type, a blank that the full rules would report,
anything at all. ``None`` sends the input to the full validator in :mod:`tagkit._model`, which
gives the same values for valid input and the teaching messages for the rest. The fast path
never reports and never decides that input is invalid; tests run generated input through both
paths and compare.

The checks are written for CPython's speed: ``str`` methods (``isdigit`` after ``isascii``,
``in``, ``startswith``) instead of regular expressions, and f-strings that build each element
in one allocation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from json import dumps as json_dumps
from json.encoder import encode_basestring as encode_json_string
from typing import Any, NamedTuple

from ._frames import replace_entities
from ._values import JS_TRIM, MAX_SAFE_INTEGER, Invalid, format_datetime, normalise_datetime
from .vocabulary import Kind, Prop

FastPath = Callable[[Mapping[str, object]], Any]
Frame = tuple[str, str]
# The markup before and after a property's text, and around a nested object, by class.
Frames = Callable[[str, str], Frame]


class Maker(NamedTuple):
    """How the generated function makes the record: a new instance of ``kind``, its slots set
    with their own setters (records refuse ``__setattr__``), after ``check`` (rules across
    properties, such as line quantities adding up) finds no problem."""

    kind: type
    set_values: Callable[[Any, Any], None]
    set_markup: Callable[[Any, Any], None]
    set_json: Callable[[Any, Any], None]
    check: Callable[[dict[str, object]], bool] | None
    content: bool


class Nested(NamedTuple):
    """A nested model's builder (a cart line's), and its compiled shapes for a direct call;
    for JSON without records (``bare``), its bare builder and shapes, by (keys, summed
    property)."""

    build: Callable[[object], Any]
    shapes: Mapping[tuple[object, ...], FastPath]
    bare: Callable[[object], Any] | None = None
    bare_shapes: Mapping[tuple[object, ...], FastPath] | None = None
    summed: str | None = None


_SPECIAL = "&<>\"'"


def _never(data: Mapping[str, object]) -> None:
    return None


def _decimal_text(text: str) -> str:
    """The tag text of a number written with a leading zero: its Decimal's, in fixed point
    (``0.0000001``, not ``1E-7``), as :mod:`tagkit._markup` writes it."""
    number = Decimal(text)
    written = str(number)
    return format(number, "f") if "E" in written else written


def _text(target: str, prop: Prop | None, indent: str) -> list[str]:
    """Code that sets ``target`` to its stripped text or returns None."""
    lines = [
        f"{indent}if type({target}) is not str: return None",
        # Tab, newline and every other non-printable character take the full rules; checked
        # before the trim, which would hide a form feed at an end.
        f"{indent}if not {target}.isprintable(): return None",
        f"{indent}{target} = {target}.strip(TRIM)",
    ]
    if prop is not None and prop.pattern is not None:
        lines.append(f"{indent}if {target} and not P_{prop.name}.match({target}):")
        lines.append(f"{indent}    return None")
    return lines


def _escaped(value: str) -> str:
    # Five substring tests run in C; a regex search costs more on short text.
    test = " or ".join(f"{char!r} in {value}" for char in _SPECIAL)
    return f"(ENT({value}) if ({test}) else {value})"


class _Writer:
    """Generates one shape's function, row by row."""

    def __init__(self, frames: Frames | None, json: bool, keep: bool = True) -> None:
        self.frames = frames
        self.json = json
        # Whether the values are kept (a record is made), or only the JSON is written.
        self.keep = keep
        # Whether each row writes a piece: an element of the tag body, or a JSON member.
        self.writes = frames is not None or json
        self.names: dict[str, object] = {
            "ENC": encode_json_string,
            "Decimal": Decimal,
            "Invalid": Invalid,
            "MAX": MAX_SAFE_INTEGER,
            "datetime_value": normalise_datetime,
            "datetime_text": format_datetime,
            "ENT": replace_entities,
            "TRIM": JS_TRIM,
            "DTEXT": _decimal_text,
        }
        self.lines: list[str] = []
        # The elements of required properties, as f-string fragments of the record's body.
        self.inline: dict[str, str] = {}

    def store(self, indent: str, key: str, value: str) -> list[str]:
        """The line keeping ``value`` as property ``key``'s, when values are kept."""
        return [f"{indent}values[{key}] = {value}"] if self.keep else []

    def name(self, prefix: str, value: object) -> str:
        key = f"{prefix}{len(self.names)}"
        self.names[key] = value
        return key

    def frame(self, shape: str, cls: str) -> tuple[str, str]:
        assert self.frames is not None
        before, after = self.frames(shape, cls)
        return self.name("A", before), self.name("B", after)

    def pattern(self, prop: Prop) -> None:
        if prop.pattern is not None:
            self.names[f"P_{prop.name}"] = re.compile(prop.pattern)

    def member(self, js_key: str) -> str:
        """The name of the constant ``,"jsKey":`` that starts a JSON member. Every member
        starts with its comma; the object drops the first."""
        return self.name("K", "," + json_dumps(js_key) + ":")

    def json_string(self, text: str) -> str:
        """The expression of ``text`` as a JSON string: json's encoder, in C, which escapes a
        quote or a backslash (printable text holds no control character)."""
        return f"ENC({text})"

    def element(
        self, prop: Prop, piece: str, text: str, indent: str, *, escape: bool, string: bool = True
    ) -> None:
        """Set ``piece`` to the property element holding ``text`` (a name), escaped or not; in
        JSON, to the member holding it as a JSON string or, for numbers, as is. A required
        property's element is written straight into the record's body (``inline``)."""
        if self.json:
            if string and prop.kind is Kind.DATETIME:
                value = f'"{{{text}}}"'  # digits, '-', ':', 'T' and 'Z' only
            elif string:
                value = f"{{{self.json_string(text)}}}"
            else:
                value = f"{{{text}}}"
            fragment = f"{{{self.member(prop.js_key)}}}{value}"
        elif self.frames is None:
            return
        else:
            if escape:
                self.lines.append(f"{indent}{text} = {_escaped(text)}")
            before, after = self.frame("property", prop.name)
            fragment = f"{{{before}}}{{{text}}}{{{after}}}"
        if prop.required and indent == "    ":
            self.inline[piece] = fragment
        else:
            self.lines.append(f"{indent}{piece} = f'{fragment}'")

    def scalar(self, prop: Prop, value: str, piece: str) -> None:
        key, add = repr(prop.name), self.lines.append
        t = "t" + value[1:]  # the text of a number or date, a name of its own
        if self.writes and not prop.required:
            add(f"    {piece} = ''")
        if prop.required:
            indent = "    "
        else:
            add(f"    if {value} is not None:")
            indent = "        "
        kind = prop.kind
        if kind is Kind.STRING:
            self.pattern(prop)
            self.lines += _text(value, prop, indent)
            if prop.required:
                add(f"{indent}if not {value}: return None")
                self.lines += self.store(indent, key, value)
                self.element(prop, piece, value, indent, escape=True)
            else:
                add(f"{indent}if {value}:")
                self.lines += self.store(indent + "    ", key, value)
                self.element(prop, piece, value, indent + "    ", escape=True)
            return
        if kind is Kind.URL:
            # http(s), a host, no spaces or control characters; anything else: the full rules.
            self.lines += _text(value, None, indent)
            self.lines += [
                f"{indent}if {value}.startswith('https://'): h = {value}[8:9]",
                f"{indent}elif {value}.startswith('http://'): h = {value}[7:8]",
                f"{indent}else: return None",
                # A bracket may open an IPv6 host, which the full rules parse.
                f"{indent}if not h or h in '/?#[' or ' ' in {value} or '[' in {value}: return None",
                *self.store(indent, key, value),
            ]
            self.element(prop, piece, value, indent, escape=True)
            return
        if kind is Kind.EMAIL:
            self.lines += _text(value, None, indent)
            self.lines += [
                f"{indent}local, at, domain = {value}.partition('@')",
                f"{indent}if not local or not domain or '@' in domain or ' ' in {value}:"
                " return None",
                *self.store(indent, key, value),
            ]
            self.element(prop, piece, value, indent, escape=True)
            return
        if kind is Kind.DECIMAL:
            # Texts of 15 characters or fewer stay far below MAX_SAFE_INTEGER. ASCII digits,
            # then an optional dot and more digits: the accepted grammar, without a regex.
            # The Decimal is made for a record, or for a bound to compare with exactly.
            number = self.keep or bool(prop.minimum) or prop.maximum is not None
            self.lines += [
                f"{indent}if type({value}) is str and len({value}) < 16 and {value}.isascii():",
                f"{indent}    i_, dot_, f_ = {value}.partition('.')",
                f"{indent}    if not i_.isdigit() or (dot_ and not f_.isdigit()): return None",
                # The text is the Decimal's unless it has a leading zero.
                f"{indent}    {t} = {value} if {value}[0] != '0' else DTEXT({value})",
                *([f"{indent}    {value} = Decimal({value})"] if number else []),
                f"{indent}elif type({value}) is int and 0 <= {value} <= MAX:",
                f"{indent}    {t} = str({value})",
                *([f"{indent}    {value} = Decimal({value})"] if number else []),
                f"{indent}else: return None",
            ]
            self.lines += self.range(prop, value, indent)
            self.lines += self.store(indent, key, value)
            self.element(prop, piece, t, indent, escape=False, string=False)
            return
        if kind is Kind.INTEGER:
            self.lines += [
                f"{indent}if type({value}) is str:",
                f"{indent}    if len({value}) > 15 or not {value}.isascii()"
                f" or not {value}.isdigit(): return None",
                f"{indent}    {value} = int({value})",
                f"{indent}    {t} = str({value})",
                f"{indent}elif type({value}) is not int or {value} < 0 or {value} > MAX:"
                " return None",
                f"{indent}else: {t} = str({value})",
            ]
            self.lines += self.range(prop, value, indent)
            self.lines += self.store(indent, key, value)
            self.element(prop, piece, t, indent, escape=False, string=False)
            return
        if kind is Kind.ENUM:
            table = self.name("E", {choice.lower(): choice for choice in prop.choices})
            self.lines += [
                f"{indent}if type({value}) is not str or not {value}.isprintable(): return None",
                f"{indent}{value} = {table}.get({value}.strip(TRIM).lower())",
                f"{indent}if {value} is None: return None",
                *self.store(indent, key, value),
            ]
            plain = not any(c in choice for choice in prop.choices for c in _SPECIAL)
            self.element(prop, piece, value, indent, escape=not plain)
            return
        if kind is Kind.DATETIME:
            self.lines += [
                f"{indent}try: {value} = datetime_value({value})",
                f"{indent}except Invalid: return None",
                *self.store(indent, key, value),
            ]
            add(f"{indent}{t} = datetime_text({value})")
            self.element(prop, piece, t, indent, escape=False)
            return
        # Custom-event payloads and anything else: the full rules.
        add(f"{indent}return None")

    def range(self, prop: Prop, value: str, indent: str) -> list[str]:
        # The checks above already rule out negative numbers. Bounds are the table's
        # Decimals, so a fractional minimum such as 0.5 is compared exactly.
        tests = []
        if prop.minimum:
            tests.append(f"{value} < {self.name('LO', prop.minimum)}")
        if prop.maximum is not None:
            tests.append(f"{value} > {self.name('HI', prop.maximum)}")
        return [f"{indent}if {' or '.join(tests)}: return None"] if tests else []

    def many(self, prop: Prop, value: str, piece: str, nested: Nested | None) -> None:
        item, add = f"{value}_", self.lines.append
        self.lines += [
            f"    if type({value}) is str: {value} = ({value},)",
            f"    elif type({value}) is not list and type({value}) is not tuple: return None",
        ]
        if self.keep:
            add("    out = []")
        if self.writes:
            add("    body = []")
        if prop.kind is Kind.OBJECT and not self.keep:
            add("    s_ = 0")
        add(f"    for {item} in {value}:")
        if prop.kind is Kind.OBJECT and not self.keep:
            # Each line's JSON and the value of the property the totals add up.
            assert nested is not None and nested.bare is not None
            build, shapes = self.name("L", nested.bare), self.name("S", nested.bare_shapes)
            summed = self.name("SUM", nested.summed)
            # A line that is no mapping is refused by the bare builder.
            key = f"(tuple({item}), {summed})"
            add(f"        f_ = {shapes}.get({key}) if type({item}) is dict else None")
            add(f"        r_ = f_({item}) if f_ is not None else {build}({item})")
            add("        if r_ is None: return None")
            add("        body.append(r_[0])")
            add("        s_ += r_[1]")
        elif prop.kind is Kind.OBJECT:
            assert nested is not None
            build, shapes = self.name("L", nested.build), self.name("S", nested.shapes)
            # The line's compiled shape, called directly; a new shape compiles through build.
            add(f"        if type({item}) is not dict: return None")
            add(f"        f_ = {shapes}.get(tuple({item}))")
            add(f"        {item} = f_({item}) if f_ is not None else {build}({item})")
            add(f"        if {item} is None: return None")
            add(f"        out.append({item})")
            if self.json:
                add(f"        body.append({item}._json)")
            elif self.frames is not None:
                before, after = self.frame("nested", prop.name)
                add(f"        body.append(f'{{{before}}}{{{item}._markup}}{{{after}}}')")
        else:
            self.pattern(prop)
            # Checked before the trim, which would hide a control character at an end.
            add(f"        if type({item}) is not str or not {item}.isprintable(): return None")
            add(f"        s_ = {item}.strip(TRIM)")
            add("        if not s_:")
            # A blank item that is not empty is refused by the full rules: step aside.
            add(f"            if {item}: return None")
            add("            continue")
            if prop.pattern is not None:
                add(f"        if not P_{prop.name}.match(s_): return None")
            if self.keep:
                add("        out.append(s_)")
            if self.json:
                add("        body.append(ENC(s_))")
            elif self.frames is not None:
                before, after = self.frame("property", prop.name)
                add(f"        s_ = {_escaped('s_')}")
                add(f"        body.append(f'{{{before}}}{{s_}}{{{after}}}')")
        if self.keep:
            add(f"    if out: values[{prop.name!r}] = tuple(out)")
        if self.json:
            # Arrays are always present (docs/connectif.md#empty-arrays-present).
            member = self.member(prop.js_key)
            add(f"    {piece} = f'{{{member}}}[{{\",\".join(body)}}]'")
            if prop.kind is Kind.OBJECT and not self.keep:
                add("    lines_ = len(body)")
        elif self.frames is not None:
            add(f"    {piece} = ''.join(body)")


def compile_shape(
    name: str,
    props: tuple[Prop, ...],
    keys: tuple[object, ...],
    maker: Maker,
    *,
    frames: Frames | None = None,
    json: bool = False,
    nested: Nested | None = None,
    extra: Callable[[str], bool] | None = None,
    bare: bool = False,
    summed: str | None = None,
    totals: tuple[str, str] | None = None,
) -> FastPath:
    """The fast builder of input with exactly ``keys`` for a model with rows ``props``.

    ``maker`` says how to make the record. ``frames`` gives the markup around a property's
    text (and a nested object); without it the body is "". With ``json``, the body is instead
    the JSON object ``to_js()`` would give, keys sorted, as :mod:`tagkit.jsonsafe` writes it
    before its script escaping (nested records bring theirs in ``_json``). ``nested`` builds
    one nested record (a cart line) from a mapping, or returns None; the record's own body is
    in its ``_markup``. ``extra`` (open models: the contact) says whether a key outside the
    table is a usable custom field; its value must then be plain text, kept after the table's
    values in input order.

    ``bare`` (with ``json``) makes no record: the function returns the JSON and the value of
    property ``summed`` (0 without one), for a page that only needs the JSON. The model's
    rule across properties must then be ``totals``: (the total, the line property it adds up).
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
    present = set(keys)
    if any(p.required and p.data_key not in present for p in props):
        return _never  # the full rules name what is missing
    by_name = {p.name: (i, p) for i, p in enumerate(props)}
    if bare and (
        not json
        or (maker.check is not None and totals is None)
        or (summed is not None and by_name[summed][1].data_key not in present)
    ):
        return _never
    writer = _Writer(frames, json, keep=not bare)
    lines = writer.lines
    lines += [f"def fast_{name}(data):"]
    if not bare:
        lines.append("    values = {}")
    elif totals is not None:
        lines.append("    lines_ = s_ = 0")
    pieces: list[str] = []
    members: list[tuple[str, str]] = []  # (JS key, piece) for the JSON object
    for i, prop in enumerate(props):
        if prop.data_key not in present:
            if json and prop.multiple:
                empty = writer.name("K", "," + json_dumps(prop.js_key) + ":[]")
                members.append((prop.js_key, empty))
            continue
        value, piece = f"v{i}", f"m{i}"
        members.append((prop.js_key, piece))
        lines.append(f"    {value} = data[{prop.data_key!r}]")
        if prop.multiple:
            lines.append(f"    if {value} is None: {value} = ()")  # absent: none
            writer.many(prop, value, piece, nested)
        else:
            writer.scalar(prop, value, piece)
        if frames is not None:
            pieces.append(piece)
    for j, key in enumerate(custom):
        value, piece = f"c{j}", f"n{j}"
        members.append((key, piece))
        lines.append(f"    {value} = data[{key!r}]")
        lines += _text(value, None, "    ")
        lines.append(f"    {piece} = ''")
        lines.append(f"    if {value}:")
        lines += writer.store("        ", repr(key), value)
        if json:
            lines.append(f"        {piece} = {writer.member(key)} + ENC({value})")
        elif frames is not None:
            before, after = frames("property", key)
            a, b = writer.name("A", before), writer.name("B", after)
            lines.append(f"        {value} = {_escaped(value)}")
            lines.append(f"        {piece} = f'{{{a}}}{{{value}}}{{{b}}}'")
            pieces.append(piece)
    inline = writer.inline
    if json:
        ordered = "".join(inline.get(piece, f"{{{piece}}}") for _, piece in sorted(members))
        body = f"'{{' + f'{ordered}'[1:] + '}}'"
    else:
        written = "".join(inline.get(p, f"{{{p}}}") for p in pieces)
        body = "f'" + written + "'" if pieces else "''"
    writer.names.update(
        NEW=object.__new__,
        KIND=maker.kind,
        SET_VALUES=maker.set_values,
        SET_MARKUP=maker.set_markup,
        SET_JSON=maker.set_json,
        CHECK=maker.check,
    )
    if bare:
        if totals is not None:
            # The totals rule (the full rules report a total that is not the lines' sum).
            total = f"v{by_name[totals[0]][0]}"
            lines.append(f"    if lines_ and {total} != s_: return None")
        kept = f"v{by_name[summed][0]}" if summed is not None else "0"
        lines.append(f"    return ({body}, {kept})")
    else:
        if maker.check is not None:
            lines.append("    if CHECK(values): return None  # the full rules report it")
        lines += ["    record = NEW(KIND)", "    SET_VALUES(record, values)"]
        if json:
            lines += ["    SET_MARKUP(record, None)", f"    SET_JSON(record, {body})"]
        else:
            markup = body if maker.content else "None"
            lines += [f"    SET_MARKUP(record, {markup})", "    SET_JSON(record, None)"]
        lines.append("    return record")
    source = "\n".join(lines)
    scope: dict[str, object] = {}
    # The source is built from the vocabulary table and the key names of a shape that passed
    # the checks above (table keys, or custom field ids matching their strict pattern), written
    # with repr(); never from values.
    exec(compile(source, f"<tagkit fast path {name}>", "exec"), writer.names, scope)  # noqa: S102
    function: FastPath = scope[f"fast_{name}"]  # type: ignore[assignment]
    return function

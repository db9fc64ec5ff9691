"""A compiled fast path for whole page documents, in tags mode and in events mode.

``render_page(doc)`` on the general path validates each entry through the input path
(:mod:`tagkit._input`), keeps the values in a :class:`~tagkit.Page`, then writes each row's tags
through the row's writer: a dozen calls per entry that do no checking of their own, yet on a
product page a third of the time. For each *shape* of page
document (the tuple of its keys, as for records in :mod:`tagkit._fastpath`), this module writes
one function that takes the rows the shape has in the table's order, hands each entry straight
to its model's compiled shape, and writes the tags in the same pass.

It only composes the records' own fast paths and the text tags' shortcut, which decide exactly
as the full rules do. It returns ``None`` as soon as anything is unusual (an entry that is not
the common form, a record its model's fast path steps aside from, a JavaScript-only row in tags
mode, a login without the contact's key): the general path then renders the page, or reports
its problems. ``tests/test_pagefast.py`` renders generated pages both ways.

In events mode the function writes the JSON of the one ``sendEvents`` call instead: each
entry's JSON from its model's compiled shape (the bare one, which makes no record, wherever the
page needs nothing but the JSON), the events in the client's order with ``page-visit`` last,
the contact and the cart as options, exactly as :func:`tagkit.events.events_payload` would give
them to :mod:`tagkit.jsonsafe`; and the page categories and tags as tags.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from json import dumps
from typing import Any

from . import vocabulary as vocab
from ._frames import escape, frame
from ._input import _plain_texts
from ._model import event_js, record_type
from .jsonsafe import compact

PagePath = Callable[[Mapping[str, object]], Any]

# Compiled page shapes by (keys, hidden, events mode); past this many the oldest is dropped.
_MAX_SHAPES = 64
_SHAPES: dict[tuple[tuple[object, ...], bool, bool], PagePath] = {}
_ROWS = {tag.page_key: tag for tag in vocab.ENTRIES}


def _never(data: Mapping[str, object]) -> None:
    return None


def _path(data: dict[str, object], hidden: bool, events: bool) -> PagePath:
    key = (tuple(data), hidden, events)
    fast = _SHAPES.get(key)
    if fast is None:
        if len(_SHAPES) >= _MAX_SHAPES:
            del _SHAPES[next(iter(_SHAPES))]  # the oldest
        made = (
            compile_events(key[0], hidden=hidden) if events else compile_page(key[0], hidden=hidden)
        )
        fast = _SHAPES[key] = made
    return fast


def render(data: dict[str, object], hidden: bool) -> str | None:
    """The tags of page document ``data``, one per line, or None for the general path."""
    text: str | None = _path(data, hidden, False)(data)
    return text


def render_events(data: dict[str, object], hidden: bool) -> tuple[str, str] | None:
    """The JSON of page document ``data``'s ``sendEvents`` call (before the script escaping)
    and its page tags, one per line; or None for the general path."""
    found: tuple[str, str] | None = _path(data, hidden, True)(data)
    return found


def _one_value(names: dict[str, object], i: int, tag: vocab.Tag) -> str:
    """The expression of a once-read row's mapping: the text alone for a row with a one-value
    shorthand (``"search": "red shoe"``), as the input path reads it."""
    if tag.shorthand is None:
        return "d"
    names[f"SH{i}"] = tag.shorthand
    return f"{{SH{i}: d}} if type(d) is str else d"


def _each(
    lines: list[str], names: dict[str, object], i: int, tag: vocab.Tag, one: list[str]
) -> None:
    """Code that runs ``one`` (the code for one record, named ``x``) on entry ``d`` of row
    ``tag``: on each item of a list for a row that repeats, else on the entry itself."""
    if tag.multiple:
        lines += ["    if d is not None:", "        if type(d) is not list: return None"]
        lines += ["        for x in d:", *(f"            {line}" for line in one)]
    else:
        lines += ["    if d is not None:", f"        x = {_one_value(names, i, tag)}"]
        lines += [f"        {line}" for line in one]


def compile_page(keys: tuple[object, ...], *, hidden: bool) -> PagePath:
    """The fast renderer of page documents with exactly ``keys``."""
    if any(type(key) is not str or key not in _ROWS for key in keys):
        return _never  # the general path names the unknown key
    names: dict[str, object] = {"TEXTS": _plain_texts, "ESC": escape}
    lines = ["def page_fast(data):", "    out = []"]
    present = set(keys)
    for i, tag in enumerate(vocab.ENTRIES):
        if tag.page_key not in present:
            continue
        lines.append(f"    d = data[{tag.page_key!r}]")
        if tag in vocab.JS_ONLY:
            lines.append("    if d is not None: return None  # tags cannot carry it")
            continue
        if tag.value_is_text:
            _texts(lines, names, i, tag, hidden)
            continue
        before, after = frame("container", tag.name, hidden)
        if tag.instances == "presence":
            names[f"M{i}"] = before + after
            lines += [
                f"    if d is True: out.append(M{i})",
                "    elif d is not None and d is not False: return None",
            ]
            continue
        kind = record_type(tag.properties)
        if not kind._IS_CONTENT:
            return _never
        names.update({f"F{i}": kind._fast_build, f"B{i}": before, f"A{i}": after})
        # One record, from its model's compiled shape, which wrote its tag body.
        one = [
            f"r = F{i}(x)",
            "if r is None: return None",
            f"out.append(f'{{B{i}}}{{r._markup}}{{A{i}}}')",
        ]
        _each(lines, names, i, tag, one)
    lines.append("    return '\\n'.join(out)")
    scope: dict[str, object] = {}
    # Built from the vocabulary table and page-document keys of the table only, written with
    # repr(); never from values.
    exec(compile("\n".join(lines), "<tagkit page fast path>", "exec"), names, scope)  # noqa: S102
    function: PagePath = scope["page_fast"]  # type: ignore[assignment]
    return function


def _texts(
    lines: list[str], names: dict[str, object], i: int, tag: vocab.Tag, hidden: bool
) -> None:
    """Code that adds the text tags of row ``tag`` (page categories, tags) to ``out``."""
    before, after = frame("text_tag", tag.name, hidden)
    names.update({f"T{i}": tag, f"B{i}": before, f"A{i}": after})
    lines += [
        "    if d is not None:",
        "        if type(d) is not list: return None",
        f"        d = TEXTS(T{i}, d)",
        "        if d is None: return None",
        f"        out += [f'{{B{i}}}{{ESC(x)}}{{A{i}}}' for x in d]",
    ]


def _flat_event(tag: vocab.Tag, record: Any) -> str:
    return compact(event_js(tag, record))


def compile_events(keys: tuple[object, ...], *, hidden: bool) -> PagePath:
    """The fast events-mode writer of page documents with exactly ``keys``: (the call's JSON,
    the page tags), or None."""
    if any(type(key) is not str or key not in _ROWS for key in keys):
        return _never
    present = set(keys)
    names: dict[str, object] = {"TEXTS": _plain_texts, "ESC": escape, "FLAT": _flat_event}
    lines = ["def page_events_fast(data):", "    out = []", "    ev = []"]
    lines.append("    o0 = o1 = c_ = None  # the options' JSON, the contact's record")
    lines.append("    nc = False  # whether an event needs the contact's primary key")
    order = sorted(
        (i, tag)
        for i, tag in enumerate(vocab.ENTRIES)
        if tag.page_key in present and tag.event_type is None
    )
    # Events in the client's order (docs/connectif.md#event-order); a row's items keep theirs.
    events = sorted(
        ((i, tag) for i, tag in enumerate(vocab.ENTRIES) if tag.page_key in present),
        key=lambda pair: vocab.EVENT_RANK.get(pair[1].event_type or "", -1),
    )
    options = sorted((tag.body_path or "", tag) for tag in (vocab.CONTACT_TAG, vocab.CART_TAG))
    option_of = {tag.page_key: f"o{k}" for k, (_, tag) in enumerate(options)}
    needs_contact = False
    for i, tag in [*order, *((i, t) for i, t in events if t.event_type is not None)]:
        lines.append(f"    d = data[{tag.page_key!r}]")
        if tag.value_is_text:
            _texts(lines, names, i, tag, hidden)
            continue
        if tag.instances == "presence":
            assert tag.event_type is not None
            names[f"M{i}"] = compact({vocab.EVENT_TYPE_KEY: tag.event_type})
            lines += [
                f"    if d is True: ev.append(M{i})" + ("; nc = True" if tag.needs_contact else ""),
                "    elif d is not None and d is not False: return None",
            ]
            needs_contact = needs_contact or tag.needs_contact
            continue
        kind = record_type(tag.properties)
        # The JSON alone (no record) where nothing else of the entry is needed: the cart, and
        # the events that nest their record. The contact stays a record (its primary key
        # decides login events), and so do flat events (their members join the type).
        contact = tag is vocab.CONTACT_TAG
        bare = not contact and (tag.event_type is None or tag.event_shape == "nested")
        names[f"F{i}"] = kind._fast_bare if bare else kind._fast_build_json
        json = "r[0]" if bare else "r._json"
        one = [
            f"r = F{i}(x)",
            "if r is None: return None",
        ]
        if tag.event_type is None:
            one.append(f"{option_of[tag.page_key]} = {json}")
            if contact:
                one.append("c_ = r")
        elif tag.event_shape == "nested":
            assert tag.event_field is not None
            members = sorted([(tag.event_field, None), (vocab.EVENT_TYPE_KEY, tag.event_type)])
            text = ["{"]
            for k, (member, value) in enumerate(members):
                text.append(("," if k else "") + dumps(member) + ":")
                text.append("\x00" if value is None else dumps(value))
            before, _, after = "".join([*text, "}"]).partition("\x00")
            names.update({f"B{i}": before, f"A{i}": after})
            one.append(f"ev.append(f'{{B{i}}}{{{json}}}{{A{i}}}')")
        else:
            names[f"T{i}"] = tag
            one.append(f"ev.append(FLAT(T{i}, r))")
        if tag.event_type is not None and tag.needs_contact:
            one.append("nc = True")
            needs_contact = True
        _each(lines, names, i, tag, one)
    if needs_contact:
        # A login or register without the contact's primary key: the general path says so
        # (docs/connectif.md#tag-login-register).
        names["PK"] = vocab.PRIMARY_KEY.name
        lines.append("    if nc and (c_ is None or PK not in c_._values): return None")
    names["VISIT"] = compact({vocab.EVENT_TYPE_KEY: vocab.PAGE_VISIT})
    names["HEAD"] = "{" + dumps(vocab.EVENTS_KEY) + ":["
    names["MID"] = "]," + dumps(vocab.OPTIONS_KEY) + ":{"
    for k, (path, _) in enumerate(options):
        names[f"K{k}"] = dumps(path) + ":"
    lines.append("    ev.append(VISIT)")
    lines.append("    opts = []")
    for k in range(len(options)):
        lines.append(f"    if o{k} is not None: opts.append(K{k} + o{k})")
    lines.append("    return HEAD + ','.join(ev) + MID + ','.join(opts) + '}}', '\\n'.join(out)")
    scope: dict[str, object] = {}
    # Built from the vocabulary table and page-document keys of the table only, written with
    # repr(); never from values.
    source = "\n".join(lines)
    exec(compile(source, "<tagkit page events fast path>", "exec"), names, scope)  # noqa: S102
    function: PagePath = scope["page_events_fast"]  # type: ignore[assignment]
    return function

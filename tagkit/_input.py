"""The one input path: "data for X" (a model, a mapping, a list of them, or the shorthand) to
the validated value of X, where X is a row of :mod:`tagkit.vocabulary`.

``render_tag``, ``event``, ``Page`` and every ``tagkit`` command call :func:`validate`, so the
same input is accepted, normalised and reported the same way everywhere: problems are named
from the row's page-document key (``purchases[1].total_price``).

>>> validate(vocab.lookup_tag("search"), "red shoe").search_text
'red shoe'
"""

from __future__ import annotations

from collections.abc import Mapping

from . import vocabulary as vocab
from ._model import Record, build_each, is_sequence, list_item, record_type
from ._values import JS_TRIM, checker, quoted, utf16_length
from .errors import Problem, ValidationError
from .vocabulary import Kind, Tag

# A text tag's value (page category, page tag) shares the string rules of the table.
_TEXT_ROWS = {
    tag.name: vocab._p(tag.name, tag.page_key, Kind.STRING, pattern=tag.pattern, levels=tag.levels)
    for tag in vocab.TAGS
    if tag.value_is_text
}


def validate(tag: Tag, data: object, *, path: str | None = None) -> object:
    """The validated value of ``tag``'s entry in a page, or :class:`ValidationError`.

    The value is a model (``Cart``) for a tag read once, a tuple of models for a tag that may
    repeat (a single model or mapping is a list of one), a tuple of text for page categories and
    tags, and ``True``/``False`` for markers such as ``login``. Problems are named under
    ``path`` (default: the row's page-document key).
    """
    problems: list[Problem] = []
    value = build(tag, data, tag.page_key if path is None else path, problems)
    if problems or value is None:
        raise ValidationError(problems or [Problem(path or tag.page_key, "is required")])
    return value


_MARKER, _TEXTS, _MANY, _ONE = range(4)


def _plan(tag: Tag) -> tuple[int, type[Record]]:
    if tag.instances == "presence":
        return _MARKER, Record
    if tag.value_is_text:
        return _TEXTS, Record
    return (_MANY if tag.multiple else _ONE), record_type(tag.properties)


# What each row takes, worked out once, by the row's identity (a row outside the table is
# planned on each call).
_PLANS = {id(tag): (tag, _plan(tag)) for tag in vocab.ENTRIES}


def build(
    tag: Tag, data: object, path: str, problems: list[Problem], *, json: bool = False
) -> object | None:
    """:func:`validate` without raising: the value, or None with the problems added.

    Records from the fast path carry their tag body, or with ``json`` (events mode) the JSON of
    their ``to_js()``.
    """
    known = _PLANS.get(id(tag))
    mode, kind = known[1] if known is not None and known[0] is tag else _plan(tag)
    if mode == _ONE:
        if type(data) is dict:
            fast = kind._fast_build_json if json else kind._fast_build
            return fast(data) or kind.build(data, path, problems)
        return _one(kind, tag, data, path, problems)
    if mode == _MANY:
        if type(data) is list:
            fast = kind._fast_build_json if json else kind._fast_build
            built = [fast(item) for item in data]
            if None not in built:
                return tuple(built)
        if is_sequence(data):
            assert isinstance(data, (list, tuple))
            each = build_each(kind, [_expand(tag, item) for item in data], path, problems)
            return tuple(r for r in each if r is not None)
        one = _one(kind, tag, data, path, problems)
        return None if one is None else (one,)
    if mode == _TEXTS:
        return _texts(tag, data, path, problems)
    if type(data) is bool:
        return data
    problems.append(
        Problem(path, f"must be true or false (a marker carries no data), got {quoted(data)}")
    )
    return None


def _expand(tag: Tag, data: object) -> object:
    # The shorthand: "red shoe" -> {"search_text": "red shoe"}. Text marked safe by a template
    # engine (a str subclass) is text too.
    if tag.shorthand is not None and isinstance(data, str):
        return {tag.shorthand: str(data)}
    return data


def _one(
    kind: type[Record], tag: Tag, data: object, path: str, problems: list[Problem]
) -> Record | None:
    if type(data) is kind:
        return data  # a model of this row, valid since it was built
    data = _expand(tag, data)
    if isinstance(data, Mapping):
        return kind.build(data, path, problems)
    form = "an object of properties"
    if tag.shorthand is not None:
        form += f" or the {tag.shorthand} text itself"
    if tag.multiple:
        form += ", or a list of them"
    problems.append(Problem(path, f"must be {form}, got {quoted(data)}"))
    return None


def _plain_texts(tag: Tag, items: list[object]) -> tuple[str, ...] | None:
    """Common, valid text values (printable, within the limits), or None for the full rules."""
    out = []
    limit = tag.max_length
    for item in items:
        if type(item) is not str or not item.isprintable():
            return None  # checked before the trim, which would hide a control at an end
        value = item.strip(JS_TRIM)
        if not value:
            if item:
                return None  # blank once trimmed: the full rules refuse it
            continue
        # UTF-16 units are the code points for ASCII text, at most twice as many otherwise.
        if (
            limit is not None
            and len(value) * 2 > limit
            and (not value.isascii() or len(value) > limit)
        ):
            return None  # the full rules count and report
        out.append(value)
    if tag.max_items is not None and len(out) > tag.max_items:
        return None
    return tuple(out)


def _texts(tag: Tag, raw: object, path: str, problems: list[Problem]) -> tuple[str, ...] | None:
    if type(raw) is list:
        fast = _plain_texts(tag, raw)
        if fast is not None:
            return fast
    items = [raw] if type(raw) is str else raw
    if not is_sequence(items):
        problems.append(Problem(path, f"must be text or a list of text, got {quoted(raw)}"))
        return None
    assert isinstance(items, (list, tuple))
    row = _TEXT_ROWS[tag.name]
    check, limit = checker(row), tag.max_length
    out: list[str] = []
    for i, item in enumerate(items):
        value = list_item(row, check, item, f"{path}[{i}]", problems)
        if value is None:
            continue
        assert isinstance(value, str)
        # UTF-16 units are at least the code points, at most twice as many.
        if limit is not None and len(value) * 2 > limit and utf16_length(value) > limit:
            problems.append(
                Problem(
                    f"{path}[{i}]",
                    f"must be at most {limit} characters (the client cuts the rest), "
                    f"got {quoted(value)} ({utf16_length(value)})",
                )
            )
            continue
        out.append(value)
    if tag.max_items is not None and len(out) > tag.max_items:
        problems.append(
            Problem(
                path,
                f"must hold at most {tag.max_items} values (the client drops the rest), "
                f"got {len(out)}",
            )
        )
    return tuple(out)


def page_category(value: str | list[str], *, path: str | None = None) -> str:
    """Validate one page category: a path or its level names. ``["A", "B"]`` -> ``"/A/B"``.

    >>> page_category(["Shoes", "Running"])
    '/Shoes/Running'
    """
    tag = next(t for t in vocab.PAGE_INFO_TAGS if t.levels)
    problems: list[Problem] = []
    out = _texts(tag, [value], tag.page_key if path is None else path, problems)
    if problems or not out:
        raise ValidationError(problems or [Problem(path or tag.page_key, "must not be empty")])
    return out[0]

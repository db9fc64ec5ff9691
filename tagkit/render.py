"""Render validated models to markup through tagkit's Jinja2 templates.

Every function returns :class:`markupsafe.Markup`, which Jinja2 and Django insert as is.

>>> print(render_tag("page-tag", ["summer-sale"]))
<span class="cn_page_tag" style="display:none">summer-sale</span>
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import _markup
from . import vocabulary as vocab
from ._resources import templates_dir
from .errors import Problem, ValidationError
from .model import PAGE_KEYS, RECORD_FOR_TAG, Page, Record
from .vocabulary import Tag

_TAG_KEY = {tag_name: key for key, tag_name in PAGE_KEYS.items()}


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment tagkit renders with: autoescape on, undefined is an error."""
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def render_template(name: str, **context: Any) -> Markup:
    """Render one of tagkit's templates by file name."""
    return Markup(environment().get_template(name).render(**context))  # noqa: S704


def _tags(tag: Tag, page: Page, hidden: bool, out: list[str]) -> None:
    key = _TAG_KEY[tag.name]
    if tag.value_is_text:
        out.extend(_markup.text_tag(tag.name, value, hidden=hidden) for value in getattr(page, key))
    elif tag.instances == "presence":
        if getattr(page, key):
            out.append(_markup.container(tag.name, None, hidden=hidden))
    else:
        found = getattr(page, key)
        records = (found,) if isinstance(found, Record) else found or ()
        out.extend(_markup.container(tag.name, record, hidden=hidden) for record in records)


def render_tags(page: Page, tags: Sequence[Tag] = vocab.TAGS, *, hidden: bool = False) -> Markup:
    """The tags of ``page`` among ``tags`` (default: all, in the vocabulary's order)."""
    out: list[str] = []
    for tag in tags:
        _tags(tag, page, hidden, out)
    return _markup.join(out)


def render_page(page: Page | Mapping[str, object], *, hidden: bool = False) -> Markup:
    """Every tag of one page from a page document, one tag per line.

    ``hidden=True`` hides containers with the ``hidden`` attribute instead of an inline style
    (for a Content-Security-Policy without ``'unsafe-inline'`` styles, D13).

    >>> print(render_page({"search": "red shoe"}))
    <div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>
    """
    if not isinstance(page, Page):
        page = Page.from_dict(page)
    return render_tags(page, hidden=hidden)


def _page_for_tag(tag: Tag, data: object) -> Page:
    key = _TAG_KEY[tag.name]
    if tag.instances == "presence":
        if data not in (None, True, {}):
            raise ValidationError(
                [Problem(tag.short, f"takes no data (it is an empty marker), got {data!r}")]
            )
        return _page(key, True)
    if tag.value_is_text:
        return Page.from_dict({key: data})
    record_type = RECORD_FOR_TAG[tag.name]
    items = data if tag.instances == "all" and isinstance(data, (list, tuple)) else [data]
    records: list[Record] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        path = record_type.LABEL if len(items) == 1 else f"{record_type.LABEL}[{i}]"
        if isinstance(item, record_type):
            records.append(item)
            continue
        try:
            records.append(record_type.from_dict(item, path=path))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return _page(key, tuple(records) if tag.instances == "all" else records[0])


def _page(key: str, value: Any) -> Page:
    fields: dict[str, Any] = {key: value}
    return Page(**fields)


def render_tag(tag: str, data: object = None, *, hidden: bool = False) -> Markup:
    """One Connectif tag, by class name (``cn_cart``) or short name (``cart``).

    ``data`` is a model or the mapping it is built from; a list of them for tags that may
    repeat (``purchase``, ``product-visited``, ``product-searched``); text or a list of text for
    ``page-category`` and ``page-tag``; nothing for ``login`` and ``register``.
    """
    spec = vocab.lookup_tag(tag)
    return render_tags(_page_for_tag(spec, data), (spec,), hidden=hidden)

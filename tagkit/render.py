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

from . import vocabulary as vocab
from ._markup import children
from ._resources import templates_dir
from .errors import Problem, ValidationError
from .model import PAGE_KEYS, RECORD_FOR_TAG, Page, Record
from .vocabulary import Tag

# (tag class, the text of a tag whose value is its own text, or None and a container's children)
Block = tuple[str, "str | None", Markup]

_TAG_KEY = {tag_name: key for key, tag_name in PAGE_KEYS.items()}
_EMPTY = Markup()


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


def _blocks(tag: Tag, page: Page) -> list[Block]:
    key = _TAG_KEY[tag.name]
    if tag.value_is_text:
        return [(tag.name, value, _EMPTY) for value in getattr(page, key)]
    if tag.instances == "presence":
        return [(tag.name, None, _EMPTY)] if getattr(page, key) else []
    return [(tag.name, None, children(record)) for record in page.records(tag.name)]


def page_blocks(page: Page) -> list[Block]:
    """The blocks of every tag of ``page``, in the vocabulary's order."""
    blocks: list[Block] = []
    for tag in vocab.TAGS:
        blocks.extend(_blocks(tag, page))
    return blocks


def render_blocks(blocks: Sequence[Block], *, hidden: bool = False) -> Markup:
    return render_template("tags.html.j2", blocks=blocks, hidden=hidden)


def render_page(page: Page | Mapping[str, object], *, hidden: bool = False) -> Markup:
    """Every tag of one page from a page document, one tag per line.

    ``hidden=True`` hides containers with the ``hidden`` attribute instead of an inline style
    (for a Content-Security-Policy without ``'unsafe-inline'`` styles, D13).

    >>> print(render_page({"search": "red shoe"}))
    <div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>
    """
    if not isinstance(page, Page):
        page = Page.from_dict(page)
    return render_blocks(page_blocks(page), hidden=hidden)


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
    return render_blocks(_blocks(spec, _page_for_tag(spec, data)), hidden=hidden)

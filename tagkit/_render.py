"""Render validated models to Connectif's hidden tags.

Every function returns :class:`markupsafe.Markup`, which Jinja2 and Django insert as is.

>>> print(render_tag("page-tag", ["summer-sale"]))
<span class="cn_page_tag" style="display:none">summer-sale</span>
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from markupsafe import Markup

from . import _markup, _pagefast
from . import vocabulary as vocab
from ._input import validate
from ._page import Page
from .errors import Problem, ValidationError
from .vocabulary import Tag


def _write(tag: Tag) -> Callable[[object, bool, list[str]], None]:
    """How one row's value is written: markers, text tags, one record or several."""
    name = tag.name
    if tag.value_is_text:

        def texts(value: object, hidden: bool, out: list[str]) -> None:
            out += _markup.text_tags(name, value, hidden=hidden)  # type: ignore[arg-type]

        return texts
    if tag.instances == "presence":

        def marker(value: object, hidden: bool, out: list[str]) -> None:
            if value:
                out.append(_markup.container(name, None, hidden=hidden))

        return marker
    if tag.multiple:

        def records(value: object, hidden: bool, out: list[str]) -> None:
            out += _markup.containers(name, value, hidden=hidden)  # type: ignore[arg-type]

        return records

    def record(value: object, hidden: bool, out: list[str]) -> None:
        out.append(_markup.container(name, value, hidden=hidden))  # type: ignore[arg-type]

    return record


# Each tag row's writer by page-document key; a page holds only the rows it has, in the
# table's order, so rendering walks those alone.
_WRITERS = {tag.page_key: _write(tag) for tag in vocab.TAGS}


def render_tags(page: Page, tags: Iterable[Tag] | None = None, *, hidden: bool = False) -> Markup:
    """The tags of ``page`` among ``tags`` (default: all, in the vocabulary's order)."""
    out: list[str] = []
    if tags is None:
        writers = _WRITERS
        for key, value in page._values.items():
            write = writers.get(key)
            if write is not None:
                write(value, hidden, out)
    else:
        for tag in tags:
            _WRITERS[tag.page_key](page.get(tag), hidden, out)
    return _markup.join(out)


def _js_only(page: Page) -> None:
    found = [tag for tag in vocab.JS_ONLY if page.get(tag)]
    if found:
        raise ValidationError(
            Problem(
                tag.page_key,
                "can only be sent from JavaScript, which tags cannot carry; render the page in "
                "events mode (render_page_events, tagkit page --mode events), or leave them out",
            )
            for tag in found
        )


def render_page(page: Page | Mapping[str, object], *, hidden: bool = False) -> Markup:
    """Every tag of one page from a page document, one tag per line.

    ``hidden=True`` hides containers with the ``hidden`` attribute instead of an inline style,
    for a Content-Security-Policy without ``'unsafe-inline'`` styles
    (docs/connectif.md#markup-hidden).

    >>> print(render_page({"search": "red shoe"}))
    <div class="cn_search" style="display:none"><span class="search_text">red shoe</span></div>
    """
    if type(page) is dict and type(hidden) is bool:
        # The common page document takes the compiled page path; anything else, or any
        # problem, the general one, which reports it.
        text = _pagefast.render(page, hidden)
        if text is not None:
            return Markup(text)  # noqa: S704 - tags written from escaped values
    if not isinstance(page, Page):
        page = Page.from_dict(page)
    _js_only(page)
    return render_tags(page, hidden=hidden)


def render_tag(tag: str, data: object = None, *, hidden: bool = False) -> Markup:
    """One Connectif tag, by class name (``cn_cart``) or short name (``cart``).

    ``data`` is a model or the mapping it is built from; a list of them for tags that may
    repeat (``purchase``, ``product-visited``, ``product-searched``); the text itself for
    ``search`` and ``newsletter-subscribe``; text or a list of text for ``page-category`` and
    ``page-tag``; nothing (or true) for ``login`` and ``register``.

    >>> print(render_tag("login"))
    <div class="cn_login" style="display:none"></div>
    """
    spec = vocab.lookup_tag(tag)
    if data is None and spec.instances == "presence":
        data = True
    page = Page({spec.page_key: validate(spec, data)})
    return render_tags(page, (spec,), hidden=hidden)

"""Read Connectif tags back out of HTML with the client's own lookup rules.

The rules (docs/connectif.md#lookup): containers are found by class anywhere in the page; inside
one, a single-valued property is the *first* element with its class at any depth, a multi-valued
one is *every* such element; the contact container looks only at direct children and uses the
child's whole class attribute as the key; text is the element's text with both ends trimmed.
What the client would drop or misread is not hidden: it is left out of the page, as the client
leaves it out of the request, and reported as a :class:`~tagkit.errors.Problem`.

>>> result = parse_page('<div class="cn_search"><span class="search_text"> red shoe </span></div>')
>>> result.page.search.search_text
'red shoe'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bs4 import BeautifulSoup, Tag

from . import vocabulary as vocab
from ._input import validate
from ._model import ANONYMOUS, Record, record_type
from ._page import Page
from ._values import utf16_length
from .errors import Problem, ValidationError
from .vocabulary import Kind, Prop

# JavaScript's String.prototype.trim removes these (ECMAScript WhiteSpace and LineTerminator).
_JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


@dataclass(frozen=True)
class ParsedPage:
    """What the client would read from a page, and what it would silently drop or misread."""

    page: Page
    problems: tuple[Problem, ...] = ()


def text_of(element: Tag) -> str:
    """The element's text as the client reads a hidden element: textContent, trimmed."""
    return element.get_text().strip(_JS_SPACE)


def _has_class(name: str) -> Any:
    def match(classes: Any) -> bool:
        return classes is not None and name in classes.split()

    return match


def find_all(root: BeautifulSoup | Tag, class_name: str) -> list[Tag]:
    """Every element below ``root`` carrying ``class_name``, in document order."""
    return list(root.find_all(class_=_has_class(class_name)))


def _prop_values(container: Tag, props: tuple[Prop, ...]) -> dict[str, object]:
    data: dict[str, object] = {}
    for prop in props:
        found = find_all(container, prop.name)
        if not found:
            continue
        if prop.kind is Kind.OBJECT:
            obj = vocab.OBJECTS[prop.obj or ""]
            data[prop.js_key] = [_prop_values(line, obj) for line in found]
        elif prop.multiple:
            values = [text_of(el) for el in found]
            data[prop.name] = [v for v in values if v]
        else:
            data[prop.name] = text_of(found[0])
    return data


def _contact_values(container: Tag) -> dict[str, object]:
    data: dict[str, object] = {}
    for child in container.find_all(recursive=False):
        classes = child.get("class")
        if not classes:
            continue
        key = " ".join(classes) if isinstance(classes, list) else str(classes)
        if key in data:
            continue  # the client keeps the first
        data[key] = text_of(child)
    if vocab.PRIMARY_KEY.name not in data:
        data[ANONYMOUS] = True
    return data


def _build(
    kind: type[Record], data: dict[str, object], path: str, problems: list[Problem]
) -> Record | None:
    """Build like the client reads: a bad optional value is left out, a bad required one
    drops the whole record. Every problem is reported either way."""
    try:
        return kind.from_dict(data, path=path)
    except ValidationError as exc:
        problems.extend(exc.problems)
        bad = {p.path for p in exc.problems}
    required = {p.name for p in kind.PROPS if p.required}
    trimmed = {
        k: v
        for k, v in data.items()
        if k in required
        or (f"{path}.{k}" not in bad and not any(b.startswith(f"{path}.{k}[") for b in bad))
    }
    try:
        return kind.from_dict(trimmed, path=path)
    except ValidationError:
        return None


def _limit(values: list[str], tag: vocab.Tag, path: str, problems: list[Problem]) -> list[str]:
    kept: list[str] = []
    for i, value in enumerate(values):
        if not value:
            continue
        if tag.pattern is not None:
            try:
                found = validate(tag, [value])
                assert isinstance(found, tuple)
                kept.extend(found)
            except ValidationError as exc:
                problems.extend(replace(p, path=f"{path}[{i}]") for p in exc.problems)
                kept.append(value)  # the client sends it as is
            continue
        if tag.max_length is not None and utf16_length(value) > tag.max_length:
            problems.append(
                Problem(
                    f"{path}[{i}]",
                    f"is longer than {tag.max_length} characters; the client cuts it, "
                    f"got {value!r}",
                )
            )
            value = value.encode("utf-16-le")[: tag.max_length * 2].decode("utf-16-le", "ignore")
        kept.append(value)
    if tag.max_items is not None and len(kept) > tag.max_items:
        problems.append(
            Problem(path, f"has {len(kept)} values; the client keeps the first {tag.max_items}")
        )
        kept = kept[: tag.max_items]
    return kept


def parse_page(html: str | bytes) -> ParsedPage:
    """Read every Connectif tag of a page as the client would.

    ``parse_page(render_page(page)).page == page`` for every valid page.
    """
    soup = BeautifulSoup(html, "html.parser")
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for tag in vocab.TAGS:
        key = tag.page_key
        containers = find_all(soup, tag.name)
        if not containers:
            continue
        if tag.instances == "presence":
            fields[key] = True
            continue
        if tag.value_is_text:
            fields[key] = tuple(_limit([text_of(el) for el in containers], tag, tag.name, problems))
            continue
        if tag.instances == "first":
            containers = containers[:1]
        kind = record_type(tag.properties)
        records: list[Record] = []
        for i, container in enumerate(containers):
            path = tag.name if tag.instances == "first" else f"{tag.name}[{i}]"
            if tag.direct_children:
                data = _contact_values(container)
            else:
                data = _prop_values(container, tag.properties)
            record = _build(kind, data, path, problems)
            if record is not None:
                records.append(record)
        if tag.instances == "all":
            fields[key] = tuple(records)
        elif records:
            fields[key] = records[0]
    return ParsedPage(Page(fields), tuple(problems))


def parse_records(html: str | bytes, tag: str) -> tuple[Record, ...]:
    """The records of one tag on a page, e.g. ``parse_records(html, "cart")``."""
    return parse_page(html).page.records(vocab.lookup_tag(tag))


__all__ = ["ParsedPage", "find_all", "parse_page", "parse_records", "text_of"]

"""Read Connectif tags back out of HTML with the client's own lookup rules.

The rules (docs/connectif.md#lookup): containers are found by class anywhere in the page; inside
one, a single-valued property is the *first* element with its class at any depth, a multi-valued
one is *every* such element; the contact container looks only at direct children and uses the
child's whole class attribute as the key; text is the element's text with both ends trimmed.
The page is parsed into the tree a browser builds (:mod:`tagkit._dom`), and every lookup is an
index lookup into one walk of that tree. What the client would drop or misread is not hidden:
it is left out of the page, as the client leaves it out of the request, and reported as a
:class:`~tagkit.errors.Problem`.

>>> result = parse_page('<div class="cn_search"><span class="search_text"> red shoe </span></div>')
>>> result.page.search.search_text
'red shoe'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bs4 import BeautifulSoup, Tag

from . import vocabulary as vocab
from ._dom import Document, class_tokens, js_trim, parse_document, text_content
from ._input import validate
from ._model import ANONYMOUS, Record, record_type
from ._page import Page
from ._values import utf16_length
from .errors import Problem, ValidationError
from .vocabulary import Kind, Prop


@dataclass(frozen=True)
class ParsedPage:
    """What the client would read from a page, and what it would silently drop or misread."""

    page: Page
    problems: tuple[Problem, ...] = ()


def text_of(element: Tag) -> str:
    """The element's text as the client reads a hidden element: textContent, trimmed."""
    return js_trim(text_content(element))


def find_all(root: BeautifulSoup | Tag, class_name: str) -> list[Tag]:
    """Every element below ``root`` carrying ``class_name``, in document order."""
    return [el for el in root.find_all(True) if class_name in class_tokens(el.attrs.get("class"))]


def contact_children(doc: Document, container: int) -> list[tuple[str, int]]:
    """The keys the client reads from ``cn_client_info``: each direct child's whole class
    attribute, in order (docs/connectif.md#lookup-client-info-direct-children,
    docs/connectif.md#lookup-client-info-class-key). Children without a class are skipped."""
    out: list[tuple[str, int]] = []
    for child in doc.children(container):
        value = doc.elements[child].attrs.get("class")
        key = " ".join(value) if isinstance(value, list) else value
        if key:
            out.append((str(key), child))
    return out


def _prop_values(doc: Document, container: int, props: tuple[Prop, ...]) -> dict[str, object]:
    data: dict[str, object] = {}
    for prop in props:
        found = doc.within(container, prop.name)
        if not found:
            continue
        if prop.kind is Kind.OBJECT:
            obj = vocab.OBJECTS[prop.obj or ""]
            data[prop.js_key] = [_prop_values(doc, line, obj) for line in found]
        elif prop.multiple:
            values = [doc.text(el) for el in found]
            data[prop.name] = [v for v in values if v]
        else:
            data[prop.name] = doc.text(found[0])
    return data


def _contact_values(doc: Document, container: int) -> dict[str, object]:
    data: dict[str, object] = {}
    for key, child in contact_children(doc, container):
        if key in data:
            continue  # the client keeps the first
        data[key] = doc.text(child)
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
        if tag.max_length is None:
            try:
                validate(tag, [value])
            except ValidationError as exc:
                # The client sends it; a page of tagkit's cannot hold it: reported, left out.
                problems.extend(replace(p, path=f"{path}[{i}]") for p in exc.problems)
                continue
        if tag.max_length is not None and utf16_length(value) > tag.max_length:
            problems.append(
                Problem(
                    f"{path}[{i}]",
                    f"is longer than {tag.max_length} characters; the client cuts it, "
                    f"got {value!r}",
                )
            )
            value = value.encode("utf-16-le", "surrogatepass")[: tag.max_length * 2].decode(
                "utf-16-le", "ignore"
            )
        try:
            validate(tag, [value])
        except ValidationError as exc:
            problems.extend(replace(p, path=f"{path}[{i}]") for p in exc.problems)
            continue
        kept.append(value)
    if tag.max_items is not None and len(kept) > tag.max_items:
        problems.append(
            Problem(path, f"has {len(kept)} values; the client keeps the first {tag.max_items}")
        )
        kept = kept[: tag.max_items]
    return kept


def parse_page(html: str | bytes) -> ParsedPage:
    """Read every Connectif tag of a page as the client would.

    The page is parsed as a browser parses it (:mod:`tagkit._dom`).
    ``parse_page(render_page(page)).page == page`` for every valid page.
    """
    return read_document(parse_document(html))


def read_document(doc: Document) -> ParsedPage:
    """:func:`parse_page` for a page already parsed."""
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for tag in vocab.TAGS:
        key = tag.page_key
        containers = doc.with_class(tag.name)
        if not containers:
            continue
        if tag.instances == "presence":
            fields[key] = True
            continue
        if tag.value_is_text:
            texts = [doc.text(el) for el in containers]
            fields[key] = tuple(_limit(texts, tag, tag.name, problems))
            continue
        if tag.instances == "first":
            containers = containers[:1]
        kind = record_type(tag.properties)
        records: list[Record] = []
        for i, container in enumerate(containers):
            path = tag.name if tag.instances == "first" else f"{tag.name}[{i}]"
            if tag.direct_children:
                data = _contact_values(doc, container)
            else:
                data = _prop_values(doc, container, tag.properties)
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


__all__ = [
    "ParsedPage",
    "contact_children",
    "find_all",
    "parse_page",
    "parse_records",
    "read_document",
    "text_of",
]

"""A page's tree as a browser builds it, indexed by class in one walk.

Connectif's client runs on the DOM that the browser's HTML5 parser builds, so tagkit parses with
html5lib, an implementation of the same WHATWG algorithm, into a BeautifulSoup tree. Python's
``html.parser`` builds a different tree for real pages: it nests a ``<div>`` inside a ``<p>``
(the browser closes the ``<p>``), keeps ``<div/>`` empty (the browser ignores the slash and
nests what follows), reads markup inside ``<noscript>``, ``<textarea>``, ``<title>`` and
``<iframe>`` as elements, keeps foster-parented table content inside the table and misses the
end of a comment written ``--!>``. Two browser rules html5lib leaves to its caller are applied
here: ``<noscript>`` content is text (scripting is on, as in every browser that runs the
client), and ``<template>`` content is no part of the document.

``parser="lxml"`` (optional: ``pip install "tagkit[lxml]"``) is faster but not HTML5-exact:
libxml2 repairs mis-nested tags its own way and honours ``<div/>`` (docs/lint-rules.md#parsers
lists the differences). bs4's lxml builder records no source positions, so a plain lxml parse
gives each element's line and the source its column; ``<noscript>`` content is turned into text
and table content outside cells is moved before its table, as a browser does.

Class lookups follow ``getElementsByClassName``: the attribute is split on ASCII whitespace
only, and in quirks mode (a page without ``<!doctype html>``) names match ASCII
case-insensitively.

>>> doc = parse_document('<!doctype html><p class="a"><div class="b">x</div></p>')
>>> [doc.elements[i].name for i in doc.with_class("b")], doc.within(doc.with_class("a")[0], "b")
(['div'], [])
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

HTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# The parsers BeautifulSoup can use. Only html5lib builds the browser's tree; lxml is faster and
# gives the same positions; html.parser is accepted for comparison only.
PARSERS = ("html5lib", "html.parser", "lxml")
DEFAULT_PARSER = "html5lib"

_ASCII_SPACE = re.compile(r"[\t\n\f\r ]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# JavaScript's String.prototype.trim removes these (ECMAScript WhiteSpace and LineTerminator).
JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def class_tokens(value: object) -> list[str]:
    """The class names of a ``class`` attribute, split on ASCII whitespace as the DOM does.

    >>> class_tokens("a\\u00a0b\\tc")
    ['a\\xa0b', 'c']
    """
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if not isinstance(value, str):
        return []
    return [token for token in _ASCII_SPACE.split(value) if token]


def ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _is_template(tag: Tag) -> bool:
    return tag.name == "template" and tag.namespace in (None, HTML_NAMESPACE)


def text_content(tag: Tag) -> str:
    """The element's ``textContent``: every text below it, ``<template>`` content excluded."""
    parts: list[str] = []
    stack: list[Iterator[Any]] = [iter(tag.contents)]
    while stack:
        for node in stack[-1]:
            if isinstance(node, Tag):
                if not _is_template(node):
                    stack.append(iter(node.contents))
                    break
            elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
                parts.append(str(node))
        else:
            stack.pop()
    return "".join(parts)


def js_trim(text: str) -> str:
    return text.strip(JS_SPACE)


@dataclass(frozen=True)
class Position:
    """A place in the page's source: 1-based line and column (in characters)."""

    line: int
    column: int


@dataclass
class Document:
    """A parsed page: the tree, its elements in document order and an index by class."""

    soup: BeautifulSoup
    source: str
    quirks: bool
    elements: list[Tag] = field(default_factory=list)
    # ends[i]: the index of the last element inside elements[i] (i itself when it has none).
    ends: list[int] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    by_class: dict[str, list[int]] = field(default_factory=dict)
    _index: dict[int, int] = field(default_factory=dict)
    _line_starts: list[int] | None = None

    def _key(self, name: str) -> str:
        return ascii_lower(name) if self.quirks else name

    def with_class(self, name: str) -> list[int]:
        """``document.getElementsByClassName(name)``, as element indexes."""
        return self.by_class.get(self._key(name), [])

    def within(self, root: int, name: str) -> list[int]:
        """``elements[root].getElementsByClassName(name)``: the descendants with that class."""
        found = self.by_class.get(self._key(name))
        if not found:
            return []
        low = bisect.bisect_right(found, root)
        high = bisect.bisect_right(found, self.ends[root])
        return found[low:high]

    def children(self, index: int) -> list[int]:
        """The element children of ``elements[index]``, in order."""
        out: list[int] = []
        child = index + 1
        end = self.ends[index]
        while child <= end:
            out.append(child)
            child = self.ends[child] + 1
        return out

    def ancestors(self, index: int) -> Iterator[int]:
        parent = self.parents[index]
        while parent >= 0:
            yield parent
            parent = self.parents[parent]

    def index_of(self, tag: Tag) -> int:
        return self._index[id(tag)]

    def classes(self, index: int) -> list[str]:
        return class_tokens(self.elements[index].get("class"))

    def has_class(self, index: int, name: str) -> bool:
        key = self._key(name)
        return any(self._key(token) == key for token in self.classes(index))

    def text(self, index: int) -> str:
        """What the client reads from a hidden element: ``textContent``, trimmed."""
        return js_trim(text_content(self.elements[index]))

    def first(self, name: str, *, html_only: bool = True) -> Tag | None:
        """The first element called ``name`` in document order (HTML namespace)."""
        for tag in self.elements:
            if tag.name == name and (not html_only or tag.namespace in (None, HTML_NAMESPACE)):
                return tag
        return None

    def position(self, index: int) -> Position:
        """Where ``elements[index]``'s start tag begins in the source (1-based).

        html5lib reports the end of each start tag; the start is the ``<name`` before it.
        Elements the parser made up (``<html>``, ``<body>`` of a fragment) take the position
        it reports, or line 1, column 1.
        """
        tag = self.elements[index]
        line, column = tag.sourceline, tag.sourcepos
        if line is None or column is None:
            return Position(1, 1)
        starts = self._starts()
        if line - 1 >= len(starts):
            return Position(line, column + 1)
        offset = starts[line - 1] + column
        found = _rfind_tag(self.source, tag.name, offset)
        if found < 0:
            return Position(line, column + 1)
        start_line = bisect.bisect_right(starts, found)
        return Position(start_line, found - starts[start_line - 1] + 1)

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            starts.extend(m.end() for m in re.finditer("\n", self.source))
            self._line_starts = starts
        return self._line_starts


def _rfind_tag(source: str, name: str, offset: int) -> int:
    """The offset of the last ``<name`` (any case) that starts at or before ``offset``."""
    window_start = max(0, offset - 20_000)
    window = source[window_start : offset + 1]
    pattern = re.compile(rf"<{re.escape(name)}(?=[\s/>])", re.IGNORECASE)
    last = -1
    for match in pattern.finditer(window):
        last = match.start()
    return -1 if last < 0 else window_start + last


def _normalise_newlines(text: str) -> str:
    # The HTML input stream turns CR LF and lone CR into LF before tokenising.
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(data: str | bytes) -> str:
    """The text of a page: a byte order mark or a ``<meta charset>`` decides, else UTF-8.

    A lone surrogate in text becomes U+FFFD, as a browser's decoder makes of the bytes that
    would carry one: no page delivered to a browser can hold it.
    """
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data) if _SURROGATE.search(data) else data
    import codecs

    from bs4.dammit import EncodingDetector

    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    encoding = next((name for bom, name in boms if data.startswith(bom)), None)
    if encoding is None:
        declared = EncodingDetector.find_declared_encoding(data, is_html=True)
        encoding = declared or "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:  # an encoding name Python does not know
        return data.decode("utf-8", errors="replace")


def _html5lib_soup(text: str) -> tuple[BeautifulSoup, bool]:
    import html5lib
    from bs4.builder._html5lib import HTML5TreeBuilder

    class BrowserTreeBuilder(HTML5TreeBuilder):
        """bs4's html5lib builder with scripting on, keeping the document's mode."""

        compat_mode = "no quirks"

        def feed(self, markup: Any) -> None:
            parser = html5lib.HTMLParser(tree=self.create_treebuilder)  # type: ignore[arg-type]
            self.underlying_builder.parser = parser
            parser.parse(markup, scripting=True)
            self.compat_mode = parser.compatMode
            self.underlying_builder.parser = None

    builder = BrowserTreeBuilder(multi_valued_attributes=None)
    soup = BeautifulSoup(text, builder=builder)
    return soup, builder.compat_mode == "quirks"


class ParserUnavailable(ImportError):
    """The chosen parser's package is not installed; the message says how to install it."""


def _lxml_soup(text: str) -> BeautifulSoup:
    """bs4's lxml tree, with the source position of each start tag recorded as html5lib
    records it: bs4's lxml builder keeps none, so a second, plain lxml parse gives each
    element's line and the source gives its column (:func:`_locate`). ``<noscript>`` content
    becomes text, as html5lib's is with scripting on."""
    import importlib

    try:
        # Imported by name: lxml ships no type information.
        etree = importlib.import_module("lxml.etree")
    except ImportError:
        raise ParserUnavailable(
            'the lxml parser is not installed: pip install "tagkit[lxml]"'
        ) from None
    soup = BeautifulSoup(text, "lxml", multi_valued_attributes=None)
    plain = etree.HTMLParser(recover=True)
    plain.feed(text)
    root = plain.close()
    lines: list[tuple[str, int | None]] = []
    if root is not None:
        lines = [(el.tag, el.sourceline) for el in root.iter() if isinstance(el.tag, str)]
    starts = _locate(soup.find_all(True), lines, text)
    _noscript_as_text(soup, starts, text)
    _foster_parent(soup)
    return soup


# What a table (and its sections and rows) holds in HTML5's "in table" modes; anything else
# written there is "foster-parented": the browser puts it before the table.
_TABLE_PARTS = frozenset(
    {"caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th"}
    | {"script", "style", "template", "form", "input"}
)
_TABLE_WALLS = frozenset({"table", "tbody", "thead", "tfoot", "tr"})


def _foster_parent(soup: BeautifulSoup) -> None:
    """Move what lxml left inside a table's structure but HTML5 foster-parents (an element
    that is no table part, text that is not whitespace) to just before the table, as a
    browser's tree has it. ``<input>`` stays only when hidden, as in the HTML5 algorithm."""
    for table in soup.find_all("table"):
        stray: list[Any] = []
        _collect_stray(table, stray)
        for node in stray:
            table.insert_before(node.extract())


def _collect_stray(node: Tag, stray: list[Any]) -> None:
    for child in list(node.children):
        if isinstance(child, Tag):
            name = child.name
            hidden_input = name == "input" and str(child.get("type", "")).lower() == "hidden"
            if name in _TABLE_WALLS and name != "table":
                _collect_stray(child, stray)
            elif name not in _TABLE_PARTS or (name == "input" and not hidden_input):
                stray.append(child)
        elif type(child) is NavigableString and child.strip(JS_SPACE):
            stray.append(child)


_START_TAG_END = re.compile(r"""(?:"[^"]*"|'[^']*'|[^'">])*>""")
_NOSCRIPT_END = re.compile(r"</noscript[\s/>]", re.I)


def _noscript_as_text(soup: BeautifulSoup, starts: dict[int, int], source: str) -> None:
    """Replace what lxml parsed inside each ``<noscript>`` with its source text: with scripting
    on, a browser reads it as raw text, as html5lib does."""
    for tag in soup.find_all("noscript"):
        if tag.find_parent("noscript") is not None:
            continue
        start = starts.get(id(tag))
        if start is None:
            raw = tag.get_text()
        else:
            opened = _START_TAG_END.match(source, start + len("<noscript"))
            begin = opened.end() if opened else len(source)
            closed = _NOSCRIPT_END.search(source, begin)
            raw = source[begin : closed.start() if closed else len(source)]
        tag.clear()
        if raw:
            tag.append(NavigableString(raw))


# Text that holds no start tag: comments and the content of raw-text elements.
_NO_TAGS = re.compile(
    r"(<!--)(.*?)(?:-->|--!>|\Z)"
    r"|(<(?:script|style|xmp|iframe|noembed|noframes|textarea|title)\b[^>]*>)(.*?)"
    r"(?=</(?:script|style|xmp|iframe|noembed|noframes|textarea|title)[\s/>]|\Z)",
    re.S | re.I,
)


def _spaces(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _blank(source: str) -> str:
    """``source`` with comments and raw text replaced by spaces (line breaks kept), so that a
    search for ``<name`` finds start tags only."""

    def blank(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return _spaces(match.group())
        return match.group(3) + _spaces(match.group(4))

    return _NO_TAGS.sub(blank, source)


@functools.lru_cache(maxsize=256)
def _start_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"<{re.escape(name)}(?=[\s/>])", re.I)


def _locate(tags: list[Tag], lines: list[tuple[str, int | None]], source: str) -> dict[int, int]:
    """Set ``sourceline`` / ``sourcepos`` of each tag to where its start tag begins.

    ``lines`` holds (name, line) for the elements of lxml's own tree, in document order: the
    line on which each start tag ends. bs4's tree has the same elements, plus those after the
    document's end (which lxml's tree drops). Each tag is the next ``<name`` in the source
    that starts no later than that line; one without a match was made up by the parser
    (``<html>``, ``<tbody>``) and keeps no position. :meth:`Document.position` then finds
    the ``<name`` before the recorded place, as for html5lib. Returns each located tag's
    start offset, by ``id``.
    """
    text = _blank(source)
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    cursor = 0
    hint = 0
    found_at: dict[int, int] = {}
    for tag in tags:
        line: int | None = None
        if hint < len(lines) and lines[hint][0] == tag.name:
            line = lines[hint][1]
            hint += 1
        limit = starts[line] if line is not None and line < len(starts) else len(text)
        found = _start_tag(tag.name).search(text, cursor)
        if found is None or found.start() >= limit:
            continue
        cursor = found.start() + 1
        # Like html5lib's, the position lies inside the start tag: here, just after <name.
        at = bisect.bisect_right(starts, found.start())
        tag.sourceline, tag.sourcepos = at, found.end() - starts[at - 1]
        found_at[id(tag)] = found.start()
    return found_at


def parse_document(html: str | bytes, parser: str = DEFAULT_PARSER) -> Document:
    """Parse a page and index its elements by class in one walk.

    ``parser`` is ``html5lib`` (the tree an HTML5 browser builds), ``lxml`` (faster, not
    HTML5-exact; :class:`ParserUnavailable` when lxml is not installed) or ``html.parser``
    (for comparison only).
    """
    text = decode(html)
    if parser == DEFAULT_PARSER:
        soup, quirks = _html5lib_soup(text)
    elif parser in PARSERS:
        if parser == "lxml":
            # The HTML input stream turns CR LF and lone CR into LF, as html5lib does.
            soup = _lxml_soup(_normalise_newlines(text))
        else:
            soup = BeautifulSoup(text, parser, multi_valued_attributes=None)
        quirks = not any(
            type(node).__name__ == "Doctype" for node in soup.contents
        )  # approximate: only html5lib knows the legacy doctypes
    else:
        raise ValueError(f"parser must be one of {', '.join(PARSERS)}, got {parser!r}")
    doc = Document(soup=soup, source=_normalise_newlines(text), quirks=quirks)
    _index(doc)
    return doc


def _index(doc: Document) -> None:
    elements, ends, parents = doc.elements, doc.ends, doc.parents
    by_class, index = doc.by_class, doc._index
    lower = doc.quirks
    # An explicit stack of (parent index, iterator over children): no recursion limit.
    stack: list[tuple[int, Iterator[Any]]] = [(-1, iter(doc.soup.contents))]
    while stack:
        parent, children = stack[-1]
        for node in children:
            if not isinstance(node, Tag):
                continue
            position = len(elements)
            elements.append(node)
            ends.append(position)
            parents.append(parent)
            index[id(node)] = position
            value = node.attrs.get("class")
            if value:
                for token in class_tokens(value):
                    key = ascii_lower(token) if lower else token
                    found = by_class.get(key)
                    if found is None:
                        by_class[key] = [position]
                    elif found[-1] != position:
                        found.append(position)
            if node.contents and not _is_template(node):
                stack.append((position, iter(node.contents)))
                break
        else:
            stack.pop()
            if parent >= 0:
                ends[parent] = len(elements) - 1


__all__ = [
    "DEFAULT_PARSER",
    "JS_SPACE",
    "PARSERS",
    "Document",
    "ParserUnavailable",
    "Position",
    "class_tokens",
    "decode",
    "js_trim",
    "parse_document",
    "text_content",
]

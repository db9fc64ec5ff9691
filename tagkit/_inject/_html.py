"""Where tagkit's block goes in an HTML file, and how it is written into the file's bytes.

Everything outside the block stays byte for byte what it was: the file is read as bytes and
viewed through Latin-1 (one character per byte, so any byte sequence survives the round trip),
and only the block is encoded, in the file's own encoding. UTF-16 files, whose markup is not
ASCII, are decoded and encoded whole, with their byte-order mark.

>>> doc = Document.read(b'<!DOCTYPE html><BODY class="a>b">\\r\\n<p>hi</p></BODY>')
>>> print(doc.with_block("<x>").decode("ascii").replace("\\r\\n", "|"))
<!DOCTYPE html><BODY class="a>b">|<!-- tagkit:begin -->|<x>|<!-- tagkit:end -->|<p>hi</p></BODY>
>>> Document.read(doc.with_block("<y>")).with_block("<x>") == doc.with_block("<x>")
True
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

BEGIN = "<!-- tagkit:begin -->"
END = "<!-- tagkit:end -->"
# A block written by an earlier run, with the line break written before it.
_BLOCK = re.compile(r"(?:\r\n|\n)?<!-- tagkit:begin -->.*?<!-- tagkit:end -->", re.DOTALL)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The HTML prescan: a charset in the first 1024 bytes (<meta charset> or http-equiv).
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.+-]+)", re.I)
_TAG_OPEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
# Elements whose content is text, where a "<body>" is not a tag.
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}
)
_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script>)", re.DOTALL | re.IGNORECASE)


def _encoding(raw: bytes) -> tuple[str, int]:
    """The file's encoding and the length of its byte-order mark."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name, len(bom)
    found = _META_CHARSET.search(raw[:1024])
    if found is not None:
        try:
            name = codecs.lookup(found.group(1).decode("ascii")).name
        except LookupError:
            name = "unknown"
        # A declared UTF-16 without a byte-order mark is read as UTF-8 (HTML's prescan).
        return ("utf-8" if name.startswith("utf-16") else name), 0
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252", 0  # HTML's fallback for files that are not UTF-8
    return "utf-8", 0


def _tag_end(text: str, start: int) -> int:
    """The index after the ``>`` that closes a tag whose name ends at ``start``; quoted
    attribute values may hold ``>``."""
    i = start
    last = ""
    while i < len(text):
        char = text[i]
        if char == ">":
            return i + 1
        if char in "\"'" and last == "=":
            close = text.find(char, i + 1)
            if close < 0:
                return len(text)
            i = close + 1
            last = char
            continue
        if not char.isspace():
            last = char
        i += 1
    return len(text)


def insertion_point(text: str, start: int = 0) -> int:
    """Where the block goes: right after ``<body …>``; without one, after ``</head>``, after
    ``<html …>``, after the doctype, or at ``start``. Comments and the content of script,
    style, title and similar elements are skipped, so a ``<body>`` written inside them is not
    taken for the tag."""
    found: dict[str, int] = {}
    i = start
    while True:
        j = text.find("<", i)
        if j < 0:
            break
        if text.startswith("<!--", j):
            close = text.find("-->", j + 4)
            i = len(text) if close < 0 else close + 3
            continue
        if text.startswith(("<!", "<?"), j):
            close = text.find(">", j)
            i = len(text) if close < 0 else close + 1
            if text[j : j + 9].lower() == "<!doctype":
                found.setdefault("doctype", i)
            continue
        tag = _TAG_OPEN.match(text, j)
        if tag is None:
            i = j + 1
            continue
        closing, name = tag.group(1), tag.group(2).lower()
        end = _tag_end(text, tag.end())
        if closing:
            if name == "head":
                found.setdefault("head", end)
            i = end
            continue
        if name == "body":
            return end
        if name == "html":
            found.setdefault("html", end)
        if name in _RAW_TEXT:
            closer = re.compile(rf"</{name}\b", re.IGNORECASE).search(text, end)
            i = len(text) if closer is None else closer.start()
            continue
        i = end
    for where in ("head", "html", "doctype"):
        if where in found:
            return found[where]
    return start


def ascii_only(block: str) -> str:
    """``block`` in ASCII, for a file in another encoding than UTF-8: character references in
    markup, ``\\u`` escapes inside scripts (whose non-ASCII text is always inside JSON strings,
    where the escape means the same character).

    >>> print(ascii_only('<b>ñ</b><script>x("ñ😀")</script>'))
    <b>&#241;</b><script>x("\\u00f1\\ud83d\\ude00")</script>
    """
    parts: list[str] = []
    last = 0
    for found in _SCRIPT.finditer(block):
        parts.append(_char_refs(block[last : found.start()]))
        parts.append(found.group(1) + _unicode_escapes(found.group(2)) + found.group(3))
        last = found.end()
    parts.append(_char_refs(block[last:]))
    return "".join(parts)


def _char_refs(text: str) -> str:
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _unicode_escapes(text: str) -> str:
    out: list[str] = []
    for char in text:
        if ord(char) < 128:
            out.append(char)
            continue
        units = char.encode("utf-16-be")
        for k in range(0, len(units), 2):
            out.append("\\u" + units[k : k + 2].hex())
    return "".join(out)


def inline_scripts(block: str) -> list[str]:
    """The text of every inline script of a block tagkit rendered (JSON islands and
    ``<script src>`` left out). Safe on tagkit's own output only: its scripts never contain
    ``</script>``."""
    found: list[str] = []
    for match in _SCRIPT.finditer(block):
        opening = match.group(1).lower()
        if " src=" in opening or "application/json" in opening:
            continue
        if match.group(2):
            found.append(match.group(2))
    return found


@dataclass(frozen=True)
class Document:
    """An HTML file's bytes, its encoding, and its text without tagkit's block."""

    raw: bytes
    encoding: str
    bom: bytes
    text: str
    newline: str

    @classmethod
    def read(cls, raw: bytes) -> Document:
        """Parse ``raw``: find the encoding and remove any block an earlier run wrote.

        Markers that do not pair up raise ``ValueError``: removing from a lone begin marker to
        the next end marker could take the page's own text with it.
        """
        encoding, bom_length = _encoding(raw)
        bom = raw[:bom_length]
        if encoding.startswith("utf-16"):
            text = raw[bom_length:].decode(encoding)
        else:
            text = raw[bom_length:].decode("latin-1")
        begins, ends = text.count(BEGIN), text.count(END)
        if begins != ends or _BLOCK.sub("", text).count(END):
            raise ValueError(
                f"has {begins} {BEGIN} and {ends} {END} markers that do not pair up; put them "
                "back in pairs (or remove both) by hand, so that no text of the page is taken "
                "for tagkit's block"
            )
        text = _BLOCK.sub("", text)
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(raw, encoding, bom, text, newline)

    def block_text(self, block: str) -> str:
        """``block`` as the browser will read it from this file: the file's line breaks, and
        ASCII only unless the file is UTF-8 or UTF-16."""
        text = block if self.unicode else ascii_only(block)
        return text.replace("\n", self.newline) if self.newline != "\n" else text

    @property
    def unicode(self) -> bool:
        return self.encoding == "utf-8" or self.encoding.startswith("utf-16")

    def with_block(self, block: str) -> bytes:
        """The file's bytes with ``block`` (markup) right after ``<body>``, between markers."""
        nl = self.newline
        inserted = f"{nl}{BEGIN}{nl}{self.block_text(block)}{nl}{END}"
        if self.encoding.startswith("utf-16"):
            at = insertion_point(self.text)
            text = self.text[:at] + inserted + self.text[at:]
            return self.bom + text.encode(self.encoding)
        as_bytes = inserted.encode("utf-8" if self.encoding == "utf-8" else "ascii")
        at = insertion_point(self.text)
        text = self.text[:at] + as_bytes.decode("latin-1") + self.text[at:]
        return self.bom + text.encode("latin-1")


__all__ = ["BEGIN", "END", "Document", "ascii_only", "inline_scripts", "insertion_point"]

"""Normalise one input value to its canonical Python form, and format it as tag text.

Each ``normalise_*`` function returns the canonical value or raises :class:`Invalid` with the
part of the message that follows the field path ("must be ..., got ..."). The accepted forms are
those of docs/connectif.md#text-render-rules (text), docs/connectif.md#number-inputs and
docs/connectif.md#number-grammar (numbers), docs/connectif.md#date-utc-z,
docs/connectif.md#date-naive-rejected and docs/connectif.md#date-date-only (dates).
"""

from __future__ import annotations

import functools
import math
import re
import reprlib
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from decimal import Decimal
from urllib.parse import urlsplit

from .vocabulary import Kind, Prop


class Invalid(Exception):
    """A value is not in the accepted form; the message completes "<field path> ..."."""


# Number.MAX_SAFE_INTEGER: the client's parseFloat/parseInt cannot hold more exactly.
MAX_SAFE_INTEGER = 2**53 - 1
DECIMAL_TEXT = re.compile(r"^[0-9]+(\.[0-9]+)?$")
INTEGER_TEXT = re.compile(r"^[0-9]+$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# C0 controls other than tab, LF and CR, and DEL (docs/connectif.md#text-render-rules).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s")
# What JavaScript's String.prototype.trim removes: WhiteSpace and LineTerminator. Python's
# str.strip() removes a different set (it takes U+001C-U+001F and U+0085, and leaves U+FEFF).
JS_TRIM = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# Numbers keep their text: bound it, so that 1e-999999999 is refused, not written out in full.
MAX_SCALE = 20


class _Quote(reprlib.Repr):
    """repr() for error messages: short, one line, whatever the value."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = 80
        self.maxother = 80
        self.maxlevel = 3

    def repr_int(self, x: int, level: int) -> str:
        if abs(x).bit_length() > 200:  # about 60 digits; repr() refuses past 4,300
            return f"<a whole number of about {int(abs(x).bit_length() * 0.30103) + 1} digits>"
        return repr(x)

    def repr_str(self, x: str, level: int) -> str:
        if len(x) <= self.maxstring:
            return repr(x)
        return f"{x[: self.maxstring]!r}... ({len(x)} characters)"


_QUOTE = _Quote()


def _may_match(word: str, other: str, cutoff: float) -> bool:
    """Whether difflib's ratio of the two could reach ``cutoff``: its two upper bounds, from
    the lengths and from the characters in common (``real_quick_ratio``, ``quick_ratio``)."""
    total = len(word) + len(other)
    if not total:
        return True
    if 2.0 * min(len(word), len(other)) / total < cutoff:
        return False
    common = sum((Counter(word) & Counter(other)).values())
    return 2.0 * common / total >= cutoff


def close_match(word: str, known: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The known word most like ``word`` (difflib's ratio at least ``cutoff``), or None.
    Words that cannot reach the cutoff are ruled out first, and difflib is loaded only for
    the rest: starting tagkit, and a custom field id like no known name, go without it.

    >>> close_match("unit_prize", ["unit_price", "price"])
    'unit_price'
    """
    candidates = [other for other in known if _may_match(word, other, cutoff)]
    if not candidates:
        return None
    import difflib

    found = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"did you mean 'x'? "`` for the known word most like ``word``, or ``""``."""
    close = close_match(word, known)
    return f"did you mean {close!r}? " if close else ""


def quoted(value: object) -> str:
    """A value in an error message: its repr, shortened, control characters and surrogates
    escaped, nesting cut, never raising.

    >>> quoted("x" * 100)[-24:]
    "xxx'... (100 characters)"
    >>> print(quoted("a\\ud800b"))
    'a\\ud800b'
    >>> quoted(10**5000)
    '<a whole number of about 5001 digits>'
    """
    try:
        return _QUOTE.repr(value)
    except (RecursionError, ValueError):  # pragma: no cover - reprlib bounds depth and size
        return f"<a {type(value).__name__}>"


def _got(value: object) -> str:
    return f"got {quoted(value)}"


def js_trim(text: str) -> str:
    """``text`` with both ends trimmed exactly as JavaScript's ``trim()`` trims."""
    return text.strip(JS_TRIM)


def normalise_text(value: object, *, what: str = "text") -> str:
    """Trim both ends as the client does; reject non-strings, lone surrogates and control
    characters wherever they stand (docs/connectif.md#text-render-rules)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Invalid(f"must be {what}, {_got(value)}")
    try:
        text = str(value)
    except ValueError:  # an integer past Python's digit limit
        raise Invalid(f"must be {what}, {_got(value)}") from None
    if _SURROGATE.search(text):
        raise Invalid(
            "must be valid Unicode text: it holds a lone surrogate, which no page or request "
            f"can carry (check how the text was decoded), {_got(value)}"
        )
    bad = _CONTROL.search(text)
    if bad:
        raise Invalid(
            f"must not contain the control character {bad.group()!r} "
            f"(only tab, line feed and carriage return are allowed), {_got(value)}"
        )
    return js_trim(text)


def normalise_url(value: object) -> str:
    text = normalise_text(value, what="an absolute http(s) URL like 'https://shop.example/p/1'")
    if not text:
        return text
    try:
        parts = urlsplit(text)
    except ValueError:  # a broken IPv6 host, like https://[::1
        raise Invalid(
            f"must be an absolute http(s) URL like 'https://shop.example/p/1', {_got(value)}"
        ) from None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or _WHITESPACE.search(text)
    ):
        raise Invalid(
            "must be an absolute http(s) URL like 'https://shop.example/p/1' "
            f"(no spaces), {_got(value)}"
        )
    return text


def normalise_email(value: object) -> str:
    text = normalise_text(value, what="an email address like 'ana@shop.example'")
    if not text:
        return text
    local, at, domain = text.partition("@")
    if not at or not local or not domain or "@" in domain or _WHITESPACE.search(text):
        raise Invalid(
            f"must be an email address like 'ana@shop.example' (one '@', no spaces), {_got(value)}"
        )
    return text


def _number(value: object, example: str, *, integral: bool) -> Decimal:
    form = f"a non-negative {'whole number' if integral else 'number'} like {example}"
    if isinstance(value, bool):
        raise Invalid(f"must be {form}, {_got(value)}")
    if isinstance(value, int):
        if abs(value).bit_length() > 64:
            raise Invalid(
                f"must be at most {MAX_SAFE_INTEGER} (the client reads numbers with "
                f"JavaScript, which loses precision above that), {_got(value)}"
            )
        number = Decimal(value)
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise Invalid(f"must be {form}, {_got(value)}")
        number = Decimal(str(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise Invalid(f"must be {form}, {_got(value)}")
        number = value
    elif isinstance(value, str):
        text = js_trim(value)
        pattern = INTEGER_TEXT if integral else DECIMAL_TEXT
        if not pattern.match(text):
            raise Invalid(
                f"must be {form} ({'digits only' if integral else 'digits and one dot'}; "
                f"no thousands separator, currency or exponent), {_got(value)}"
            )
        number = Decimal(text)
    else:
        raise Invalid(f"must be {form}, {_got(value)}")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_SCALE:
        raise Invalid(
            f"must have at most {MAX_SCALE} digits after the point (the client reads "
            f"JavaScript numbers, which hold about 16 digits), {_got(value)}"
        )
    if number < 0:
        raise Invalid(f"must be {form}, {_got(value)}")
    if integral and number != number.to_integral_value():
        raise Invalid(f"must be {form}, {_got(value)}")
    if number > MAX_SAFE_INTEGER:
        raise Invalid(
            f"must be at most {MAX_SAFE_INTEGER} (the client reads numbers with JavaScript, "
            f"which loses precision above that), {_got(value)}"
        )
    # Negative zero becomes zero (docs/connectif.md#number-emit).
    return number.copy_abs()


def normalise_decimal(value: object) -> Decimal:
    return _number(value, "180.75", integral=False)


def normalise_integer(value: object) -> int:
    return int(_number(value, "3", integral=True))


def normalise_datetime(value: object) -> datetime:
    form = (
        "a timezone-aware datetime, a date, RFC 3339 text like '2024-05-01T10:20:00Z' "
        "or a date like '1990-05-17'"
    )
    if isinstance(value, datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise Invalid(f"must be timezone-aware, got {_naive_repr(value)}")
        moment = value
    elif isinstance(value, date):
        # A date is midnight UTC (docs/connectif.md#date-date-only).
        moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    elif isinstance(value, str):
        text = js_trim(value)
        if DATE_TEXT.match(text):
            try:
                return normalise_datetime(date.fromisoformat(text))
            except ValueError:
                raise Invalid(f"must be {form}, {_got(value)}") from None
        if not RFC3339.match(text):
            raise Invalid(f"must be {form} (with an offset or Z), {_got(value)}")
        try:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise Invalid(f"must be {form}, {_got(value)}") from None
    else:
        raise Invalid(f"must be {form}, {_got(value)}")
    try:
        return moment.astimezone(timezone.utc).replace(microsecond=0)
    except OverflowError:  # 9999-12-31T23:59:59-00:01 is after year 9999 in UTC
        raise Invalid(
            f"must fall within the years 1 to 9999 once converted to UTC, {_got(value)}"
        ) from None


def _naive_repr(value: datetime) -> str:
    # The wording of docs/connectif.md#date-naive-rejected: datetime(2024, 5, 1, 10, 20).
    fields = [value.year, value.month, value.day, value.hour, value.minute, value.second]
    while len(fields) > 3 and fields[-1] == 0:
        fields.pop()
    return f"datetime({', '.join(str(f) for f in fields)})"


def normalise_enum(value: object, choices: tuple[str, ...]) -> str:
    listed = ", ".join(repr(c) for c in choices)
    if isinstance(value, str):
        text = normalise_text(value, what=f"one of {listed}")
        for choice in choices:
            if choice.lower() == text.lower():
                return choice
    raise Invalid(f"must be one of {listed} (any case), {_got(value)}")


def normalise(prop: Prop, value: object) -> object:
    """The canonical value of one scalar of ``prop`` (one item when it is multi-valued)."""
    kind = prop.kind
    result: object
    if kind is Kind.STRING:
        result = normalise_text(value)
    elif kind is Kind.URL:
        result = normalise_url(value)
    elif kind is Kind.EMAIL:
        result = normalise_email(value)
    elif kind is Kind.DECIMAL:
        result = normalise_decimal(value)
    elif kind is Kind.INTEGER:
        result = normalise_integer(value)
    elif kind is Kind.DATETIME:
        result = normalise_datetime(value)
    elif kind is Kind.ENUM:
        result = normalise_enum(value, prop.choices)
    else:  # pragma: no cover - objects are built by the model
        raise AssertionError(kind)
    if isinstance(result, (Decimal, int)) and prop.numeric:
        _check_range(prop, Decimal(result), value)
    if prop.pattern and isinstance(result, str) and result and not re.match(prop.pattern, result):
        raise Invalid(f"must match {_pattern_hint(prop)}, {_got(value)}")
    return result


def _pattern_hint(prop: Prop) -> str:
    return prop.pattern_hint or repr(prop.pattern)


def _check_range(prop: Prop, number: Decimal, value: object) -> None:
    low, high = prop.minimum, prop.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        lo = "" if low is None else f"{low}"
        hi = "" if high is None else f"{high}"
        span = f"between {lo} and {hi}" if high is not None else f"at least {lo}"
        raise Invalid(f"must be {span}, {_got(value)}")


def format_decimal(number: Decimal) -> str:
    """Fixed-point text keeping the Decimal's own scale: ``Decimal("49.90")`` -> ``49.90``."""
    return format(number, "f")


def format_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def to_text(value: object) -> str:
    """The tag text of a canonical value (docs/connectif.md#number-emit,
    docs/connectif.md#date-utc-z)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    raise TypeError(f"no tag text for {value!r}")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as the client's JavaScript counts."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


Checker = Callable[[object], object]

# A bracket opens an IPv6 host, which urlsplit must parse: such URLs take the full rules.
_URL_FAST = re.compile(r"^[hH][tT][tT][pP][sS]?://[^\s/?#\[\]\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*$")
_EMAIL_FAST = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$")


@functools.cache
def checker(prop: Prop) -> Checker:
    """A fast :func:`normalise` for ``prop``: common, valid input takes a short path and
    everything else falls back to the full rules, so the results and messages are the same."""

    def slow(value: object) -> object:
        return normalise(prop, value)

    kind = prop.kind
    if kind is Kind.STRING:
        pattern = None if prop.pattern is None else re.compile(prop.pattern)

        def text(value: object) -> object:
            # Printable text needs no control-character scan (tab and newline take the slow
            # path); the check comes before the trim, which would hide a form feed at an end.
            if type(value) is str and value.isprintable():
                result = js_trim(value)
                if pattern is None or pattern.match(result):
                    return result
            return slow(value)

        return text
    if kind in (Kind.URL, Kind.EMAIL):
        fast = _URL_FAST if kind is Kind.URL else _EMAIL_FAST

        def matched(value: object) -> object:
            if type(value) is str and value.isprintable():
                result = js_trim(value)
                if fast.match(result):
                    return result
            return slow(value)

        return matched
    if kind is Kind.DECIMAL and prop.maximum is None and not prop.minimum:

        def decimal(value: object) -> object:
            # Up to 15 characters the text is far below MAX_SAFE_INTEGER.
            if type(value) is str and len(value) < 16 and DECIMAL_TEXT.match(value):
                return Decimal(value)
            return slow(value)

        return decimal
    if kind is Kind.INTEGER and prop.maximum is None:
        # The smallest whole number the row allows: a fractional minimum such as 1.5 means 2.
        low = math.ceil(prop.minimum or 0)

        def integer(value: object) -> object:
            if type(value) is int and low <= value <= MAX_SAFE_INTEGER:
                return value
            return slow(value)

        return integer
    if kind is Kind.ENUM:
        table = {choice.lower(): choice for choice in prop.choices}

        def enum(value: object) -> object:
            if type(value) is str and value.isprintable():
                found = table.get(js_trim(value).lower())
                if found is not None:
                    return found
            return slow(value)

        return enum
    return slow

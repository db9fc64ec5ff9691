"""Generated input for the property tests: every class of text users paste (Windows line
breaks, odd spaces, controls, lone surrogates, markup, emoji), numbers of every type and
size, and documents that are right, nearly right or wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from tagkit import vocabulary as vocab

from ..conftest import HOSTILE

# Every code point, surrogates and controls included, weighted towards the awkward ones.
AWKWARD = list("\r\n\t\v\f\x00\x1c\x1f\x7f\x85\xa0\u1680\u2028\u2029\u3000\ufeff<>&\"'\\/")
CHARS = st.one_of(
    st.characters(blacklist_categories=()),
    st.sampled_from(AWKWARD),
    st.sampled_from(["\ud800", "\udfff", "\U0001f600", "ñ", "ß", "\u0301"]),
)
TEXT = st.one_of(
    st.text(CHARS, max_size=24),
    st.sampled_from(HOSTILE),
    st.sampled_from(["", " ", "__proto__", "constructor", "Shoes", "/Shoes/Running", "x" * 40]),
)
NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.sampled_from(["49.90", "1.234,50", "1e3", "0.000000000000000000001", "007", " 5 ", "-0"]),
    st.sampled_from([Decimal("1E-999999999"), Decimal("NaN"), 2**53, 10**5000]),
)
ANY = st.one_of(TEXT, NUMBER, st.booleans(), st.none(), st.lists(TEXT, max_size=3))
URL = st.one_of(
    st.builds(lambda t: "https://shop.example/p?q=" + t, TEXT),
    st.sampled_from(["https://[::1", "https://[x", "//nohost", "ftp://x", "HTTPS://S.EXAMPLE/"]),
)
DATE = st.one_of(
    st.sampled_from(["2026-11-30T09:15:00Z", "9999-12-31T23:59:59-00:01", "1990-05-17", "x"]),
    TEXT,
)


def value(prop: vocab.Prop) -> st.SearchStrategy[Any]:
    """Mostly the kind the row wants, sometimes anything at all."""
    kind = prop.kind
    if kind is vocab.Kind.URL:
        own: st.SearchStrategy[Any] = URL
    elif kind is vocab.Kind.EMAIL:
        own = st.one_of(st.builds(lambda t: f"{t}@shop.example", TEXT), TEXT)
    elif kind in (vocab.Kind.DECIMAL, vocab.Kind.INTEGER):
        own = NUMBER
    elif kind is vocab.Kind.DATETIME:
        own = DATE
    elif kind is vocab.Kind.ENUM:
        own = st.one_of(st.sampled_from(prop.choices), TEXT)
    elif kind is vocab.Kind.PAYLOAD:
        own = st.dictionaries(TEXT, st.one_of(TEXT, NUMBER, st.booleans()), max_size=3)
    else:
        own = TEXT
    if prop.multiple and kind is not vocab.Kind.OBJECT:
        own = st.lists(own, max_size=3)
    return st.one_of(own, own, own, ANY)


def record(props: tuple[vocab.Prop, ...], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    rows: dict[str, st.SearchStrategy[Any]] = {}
    for prop in props:
        if prop.kind is vocab.Kind.OBJECT:
            if depth == 0:
                line = record(vocab.OBJECTS[prop.obj or ""], depth + 1)
                rows[prop.data_key] = st.lists(line, max_size=2)
            continue
        rows[prop.data_key] = value(prop)
    required = {p.data_key: rows[p.data_key] for p in props if p.required and p.data_key in rows}
    optional = {k: v for k, v in rows.items() if k not in required}
    extra = st.dictionaries(TEXT, TEXT, max_size=2)
    return st.builds(
        lambda base, more: {**base, **more},
        st.fixed_dictionaries(required, optional=optional),
        extra if depth == 0 and props is vocab.CONTACT else st.just({}),
    )


def entry(tag: vocab.Tag) -> st.SearchStrategy[Any]:
    if tag.instances == "presence":
        return st.one_of(st.booleans(), ANY)
    if tag.value_is_text:
        return st.one_of(st.lists(TEXT, max_size=4), TEXT)
    one = record(tag.properties)
    if tag.shorthand is not None:
        one = st.one_of(one, TEXT)
    return st.one_of(st.lists(one, max_size=2), one) if tag.multiple else one


def page_document(*, js_only: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    rows = vocab.ENTRIES if js_only else vocab.TAGS
    return st.fixed_dictionaries({}, optional={t.page_key: entry(t) for t in rows})

"""Validated, immutable models of everything a page tells Connectif.

Every model is built from a mapping or keyword arguments whose keys are the spec's property
class names (``unit_price``, ``category``); the lines of a cart or purchase go under
``products``. Input is normalised once (Decimal money, integers, UTC datetimes, enums, category
paths) and every problem is collected before one :class:`~tagkit.errors.ValidationError` is raised.

>>> p = Product(url="https://shop.example/p/1", product_id="SKU-1", name="Shoe", unit_price=49.9)
>>> p.unit_price
Decimal('49.9')
>>> p.to_js()["productDetailUrl"]
'https://shop.example/p/1'
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

from . import vocabulary as vocab
from ._fastpath import FastPath, compile_fast_path
from ._values import (
    Checker,
    Invalid,
    checker,
    normalise_datetime,
    normalise_decimal,
    normalise_text,
    to_text,
    utf16_length,
)
from .errors import Problem, ValidationError
from .vocabulary import Kind, Prop, Tag

R = TypeVar("R", bound="Record")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _data_key(prop: Prop) -> str:
    # Nested objects are given as a list under their JS key ("products"), scalars by class name.
    return prop.js_key if prop.kind is Kind.OBJECT else prop.name


def _unknown_key(key: str, props: Sequence[Prop], what: str) -> str:
    by_js = {p.js_key: _data_key(p) for p in props if p.js_key != _data_key(p)}
    known = [_data_key(p) for p in props]
    if key in by_js:
        return f"is the JS key; write the property's class name {by_js[key]!r} instead"
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"is not a property of {what}; {hint}known: {', '.join(known)}"


def _is_sequence(value: object) -> bool:
    return type(value) is list or isinstance(value, (list, tuple))


class Record:
    """Base of the tag models: a frozen mapping from property class names to canonical values.

    Subclasses name their vocabulary rows in ``PROPS``. Values are read as attributes
    (``cart.total_price``); an absent optional property reads as ``None`` (or ``()`` when
    multi-valued).
    """

    PROPS: ClassVar[tuple[Prop, ...]] = ()
    LABEL: ClassVar[str] = ""
    WHAT: ClassVar[str] = ""
    __slots__ = ("_values",)

    _values: dict[str, object]

    def __init__(self, data: Mapping[str, object] | None = None, /, **fields: object) -> None:
        merged: dict[str, object] = {**(data or {}), **fields}
        problems: list[Problem] = []
        values = self._collect(merged, self.LABEL, problems)
        if problems:
            raise ValidationError(problems)
        self._set(values)

    def _set(self, values: Mapping[str, object]) -> None:
        # Kept in emission order: the table's, then custom contact fields as given.
        ordered = {key: values[key] for key in sorted(values, key=type(self)._SORT_KEY)}
        object.__setattr__(self, "_values", ordered)

    @classmethod
    def from_dict(cls: type[R], data: object, *, path: str | None = None) -> R:
        """Build from a mapping (e.g. parsed JSON), naming problems under ``path``.

        >>> Cart.from_dict({"cart_id": "c-1", "total_quantity": 0, "total_price": 0}).cart_id
        'c-1'
        """
        problems: list[Problem] = []
        record = cls._build(data, cls.LABEL if path is None else path, problems)
        if problems or record is None:
            raise ValidationError(problems)
        return record

    @classmethod
    def _fast_build(cls: type[R], data: object) -> R | None:
        """The record for common, valid input, or None to take the full rules (_fastpath)."""
        if type(data) is not dict:
            return None
        fast = cls.__dict__.get("_FAST_PATH") or cls._compile_fast_path()
        values = fast(data)
        if values is None:
            return None
        if cls._HAS_CHECK:
            problems: list[Problem] = []
            cls._check(values, cls.LABEL, problems)
            if problems:
                return None
        record = cls.__new__(cls)
        object.__setattr__(record, "_values", values)
        return record

    @classmethod
    def _compile_fast_path(cls) -> FastPath:
        nested = [p for p in cls.PROPS if p.kind is Kind.OBJECT]
        builder = _OBJECT_RECORDS[nested[0].obj or ""]._fast_build if nested else None
        fast = compile_fast_path(cls.__name__, cls.PROPS, nested=builder)
        cls._FAST_PATH = fast
        return fast

    @classmethod
    def _build(cls: type[R], data: object, path: str, problems: list[Problem]) -> R | None:
        record = cls._fast_build(data)
        if record is not None:
            return record
        if type(data) is not dict and not isinstance(data, Mapping):
            problems.append(Problem(path, f"must be an object of properties, got {data!r}"))
            return None
        before = len(problems)
        values = cls._collect(data, path, problems)
        if len(problems) > before:
            return None
        record = cls.__new__(cls)
        record._set(values)
        return record

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Derived once per model: lookups by data key, the required rows, emission order.
        cls._BY_KEY = {_data_key(p): (p, checker(p)) for p in cls.PROPS}
        cls._BY_NAME = {p.name: (p, checker(p)) for p in cls.PROPS}
        # The validation loop's view of _BY_KEY, unpacked to spare attribute lookups.
        cls._FIELDS = {k: (p.name, p.multiple, c, p) for k, (p, c) in cls._BY_KEY.items()}
        cls._REQUIRED = tuple((p, _data_key(p)) for p in cls.PROPS if p.required)
        cls._HAS_CHECK = cls._check.__func__ is not Record._check.__func__  # type: ignore[attr-defined]
        rank = {p.name: i for i, p in enumerate(cls.PROPS)}
        if cls.OPEN:
            last = len(rank)
            cls._SORT_KEY = lambda key: rank.get(key, last)
        else:
            cls._SORT_KEY = rank.__getitem__

    # Whether keys outside the table are allowed (custom contact fields).
    OPEN: ClassVar[bool] = False
    _FAST_PATH: ClassVar[FastPath | None] = None
    _HAS_CHECK: ClassVar[bool] = False
    _BY_KEY: ClassVar[dict[str, tuple[Prop, Checker]]] = {}
    _BY_NAME: ClassVar[dict[str, tuple[Prop, Checker]]] = {}
    _FIELDS: ClassVar[dict[str, tuple[str, bool, Checker, Prop]]] = {}
    _REQUIRED: ClassVar[tuple[tuple[Prop, str], ...]] = ()
    # A plain function stored on the class: read it through type(self), never self.
    _SORT_KEY: ClassVar[Callable[[str], int]]

    @classmethod
    def _collect(
        cls, data: Mapping[str, object], path: str, problems: list[Problem]
    ) -> dict[str, object]:
        by_key = cls._FIELDS
        values: dict[str, object] = {}
        for key, raw in data.items():
            found = by_key.get(key)
            if found is None:
                cls._extra(key, raw, path, values, problems)
                continue
            if raw is None:
                continue
            name, multiple, check, prop = found
            if multiple:
                value = _many(prop, check, raw, _join(path, key), problems)
            else:
                try:
                    value = check(raw)
                except Invalid as exc:
                    problems.append(Problem(_join(path, key), str(exc)))
                    continue
            # D8: empty values are omitted (checkers give "" for blank text, None for none).
            if value or (value is not None and type(value) is not str):
                values[name] = value
        for prop, key in cls._REQUIRED:
            if prop.name in values:
                continue
            if cls._requires(prop, data):
                where = _join(path, key)
                if _failed(problems, where):
                    continue  # already reported with its own message
                raw = data.get(key)
                got = "" if raw is None else f", got {raw!r}"
                problems.append(Problem(where, f"is required{got}"))
        cls._check(values, path, problems)
        return values

    @classmethod
    def _requires(cls, prop: Prop, data: Mapping[str, object]) -> bool:
        return True

    @classmethod
    def _extra(
        cls,
        key: str,
        raw: object,
        path: str,
        values: dict[str, object],
        problems: list[Problem],
    ) -> None:
        problems.append(Problem(_join(path, key), _unknown_key(key, cls.PROPS, cls.WHAT)))

    @classmethod
    def _check(cls, values: Mapping[str, object], path: str, problems: list[Problem]) -> None:
        """Rules across properties; subclasses add theirs."""

    # -- reading ---------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name == "_values":  # not set yet: never recurse
            raise AttributeError(name)
        found = type(self)._BY_KEY.get(name) or type(self)._BY_NAME.get(name)
        if found is not None:
            prop = found[0]
            return self._values.get(prop.name, () if prop.multiple else None)
        if name in self._values:  # custom contact fields
            return self._values[name]
        raise AttributeError(f"{type(self).__name__} has no property {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; build a new one")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return dict(self._values) == dict(other._values)

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(self._values.items(), key=lambda kv: kv[0]))))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"{type(self).__name__}({inner})"

    @property
    def values(self) -> Mapping[str, object]:
        """The canonical values by property class name (absent optionals left out)."""
        return MappingProxyType(self._values)

    def to_dict(self) -> dict[str, object]:
        """The data-file form: class names as keys, text for numbers and dates.

        ``type(x).from_dict(x.to_dict()) == x`` holds for every record.
        """
        out: dict[str, object] = {}
        for prop in self.PROPS:
            if prop.name not in self._values:
                continue
            value = self._values[prop.name]
            if prop.kind is Kind.OBJECT:
                assert isinstance(value, tuple)
                out[_data_key(prop)] = [item.to_dict() for item in value]
            elif prop.multiple:
                assert isinstance(value, tuple)
                out[prop.name] = list(value)
            else:
                out[prop.name] = to_text(value)
        return out

    def to_js(self) -> dict[str, object]:
        """The object Connectif's client builds from this record's tag (spec 4.6, D16).

        Numbers stay ``Decimal``/``int`` (JSON numbers with the tag's text); dates are strings.
        """
        out: dict[str, object] = {}
        for prop in self.PROPS:
            value = self._values.get(prop.name)
            if value is None:
                if prop.multiple:
                    out[prop.js_key] = []  # D16: arrays are always present
                continue
            out[prop.js_key] = _js_value(prop, value)
        return out

    def tag_values(self) -> Iterable[tuple[str, object]]:
        """``(class, canonical value)`` for each child element of this record's tag, in order.

        A multi-valued property gives a tuple of values, cart lines a tuple of records.
        """
        return self._values.items()


def _failed(problems: Iterable[Problem], path: str) -> bool:
    return any(p.path == path or p.path.startswith(path + "[") for p in problems)


def _js_value(prop: Prop, value: object) -> object:
    if prop.kind is Kind.OBJECT:
        assert isinstance(value, tuple)
        return [item.to_js() for item in value]
    if isinstance(value, tuple):
        return [_js_scalar(v) for v in value]
    return _js_scalar(value)


def _js_scalar(value: object) -> object:
    if isinstance(value, datetime):
        return to_text(value)
    return value


def _category(raw: object) -> object:
    # A category may be given as its levels: ["Shoes", "Running"] -> "/Shoes/Running".
    if _is_sequence(raw):
        assert isinstance(raw, (list, tuple))
        levels = [normalise_text(level, what="a category level name") for level in raw]
        for level in levels:
            if not level or "/" in level:
                raise Invalid(
                    "levels must be non-empty names without '/', like ['Shoes', 'Running'], "
                    f"got {raw!r}"
                )
        return "/" + "/".join(levels)
    return raw


def _many(prop: Prop, check: Checker, raw: object, path: str, problems: list[Problem]) -> object:
    """The canonical values of a multi-valued property, or None when there are none."""
    if prop.kind is Kind.OBJECT:
        return _lines(prop, raw, path, problems)
    items = (raw,) if type(raw) is str else raw
    if not _is_sequence(items):
        problems.append(Problem(path, f"must be a list of values, got {raw!r}"))
        return None
    assert isinstance(items, (list, tuple))
    out: list[object] = []
    for i, item in enumerate(items):
        try:
            if type(item) is not str and prop.pattern == vocab.CATEGORY_PATTERN:
                item = _category(item)
            value = check(item)
        except Invalid as exc:
            problems.append(Problem(f"{path}[{i}]", str(exc)))
            continue
        if value != "":  # D8: empty values are omitted
            out.append(value)
    return tuple(out) or None


def _lines(prop: Prop, raw: object, path: str, problems: list[Problem]) -> object:
    if not _is_sequence(raw):
        problems.append(Problem(path, f"must be a list of cart lines, got {raw!r}"))
        return None
    assert isinstance(raw, (list, tuple))
    kept = tuple(line for line in _build_each(BasketItem, raw, path, problems) if line is not None)
    return kept or None


def _build_each(
    record_type: type[R], items: Sequence[object], path: str, problems: list[Problem]
) -> list[R | None]:
    """Each item built as ``record_type``; an item's path is only made when it has problems."""
    fast = record_type._fast_build
    return [
        fast(item) or record_type._build(item, f"{path}[{i}]", problems)
        for i, item in enumerate(items)
    ]


class Product(Record):
    """A product (spec 3.2): the content of ``cn_product_visited`` and ``cn_product_searched``."""

    PROPS = vocab.PRODUCT
    LABEL = "product"
    WHAT = "a product"


class BasketItem(Record):
    """One cart or purchase line (spec 3.7): a product plus ``quantity`` and line ``price``."""

    PROPS = vocab.BASKET_ITEM
    LABEL = "product_basket_item"
    WHAT = "a cart line"

    @property
    def product(self) -> Product:
        """The line's product without its quantity and price."""
        names = {p.name for p in vocab.PRODUCT}
        product = Product.__new__(Product)
        product._set({k: v for k, v in self._values.items() if k in names})
        return product


# Nested objects by their vocabulary name (Prop.obj).
_OBJECT_RECORDS: Mapping[str, type[Record]] = MappingProxyType({"product_basket_item": BasketItem})


class _Totals(Record):
    @classmethod
    def _check(cls, values: Mapping[str, object], path: str, problems: list[Problem]) -> None:
        lines = values.get("product_basket_item")
        total = values.get("total_quantity")
        if isinstance(lines, tuple) and lines and isinstance(total, int):
            counted = sum(line._values["quantity"] for line in lines)
            if counted != total:
                problems.append(
                    Problem(
                        _join(path, "total_quantity"),
                        f"must equal the sum of the line quantities ({counted}), got {total!r}",
                    )
                )


class Cart(_Totals):
    """The visitor's current cart (spec 3.6); an empty cart has no lines and zero totals (D2)."""

    PROPS = vocab.CART
    LABEL = "cart"
    WHAT = "a cart"

    @classmethod
    def empty(cls, cart_id: str) -> Cart:
        """The emptied cart Connectif needs to stop abandoned-cart flows (D2).

        >>> Cart.empty("c-5521").total_quantity
        0
        """
        return cls(cart_id=cart_id, total_quantity=0, total_price=0)


class Purchase(_Totals):
    """A completed purchase (spec 3.8)."""

    PROPS = vocab.PURCHASE
    LABEL = "purchase"
    WHAT = "a purchase"


class Search(Record):
    """The text a visitor searched for (spec 3.5)."""

    PROPS = vocab.SEARCH
    LABEL = "search"
    WHAT = "a search"


class NewsletterSubscription(Record):
    """A newsletter subscription (spec 3.10)."""

    PROPS = vocab.NEWSLETTER
    LABEL = "newsletter_subscribe"
    WHAT = "a newsletter subscription"


CustomValue = str | tuple[str, ...]


def _custom_value(raw: object) -> CustomValue | None:
    """D4: the text of a custom contact field, or a tuple of texts for a list (JS only)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, float, Decimal)):
        number = normalise_decimal(abs(raw)) if raw < 0 else normalise_decimal(raw)
        sign = "-" if raw < 0 and number != 0 else ""
        return sign + to_text(number)
    if isinstance(raw, (datetime, date)):
        return to_text(normalise_datetime(raw))
    if _is_sequence(raw):
        assert isinstance(raw, (list, tuple))
        items = []
        for item in raw:
            if not isinstance(item, str):
                raise Invalid(f"list items must be strings, got {item!r} in {raw!r}")
            items.append(normalise_text(item))
        return tuple(items)
    if isinstance(raw, str):
        return normalise_text(raw)
    raise Invalid(f"must be text, a number, true/false, a date or a list of strings, got {raw!r}")


class Contact(Record):
    """The identified visitor (spec 3.1): ``cn_client_info`` and the JS ``entityInfo``.

    Keys other than the system properties are custom contact fields: the field id from
    Contacts > Contact fields (D4). ``anonymous=True`` builds a block without ``primary_key``.

    >>> Contact(primary_key="ana@shop.example", loyalty_tier="gold").to_js()
    {'primaryKey': 'ana@shop.example', 'loyalty_tier': 'gold'}
    """

    PROPS = vocab.CONTACT
    LABEL = "contact"
    WHAT = "a contact"
    OPEN = True
    ANONYMOUS = "anonymous"

    @classmethod
    def _requires(cls, prop: Prop, data: Mapping[str, object]) -> bool:
        return data.get(cls.ANONYMOUS) is not True

    @classmethod
    def _extra(
        cls,
        key: str,
        raw: object,
        path: str,
        values: dict[str, object],
        problems: list[Problem],
    ) -> None:
        where = _join(path, key)
        if key == cls.ANONYMOUS:
            if not isinstance(raw, bool):
                problems.append(Problem(where, f"must be true or false, got {raw!r}"))
            elif raw:
                values[key] = True
            return
        if not vocab.CUSTOM_FIELD_PATTERN.match(key) or key.startswith(
            vocab.CUSTOM_FIELD_FORBIDDEN_PREFIX
        ):
            problems.append(
                Problem(
                    where,
                    "is not a usable contact field id: custom field ids are one CSS class "
                    "token like 'loyalty_tier' (letters, digits, '_' and '-', not starting "
                    f"with a digit or 'cn_'), got {key!r}",
                )
            )
            return
        close = difflib.get_close_matches(key, [p.name for p in cls.PROPS], n=1, cutoff=0.85)
        if close:
            problems.append(
                Problem(where, f"looks like a misspelt {close[0]!r}; write {close[0]!r}")
            )
            return
        try:
            value = _custom_value(raw)
        except Invalid as exc:
            problems.append(Problem(where, str(exc)))
            return
        if value not in ("", None, ()):
            values[key] = value

    @classmethod
    def _check(cls, values: Mapping[str, object], path: str, problems: list[Problem]) -> None:
        if values.get(cls.ANONYMOUS) and "primary_key" in values:
            problems.append(
                Problem(
                    _join(path, "primary_key"),
                    "must be absent in an anonymous contact block (anonymous=true)",
                )
            )

    @property
    def anonymous(self) -> bool:
        return bool(self._values.get(self.ANONYMOUS))

    @property
    def custom_fields(self) -> Mapping[str, CustomValue]:
        """The custom contact fields, in input order."""
        known = {p.name for p in self.PROPS} | {self.ANONYMOUS}
        return {k: v for k, v in self._values.items() if k not in known}  # type: ignore[misc]

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        if self.anonymous:
            out[self.ANONYMOUS] = True
        for key, value in self.custom_fields.items():
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def to_js(self) -> dict[str, object]:
        out = super().to_js()
        for key, value in self.custom_fields.items():
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def tag_values(self) -> Iterable[tuple[str, object]]:
        lists = [k for k, v in self._values.items() if isinstance(v, tuple)]
        if lists:
            raise ValidationError(
                Problem(
                    _join(self.LABEL, key),
                    "is a list, which a cn_client_info tag cannot carry; send it in JS "
                    "entityInfo instead, or join it into one text",
                )
                for key in lists
            )
        return ((k, v) for k, v in self._values.items() if k != self.ANONYMOUS)


# -- page information ------------------------------------------------------------------------
_PAGE_CATEGORY = vocab.TAG_BY_NAME["cn_page_category"]
_PAGE_TAG = vocab.TAG_BY_NAME["cn_page_tag"]
# Page values are scalar strings; these rows let them share the string rules of the table.
_CATEGORY_VALUE = vocab._p(
    "cn_page_category", "categories", Kind.STRING, pattern=vocab.CATEGORY_PATTERN
)
_TAG_VALUE = vocab._p("cn_page_tag", "tags", Kind.STRING)


def _page_values(
    tag: Tag, row: Prop, raw: object, path: str, problems: list[Problem]
) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not _is_sequence(items):
        problems.append(Problem(path, f"must be a list, got {raw!r}"))
        return ()
    assert isinstance(items, (list, tuple))
    out: list[str] = []
    check, limit = checker(row), tag.max_length
    for i, item in enumerate(items):
        try:
            if tag is _PAGE_CATEGORY and type(item) is not str:
                item = _category(item)
            value = check(item)
        except Invalid as exc:
            problems.append(Problem(f"{path}[{i}]", str(exc)))
            continue
        assert isinstance(value, str)
        # UTF-16 units are at least the code points, at most twice as many.
        if limit is not None and len(value) * 2 > limit and utf16_length(value) > limit:
            problems.append(
                Problem(
                    f"{path}[{i}]",
                    f"must be at most {tag.max_length} characters (the client cuts the rest), "
                    f"got {value!r} ({utf16_length(value)})",
                )
            )
            continue
        if value:
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


# -- the page document ------------------------------------------------------------------------
# Page-document key -> the tag it renders to. The keys are tagkit's, not Connectif's.
PAGE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "contact": "cn_client_info",
        "cart": "cn_cart",
        "purchases": "cn_purchase",
        "product_visited": "cn_product_visited",
        "product_searched": "cn_product_searched",
        "search": "cn_search",
        "login": "cn_login",
        "register": "cn_register",
        "newsletter_subscribe": "cn_newsletter_subscribe",
        "page_categories": "cn_page_category",
        "page_tags": "cn_page_tag",
    }
)

# The page-document keys' tags, as a plain dict for the per-key lookup of every page.
_PAGE_TAGS: dict[str, Tag] = {key: vocab.TAG_BY_NAME[name] for key, name in PAGE_KEYS.items()}

RECORD_FOR_TAG: Mapping[str, type[Record]] = MappingProxyType(
    {
        "cn_client_info": Contact,
        "cn_cart": Cart,
        "cn_purchase": Purchase,
        "cn_product_visited": Product,
        "cn_product_searched": Product,
        "cn_search": Search,
        "cn_newsletter_subscribe": NewsletterSubscription,
    }
)


@dataclass(frozen=True)
class Page:
    """Everything one page tells Connectif: the page document of ``tagkit page``.

    >>> page = Page.from_dict({"search": "red shoe", "page_tags": ["summer-sale"]})
    >>> [e["type"] for e in page.to_js()["events"]]
    ['search', 'page-visit']
    """

    contact: Contact | None = None
    cart: Cart | None = None
    purchases: tuple[Purchase, ...] = ()
    product_visited: tuple[Product, ...] = ()
    product_searched: tuple[Product, ...] = ()
    search: Search | None = None
    login: bool = False
    register: bool = False
    newsletter_subscribe: NewsletterSubscription | None = None
    page_categories: tuple[str, ...] = ()
    page_tags: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: object, *, extra_keys: Iterable[str] = ()) -> Page:
        """Validate a page document; ``extra_keys`` are passed through to ``extra`` unchecked."""
        if type(data) is not dict and not isinstance(data, Mapping):
            raise ValidationError(
                [Problem("", f"a page document must be a JSON object, got {data!r}")]
            )
        problems: list[Problem] = []
        allowed_extra = frozenset(extra_keys) if extra_keys else frozenset()
        kwargs: dict[str, Any] = {}
        extra: dict[str, object] = {}
        for key, raw in data.items():
            tag = _PAGE_TAGS.get(key)
            if tag is None:
                if key in allowed_extra:
                    extra[key] = raw
                    continue
                close = difflib.get_close_matches(key, list(PAGE_KEYS), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                problems.append(
                    Problem(key, f"is not a page document key; {hint}known: {', '.join(PAGE_KEYS)}")
                )
                continue
            value = _page_field(key, tag, raw, problems)
            if value is not None:
                kwargs[key] = value
        if problems:
            raise ValidationError(problems)
        return cls(**kwargs, extra=extra)

    def records(self, tag_name: str) -> tuple[Record, ...]:
        """The records this page renders as ``tag_name`` containers."""
        for key, name in PAGE_KEYS.items():
            if name == tag_name:
                value = getattr(self, key)
                if isinstance(value, Record):
                    return (value,)
                if isinstance(value, tuple) and value and isinstance(value[0], Record):
                    return value
                return ()
        raise KeyError(tag_name)

    def events_js(self) -> list[dict[str, object]]:
        """The page's events as the client collects them (spec 4.5 order), without page-visit."""
        events: list[dict[str, object]] = []
        by_type: dict[str, list[dict[str, object]]] = {}
        for tag in vocab.TAGS:
            if tag.event_type is None:
                continue
            bucket = by_type.setdefault(tag.event_type, [])
            if tag.instances == "presence":
                if getattr(self, _page_key(tag.name)):
                    bucket.append({"type": tag.event_type})
                continue
            for record in self.records(tag.name):
                bucket.append(_event_js(tag, record))
        for event_type in vocab.EVENT_ORDER:
            events.extend(by_type.get(event_type, ()))
        return events

    def to_js(self) -> dict[str, object]:
        """What the client sends for this page in tag mode (spec 7): contact, cart, events,
        page info. ``entityInfo`` and ``cart`` are left out when the page has none."""
        out: dict[str, object] = {}
        if self.contact is not None:
            out["entityInfo"] = self.contact.to_js()
        if self.cart is not None:
            out["cart"] = self.cart.to_js()
        out["events"] = [*self.events_js(), {"type": vocab.PAGE_VISIT}]
        out["pageInfo"] = {
            "categories": list(self.page_categories),
            "tags": list(self.page_tags),
        }
        return out

    def __iter__(self) -> Iterator[tuple[str, object]]:
        for key in PAGE_KEYS:
            yield key, getattr(self, key)


def _page_key(tag_name: str) -> str:
    return next(k for k, v in PAGE_KEYS.items() if v == tag_name)


def _event_js(tag: Tag, record: Record) -> dict[str, object]:
    assert tag.event_type is not None and tag.event_field is not None
    if len(tag.properties) == 1:
        # Scalar events (search, newsletter-subscribe) carry their one value directly.
        value: object = record.to_js()[tag.properties[0].js_key]
    else:
        value = record.to_js()
    return {"type": tag.event_type, tag.event_field: value}


def _page_field(key: str, tag: Tag, raw: object, problems: list[Problem]) -> object:
    if raw is None:
        return None
    if tag.instances == "presence":
        if not isinstance(raw, bool):
            problems.append(Problem(key, f"must be true or false, got {raw!r}"))
            return None
        return raw
    if tag.value_is_text:
        row = _CATEGORY_VALUE if tag is _PAGE_CATEGORY else _TAG_VALUE
        return _page_values(tag, row, raw, key, problems)
    record_type = RECORD_FOR_TAG[tag.name]
    if tag.name == "cn_search" and isinstance(raw, str):
        raw = {"search_text": raw}
    if tag.instances == "all":
        if not _is_sequence(raw):
            problems.append(Problem(key, f"must be a list, got {raw!r}"))
            return None
        assert isinstance(raw, (list, tuple))
        built = _build_each(record_type, raw, key, problems)
        return tuple(r for r in built if r is not None)
    return record_type._build(raw, key, problems)


def page_category(value: str | Sequence[str], *, path: str = "page_categories") -> str:
    """Validate one page category: a path or its level names. ``["A", "B"]`` -> ``"/A/B"``."""
    problems: list[Problem] = []
    out = _page_values(_PAGE_CATEGORY, _CATEGORY_VALUE, [value], path, problems)
    if problems:
        raise ValidationError(problems)
    return out[0]


__all__ = [
    "PAGE_KEYS",
    "BasketItem",
    "Cart",
    "Contact",
    "NewsletterSubscription",
    "Page",
    "Product",
    "Purchase",
    "Record",
    "Search",
]

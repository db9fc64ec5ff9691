"""Validated, immutable, typed models of everything a page tells Connectif.

Every model is built from a mapping or keyword arguments whose keys are the property class
names of :mod:`tagkit.vocabulary` (``unit_price``, ``category``); the lines of a cart or purchase
go under ``products``. Input is normalised once (Decimal money, integers, UTC datetimes, enums,
category paths) and every problem is collected before one :class:`~tagkit.ValidationError` is
raised. The attributes each model declares are checked against the vocabulary by a test, so
``mypy`` sees ``Cart.total_price`` as a ``Decimal``.

>>> p = Product(url="https://shop.example/p/1", product_id="SKU-1", name="Shoe", unit_price=49.9)
>>> p.unit_price
Decimal('49.9')
>>> p.to_js()["productDetailUrl"]
'https://shop.example/p/1'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

from . import vocabulary as vocab
from ._fastpath import FastPath, Maker, Nested, compile_shape
from ._frames import frame_of
from ._values import (
    Checker,
    Invalid,
    checker,
    close_match,
    did_you_mean,
    js_trim,
    normalise_datetime,
    normalise_decimal,
    normalise_integer,
    normalise_text,
    quoted,
    to_text,
)
from .errors import Problem, ValidationError
from .vocabulary import Kind, Prop, Tag

R = TypeVar("R", bound="Record")
# Compiled shapes kept per model. A catalogue's optional properties make a few dozen shapes;
# past this many, the oldest is dropped (and compiled again if it comes back), so a
# long-running process never settles on the slow path.
_MAX_SHAPES = 256


def _remember(
    shapes: dict[tuple[object, ...], FastPath], shape: tuple[object, ...], fast: FastPath
) -> FastPath:
    if len(shapes) >= _MAX_SHAPES:
        del shapes[next(iter(shapes))]  # the oldest
    shapes[shape] = fast
    return fast


def join(path: str, name: str) -> str:
    """``path.name``, or ``name`` at the top level."""
    return f"{path}.{name}" if path else name


def join_key(path: str, key: object) -> str:
    """The path of a key the input chose: as :func:`join` when it is printable text, else
    ``path['\\x01']`` with the key quoted, so that a path always prints."""
    if isinstance(key, str) and key.isprintable():
        return join(path, key)
    return f"{path}[{quoted(key)}]"


def _unknown_key(key: str, props: Sequence[Prop], what: str) -> str:
    by_js = {p.js_key: p.data_key for p in props if p.js_key != p.data_key}
    known = [p.data_key for p in props]
    if key in by_js:
        return f"is the JS key; write the property's class name {by_js[key]!r} instead"
    hint = did_you_mean(key, known)
    return f"is not a property of {what}; {hint}known: {', '.join(known)}"


def is_sequence(value: object) -> bool:
    return type(value) is list or isinstance(value, (list, tuple))


class _Field:
    """A model attribute: the canonical value of one vocabulary row, or its empty default."""

    __slots__ = ("default", "key")

    def __init__(self, key: str, default: object) -> None:
        self.key = key
        self.default = default

    def __get__(self, record: Any, owner: type | None = None) -> Any:
        if record is None:
            return self
        return record._values.get(self.key, self.default)


class Record:
    """Base of the models: a frozen mapping from property class names to canonical values.

    Subclasses name their vocabulary rows in ``PROPS`` and declare one typed attribute per row
    (``products`` for cart lines); an absent optional property reads as ``None``, or ``()``
    when multi-valued.
    """

    PROPS: ClassVar[tuple[Prop, ...]] = ()
    LABEL: ClassVar[str] = ""
    WHAT: ClassVar[str] = ""
    # Whether keys outside the table are allowed (custom contact fields).
    OPEN: ClassVar[bool] = False
    __slots__ = ("_json", "_markup", "_values")

    _values: dict[str, object]
    # The tag body, or the JSON of to_js(), when the fast path wrote it while checking the
    # values (see _fastpath): the one a page needs, tags or events.
    _markup: str | None
    _json: str | None

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
        object.__setattr__(self, "_markup", None)
        object.__setattr__(self, "_json", None)

    @classmethod
    def from_dict(cls: type[R], data: object, *, path: str | None = None) -> R:
        """Build from a mapping (e.g. parsed JSON), naming problems under ``path``.

        >>> Cart.from_dict({"cart_id": "c-1", "total_quantity": 0, "total_price": 0}).cart_id
        'c-1'
        """
        problems: list[Problem] = []
        record = cls.build(data, cls.LABEL if path is None else path, problems)
        if problems or record is None:
            raise ValidationError(problems)
        return record

    @classmethod
    def _fast_build(cls: type[R], data: object) -> R | None:
        """The record for common, valid input, with its tag body, or None to take the full
        rules (_fastpath)."""
        if type(data) is not dict:
            return None
        fast = cls._SHAPES.get(tuple(data))
        if fast is None:
            fast = _remember(cls._SHAPES, tuple(data), cls._compile_shape(tuple(data), json=False))
        record: R | None = fast(data)
        return record

    @classmethod
    def _fast_build_json(cls: type[R], data: object) -> R | None:
        """As :meth:`_fast_build`, with the JSON of ``to_js()`` instead of the tag body."""
        if type(data) is not dict:
            return None
        fast = cls._JSON_SHAPES.get(tuple(data))
        if fast is None:
            fast = _remember(
                cls._JSON_SHAPES, tuple(data), cls._compile_shape(tuple(data), json=True)
            )
        record: R | None = fast(data)
        return record

    @classmethod
    def _fast_bare(cls, data: object, summed: str | None = None) -> tuple[str, Any] | None:
        """The JSON of ``to_js()`` for common, valid input, and the value of property
        ``summed`` (0 without one), without making a record; or None (_fastpath). For a page
        whose records nobody keeps: events mode's compiled page path."""
        if type(data) is not dict:
            return None
        key = (tuple(data), summed)
        fast = cls._BARE_SHAPES.get(key)
        if fast is None:
            made = cls._compile_shape(key[0], json=True, bare=True, summed=summed)
            fast = _remember(cls._BARE_SHAPES, key, made)
        found: tuple[str, Any] | None = fast(data)
        return found

    @classmethod
    def _compile_shape(
        cls, shape: tuple[object, ...], *, json: bool, bare: bool = False, summed: str | None = None
    ) -> FastPath:
        lines = [p for p in cls.PROPS if p.kind is Kind.OBJECT]
        nested = None
        if lines:
            line = record_type(vocab.OBJECTS[lines[0].obj or ""])
            line_sum = cls._TOTALS[1] if cls._TOTALS is not None else None
            nested = (
                Nested(
                    line._fast_build_json,
                    line._JSON_SHAPES,
                    functools.partial(line._fast_bare, summed=line_sum),
                    line._BARE_SHAPES,
                    line_sum,
                )
                if json
                else Nested(line._fast_build, line._SHAPES)
            )
        check = None
        if cls._HAS_CHECK:

            def check(values: dict[str, object]) -> bool:
                problems: list[Problem] = []
                cls._check(values, cls.LABEL, problems)
                return bool(problems)

        maker = Maker(cls, _SET_VALUES, _SET_MARKUP, _SET_JSON, check, cls._IS_CONTENT)
        return compile_shape(
            cls.__name__,
            cls.PROPS,
            shape,
            maker,
            frames=frame_of if cls._IS_CONTENT and not json else None,
            json=json,
            nested=nested,
            extra=cls._fast_extra() if cls.OPEN else None,
            bare=bare,
            summed=summed,
            totals=cls._TOTALS,
        )

    @classmethod
    def _fast_extra(cls) -> Callable[[str], bool]:
        """For open models: whether a key outside the table is a plain custom field."""
        return lambda key: False

    @classmethod
    def build(cls: type[R], data: object, path: str, problems: list[Problem]) -> R | None:
        """The record for ``data`` (a mapping or a record), or None with its problems added."""
        if type(data) is cls:
            return data
        record = cls._fast_build(data)
        if record is not None:
            return record
        if type(data) is not dict and not isinstance(data, Mapping):
            problems.append(Problem(path, f"must be an object of properties, got {quoted(data)}"))
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
        cls._FIELDS = {p.data_key: (p.name, p.multiple, checker(p), p) for p in cls.PROPS}
        cls._REQUIRED = tuple(p for p in cls.PROPS if p.required)
        cls._HAS_CHECK = cls._check.__func__ is not Record._check.__func__  # type: ignore[attr-defined]
        cls._SHAPES = {}
        cls._JSON_SHAPES = {}
        cls._BARE_SHAPES = {}
        cls._JS = {p.name: (p.js_key, _js_mode(p)) for p in cls.PROPS}
        cls._ARRAYS = tuple(p.js_key for p in cls.PROPS if p.multiple)
        # Custom events are never a tag's content: their fast path writes no body.
        cls._IS_CONTENT = not any(p.kind is Kind.PAYLOAD for p in cls.PROPS)
        rank = {p.name: i for i, p in enumerate(cls.PROPS)}
        if cls.OPEN:
            last = len(rank)
            cls._SORT_KEY = lambda key: rank.get(key, last)
        else:
            cls._SORT_KEY = rank.__getitem__
        for prop in cls.PROPS:
            if prop.data_key not in cls.__dict__:
                default: object = () if prop.multiple else None
                if prop.kind is Kind.PAYLOAD:
                    default = MappingProxyType({})
                setattr(cls, prop.data_key, _Field(prop.name, default))

    _SHAPES: ClassVar[dict[tuple[object, ...], FastPath]] = {}
    _JSON_SHAPES: ClassVar[dict[tuple[object, ...], FastPath]] = {}
    _BARE_SHAPES: ClassVar[dict[tuple[object, ...], FastPath]] = {}
    # The rule across properties that the bare fast path checks itself: (the total, the line
    # property it adds up); None when the model has no such rule.
    _TOTALS: ClassVar[tuple[str, str] | None] = None
    _JS: ClassVar[dict[str, tuple[str, int]]] = {}
    _ARRAYS: ClassVar[tuple[str, ...]] = ()
    _IS_CONTENT: ClassVar[bool] = True
    _HAS_CHECK: ClassVar[bool] = False
    _FIELDS: ClassVar[dict[str, tuple[str, bool, Checker, Prop]]] = {}
    _REQUIRED: ClassVar[tuple[Prop, ...]] = ()
    # A plain function stored on the class: read it through type(self), never self.
    _SORT_KEY: ClassVar[Callable[[str], int]]

    @classmethod
    def _collect(
        cls, data: Mapping[str, object], path: str, problems: list[Problem]
    ) -> dict[str, object]:
        by_key = cls._FIELDS
        values: dict[str, object] = {}
        for key, raw in data.items():
            found = by_key.get(key) if type(key) is str else None
            if found is None:
                cls._extra(key, raw, path, values, problems)
                continue
            if raw is None:
                continue
            name, multiple, check, prop = found
            if multiple:
                value = _many(prop, check, raw, join(path, key), problems)
            elif prop.kind is Kind.PAYLOAD:
                value = _payload(raw, join(path, key), problems)
            else:
                try:
                    value = check(raw)
                except Invalid as exc:
                    problems.append(Problem(join(path, key), str(exc)))
                    continue
            # Empty values are left out (docs/connectif.md#empty-omitted): checkers give ""
            # for blank text and None for none.
            if value or (value is not None and type(value) is not str):
                values[name] = value
        for prop in cls._REQUIRED:
            if prop.name in values or (prop.js_key != prop.data_key and prop.js_key in data):
                continue  # present, or given under its JS key, which has its own message
            if cls._requires(prop, data):
                where = join(path, prop.data_key)
                if _failed(problems, where):
                    continue  # already reported with its own message
                raw = data.get(prop.data_key)
                got = "" if raw is None else f", got {quoted(raw)}"
                problems.append(Problem(where, f"is required{got}"))
        cls._check(values, path, problems)
        return values

    @classmethod
    def _requires(cls, prop: Prop, data: Mapping[str, object]) -> bool:
        return True

    @classmethod
    def _extra(
        cls,
        key: object,
        raw: object,
        path: str,
        values: dict[str, object],
        problems: list[Problem],
    ) -> None:
        problems.append(Problem(join_key(path, key), _unknown_key(str(key), cls.PROPS, cls.WHAT)))

    @classmethod
    def _check(cls, values: Mapping[str, object], path: str, problems: list[Problem]) -> None:
        """Rules across properties; subclasses add theirs."""

    # -- reading ---------------------------------------------------------------------------
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
                out[prop.data_key] = [item.to_dict() for item in value]
            elif prop.kind is Kind.PAYLOAD:
                assert isinstance(value, Mapping)
                out[prop.name] = dict(value)
            elif prop.multiple:
                assert isinstance(value, tuple)
                out[prop.name] = list(value)
            else:
                out[prop.name] = to_text(value)
        return out

    def to_js(self) -> dict[str, object]:
        """The object Connectif's client builds from this record's tag
        (docs/connectif.md#event-objects); arrays are always present.

        Numbers stay ``Decimal``/``int`` (JSON numbers with the tag's text); dates are strings.
        """
        js = type(self)._JS
        out: dict[str, object] = {}
        for name, value in self._values.items():
            found = js.get(name)
            if found is None:
                continue  # custom contact fields: the contact adds them
            key, mode = found
            if mode == _PLAIN:
                out[key] = value
            elif mode == _LIST:
                out[key] = list(value)  # type: ignore[call-overload]
            elif mode == _RECORDS:
                out[key] = [line.to_js() for line in value]  # type: ignore[attr-defined]
            elif mode == _DATE:
                out[key] = to_text(value)
            elif mode == _DATES:
                out[key] = [to_text(v) for v in value]  # type: ignore[attr-defined]
            else:
                out[key] = dict(value)  # type: ignore[call-overload]
        for key in type(self)._ARRAYS:
            if key not in out:
                out[key] = []  # docs/connectif.md#empty-arrays-present
        return out

    def tag_values(self) -> Iterable[tuple[str, object]]:
        """``(class, canonical value)`` for each child element of this record's tag, in order.

        A multi-valued property gives a tuple of values, cart lines a tuple of records.
        """
        return self._values.items()


# The slots' own setters: records are immutable, so their __setattr__ refuses.
_SET_VALUES = Record.__dict__["_values"].__set__
_SET_MARKUP = Record.__dict__["_markup"].__set__
_SET_JSON = Record.__dict__["_json"].__set__


def _failed(problems: Iterable[Problem], path: str) -> bool:
    return any(p.path == path or p.path.startswith(path + "[") for p in problems)


# How to_js writes a canonical value: as it is, as a list, as a list of objects, as date text,
# as a list of date texts, or as a plain dict.
_PLAIN, _LIST, _RECORDS, _DATE, _DATES, _MAP = range(6)


def _js_mode(prop: Prop) -> int:
    if prop.kind is Kind.OBJECT:
        return _RECORDS
    if prop.kind is Kind.PAYLOAD:
        return _MAP
    if prop.kind is Kind.DATETIME:
        return _DATES if prop.multiple else _DATE
    return _LIST if prop.multiple else _PLAIN


def category_levels(raw: object) -> object:
    """A category given as its levels, ``["Shoes", "Running"]``, as its path ``/Shoes/Running``;
    anything else unchanged."""
    if is_sequence(raw):
        assert isinstance(raw, (list, tuple))
        levels = [normalise_text(level, what="a category level name") for level in raw]
        for level in levels:
            if not level or "/" in level:
                raise Invalid(
                    "levels must be non-empty names without '/', like ['Shoes', 'Running'], "
                    f"got {quoted(raw)}"
                )
        return "/" + "/".join(levels)
    return raw


def _many(prop: Prop, check: Checker, raw: object, path: str, problems: list[Problem]) -> object:
    """The canonical values of a multi-valued property, or None when there are none."""
    if prop.kind is Kind.OBJECT:
        return _lines(prop, raw, path, problems)
    items = (raw,) if type(raw) is str else raw
    if not is_sequence(items):
        problems.append(Problem(path, f"must be a list of values, got {quoted(raw)}"))
        return None
    assert isinstance(items, (list, tuple))
    out: list[object] = []
    for i, item in enumerate(items):
        value = list_item(prop, check, item, f"{path}[{i}]", problems)
        if value is not None:
            out.append(value)
    return tuple(out) or None


def list_item(
    prop: Prop, check: Checker, item: object, where: str, problems: list[Problem]
) -> object | None:
    """One item of a list value: its canonical value, or None when it is empty (left out,
    docs/connectif.md#empty-omitted) or refused (reported under ``where``)."""
    try:
        value = check(category_levels(item) if type(item) is not str and prop.levels else item)
    except Invalid as exc:
        problems.append(Problem(where, str(exc)))
        return None
    if value == "":
        if item:
            problems.append(Problem(where, blank(item)))
        return None
    return value


def blank(item: object) -> str:
    """The message for a list item that the client's trim() leaves empty."""
    return (
        "is blank once trimmed as the client trims it, so the client drops it "
        f"(docs/connectif.md#empty-multi-valued); leave it out, got {quoted(item)}"
    )


def _lines(prop: Prop, raw: object, path: str, problems: list[Problem]) -> object:
    if not is_sequence(raw):
        problems.append(Problem(path, f"must be a list of cart lines, got {quoted(raw)}"))
        return None
    assert isinstance(raw, (list, tuple))
    line_type = record_type(vocab.OBJECTS[prop.obj or ""])
    kept = tuple(line for line in build_each(line_type, raw, path, problems) if line is not None)
    return kept or None


def build_each(
    kind: type[R], items: Sequence[object], path: str, problems: list[Problem]
) -> list[R | None]:
    """Each item built as ``kind``; an item's path is only made when it has problems."""
    fast = kind._fast_build
    return [
        fast(item) or kind.build(item, f"{path}[{i}]", problems) for i, item in enumerate(items)
    ]


# -- the models -------------------------------------------------------------------------------


class Product(Record):
    """A product: the content of ``cn_product_visited`` and ``cn_product_searched``."""

    PROPS = vocab.PRODUCT
    LABEL = vocab.PRODUCT_OBJECT
    WHAT = "a product"

    url: str
    product_id: str
    name: str
    unit_price: Decimal
    image_url: str | None
    thumbnail_url: str | None
    description: str | None
    availability: str | None
    category: tuple[str, ...]
    tag: tuple[str, ...]
    brand: str | None
    related_external_product_id: tuple[str, ...]
    priority: int | None
    rating_value: Decimal | None
    review_count: int | None
    rating_count: int | None
    unit_price_original: Decimal | None
    unit_price_without_vat: Decimal | None
    discounted_amount: Decimal | None
    discounted_percentage: Decimal | None
    published_at: datetime | None
    custom_field_1: str | None
    custom_field_2: str | None
    custom_field_3: str | None


class BasketItem(Product):
    """One cart or purchase line: a product plus ``quantity`` and the line's ``price``."""

    PROPS = vocab.BASKET_ITEM
    LABEL = vocab.LINE_OBJECT
    WHAT = "a cart line"

    quantity: int
    price: Decimal

    @property
    def product(self) -> Product:
        """The line's product without its quantity and price."""
        names = {p.name for p in vocab.PRODUCT}
        product = Product.__new__(Product)
        product._set({k: v for k, v in self._values.items() if k in names})
        return product


class _Totals(Record):
    # The one rule across properties of a cart or purchase, which _check reports.
    _TOTALS = (vocab.TOTAL_QUANTITY.name, vocab.LINE_QUANTITY.name)

    @classmethod
    def _check(cls, values: Mapping[str, object], path: str, problems: list[Problem]) -> None:
        lines = values.get(vocab.LINES.name)
        total = values.get(vocab.TOTAL_QUANTITY.name)
        if isinstance(lines, tuple) and lines and isinstance(total, int):
            counted = sum(line._values[vocab.LINE_QUANTITY.name] for line in lines)
            if counted != total:
                problems.append(
                    Problem(
                        join(path, vocab.TOTAL_QUANTITY.name),
                        f"must equal the sum of the line quantities ({counted}), "
                        f"got {quoted(total)}",
                    )
                )


class Cart(_Totals):
    """The visitor's current cart; an empty cart has no lines and zero totals
    (docs/connectif.md#tag-cart-empty)."""

    PROPS = vocab.CART
    LABEL = vocab.CART_TAG.page_key
    WHAT = "a cart"

    cart_id: str
    total_quantity: int
    total_price: Decimal
    products: tuple[BasketItem, ...]
    cart_recovery_url: str | None

    @classmethod
    def empty(cls, cart_id: str) -> Cart:
        """The emptied cart Connectif needs to stop abandoned-cart flows.

        >>> Cart.empty("c-5521").total_quantity
        0
        """
        return cls(
            {vocab.CART_ID.name: cart_id, vocab.TOTAL_QUANTITY.name: 0, vocab.TOTAL_PRICE.name: 0}
        )


class Purchase(_Totals):
    """A completed purchase."""

    PROPS = vocab.PURCHASE
    LABEL = vocab.PURCHASE_TAG.short
    WHAT = "a purchase"

    purchase_id: str
    cart_id: str | None
    total_quantity: int
    total_price: Decimal
    payment_method: str | None
    purchase_date: datetime | None
    products: tuple[BasketItem, ...]
    source_name: str | None
    source_type: str | None


class Search(Record):
    """The text a visitor searched for."""

    PROPS = vocab.SEARCH
    LABEL = "search"
    WHAT = "a search"

    search_text: str


class NewsletterSubscription(Record):
    """A newsletter subscription."""

    PROPS = vocab.NEWSLETTER
    LABEL = "newsletter_subscribe"
    WHAT = "a newsletter subscription"

    email: str


CustomValue = str | tuple[str, ...]
CustomScalar = str | bool | int | Decimal


def _custom_value(raw: object) -> CustomValue | None:
    """The text of a custom contact field, or a tuple of texts for a list (JS only)
    (docs/connectif.md#contact-custom-fields)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, float, Decimal)):
        if isinstance(raw, Decimal) and not raw.is_finite():
            normalise_decimal(raw)  # raises with the accepted form
        number = normalise_decimal(abs(raw)) if raw < 0 else normalise_decimal(raw)
        sign = "-" if raw < 0 and number != 0 else ""
        return sign + to_text(number)
    return custom_text(raw)


def custom_text(raw: object) -> CustomValue:
    """A custom contact field that is not a number or true/false: a date as its text, text, or
    a list of texts; the same in tags, scripts and the REST API."""
    if isinstance(raw, (datetime, date)):
        return to_text(normalise_datetime(raw))
    if is_sequence(raw):
        assert isinstance(raw, (list, tuple))
        items = []
        for item in raw:
            if not isinstance(item, str):
                raise Invalid(f"list items must be strings, got {quoted(item)} in {quoted(raw)}")
            items.append(normalise_text(item))
        return tuple(items)
    if isinstance(raw, str):
        return normalise_text(raw)
    raise Invalid(
        f"must be text, a number, true/false, a date or a list of strings, got {quoted(raw)}"
    )


ANONYMOUS = "anonymous"
# A JavaScript object swallows this key: set with a text value, it neither becomes a property
# nor changes anything, so the client sends nothing for it. "constructor" and "prototype"
# arrive as ordinary properties (tests/browser holds all three to what Chromium does).
LOST_KEY = "__proto__"
_LOST = (
    f"cannot be a field id: JavaScript objects drop a {LOST_KEY!r} key, so Connectif would "
    "never receive it; rename the field"
)
_CONTACT_NAMES = tuple(p.name for p in vocab.CONTACT)


@functools.lru_cache(maxsize=4096)
def _custom_field_problem(key: str) -> str | None:
    """Why ``key`` cannot be a custom contact field id, or None when it can. Field ids are a
    shop's schema, not data: the same few recur on every page, hence the cache."""
    if not vocab.CUSTOM_FIELD_PATTERN.match(key) or key.startswith(
        vocab.CUSTOM_FIELD_FORBIDDEN_PREFIX
    ):
        return (
            "is not a usable contact field id: custom field ids are one CSS class "
            "token like 'loyalty_tier' (letters, digits, '_' and '-', not starting "
            f"with a digit or {vocab.CUSTOM_FIELD_FORBIDDEN_PREFIX!r}), got {quoted(key)}"
        )
    if key == LOST_KEY:
        return _LOST
    close = close_match(key, _CONTACT_NAMES, cutoff=0.85)
    if close:
        return f"looks like a misspelt {close!r}; write {close!r}"
    return None


class Contact(Record):
    """The identified visitor: ``cn_client_info`` and the JS ``entityInfo``.

    Keys other than the system properties are custom contact fields: the field id from
    Contacts > Contact fields. ``anonymous=True`` builds a block without ``primary_key``.

    >>> Contact(primary_key="ana@shop.example", loyalty_tier="gold").to_js()
    {'primaryKey': 'ana@shop.example', 'loyalty_tier': 'gold'}
    """

    PROPS = vocab.CONTACT
    LABEL = vocab.CONTACT_TAG.page_key
    WHAT = "a contact"
    OPEN = True
    ANONYMOUS = ANONYMOUS

    primary_key: str | None
    tracker_id: str | None
    _name: str | None
    _surname: str | None
    _birthdate: datetime | None
    _newsletter_subscription_status: str | None
    _email_status: str | None

    @classmethod
    def _fast_extra(cls) -> Callable[[str], bool]:
        return lambda key: key != ANONYMOUS and _custom_field_problem(key) is None

    @classmethod
    def _requires(cls, prop: Prop, data: Mapping[str, object]) -> bool:
        return data.get(ANONYMOUS) is not True

    @classmethod
    def _extra(
        cls,
        key: object,
        raw: object,
        path: str,
        values: dict[str, object],
        problems: list[Problem],
    ) -> None:
        where = join_key(path, key)
        if key == ANONYMOUS:
            if not isinstance(raw, bool):
                problems.append(Problem(where, f"must be true or false, got {quoted(raw)}"))
            elif raw:
                values[ANONYMOUS] = True
            return
        if not isinstance(key, str):
            problems.append(Problem(path, f"field ids must be text, got {quoted(key)}"))
            return
        problem = _custom_field_problem(key)
        if problem is not None:
            problems.append(Problem(where, problem))
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
        if values.get(ANONYMOUS) and vocab.PRIMARY_KEY.name in values:
            problems.append(
                Problem(
                    join(path, vocab.PRIMARY_KEY.name),
                    "must be absent in an anonymous contact block (anonymous=true)",
                )
            )

    @property
    def anonymous(self) -> bool:
        return bool(self._values.get(ANONYMOUS))

    @property
    def custom_fields(self) -> Mapping[str, CustomValue]:
        """The custom contact fields, in input order."""
        known = {*_CONTACT_NAMES, ANONYMOUS}
        return {k: v for k, v in self._values.items() if k not in known}  # type: ignore[misc]

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        if self.anonymous:
            out[ANONYMOUS] = True
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
                    join(self.LABEL, key),
                    f"is a list, which a {vocab.CONTACT_TAG.name} tag cannot carry; send it in "
                    f"JS {vocab.CONTACT_TAG.body_path} instead, or join it into one text",
                )
                for key in lists
            )
        return ((k, v) for k, v in self._values.items() if k != ANONYMOUS)


def _payload_value(raw: object) -> CustomScalar | None:
    """One custom-event payload value: text, number, true/false, or a date as text."""
    if raw is None:
        return None  # absent (docs/connectif.md#empty-omitted)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return normalise_integer(raw)
    if isinstance(raw, (float, Decimal)):
        return normalise_decimal(raw)
    if isinstance(raw, (datetime, date)):
        return to_text(normalise_datetime(raw))
    if isinstance(raw, str):
        return normalise_text(raw)
    if isinstance(raw, Mapping):
        raise Invalid(
            "is a nested object; a custom event payload is flat: field id -> text, number, "
            f"true/false or date (docs/connectif.md#event-custom), got {quoted(raw)}"
        )
    if isinstance(raw, (list, tuple, set, frozenset)):
        raise Invalid(
            "is a list; lists are not accepted in a custom event payload until a list-typed "
            f"field is confirmed (docs/connectif.md#event-custom): send one value, "
            f"got {quoted(raw)}"
        )
    raise Invalid(f"must be text, a number, true/false or a date, got {quoted(raw)}")


def _payload(raw: object, path: str, problems: list[Problem]) -> Mapping[str, CustomScalar]:
    values: dict[str, CustomScalar] = {}
    if not isinstance(raw, Mapping):
        problems.append(
            Problem(
                path,
                f"must be an object of field id -> value, like {{'size': 42}}, got {quoted(raw)}",
            )
        )
        return MappingProxyType(values)
    for key, item in raw.items():
        if key == LOST_KEY:
            problems.append(Problem(f"{path}.{key}", _LOST))
            continue
        usable = isinstance(key, str) and key and key == js_trim(key)
        if usable:
            try:
                normalise_text(key)
            except Invalid:
                usable = False  # a control character or a lone surrogate
        if not usable:
            problems.append(
                Problem(
                    path,
                    "field ids must be non-empty text without surrounding spaces or control "
                    f"characters, got {quoted(key)}",
                )
            )
            continue
        try:
            value = _payload_value(item)
        except Invalid as exc:
            problems.append(Problem(f"{path}.{key}", str(exc)))
            continue
        if value is not None:
            values[key] = value
    return MappingProxyType(values)


class CustomEvent(Record):
    """A custom integration event: the event's Connectif id and a flat payload
    (JavaScript only, docs/connectif.md#event-custom).

    >>> CustomEvent(event_id="64a1f0c2e4b0a1b2c3d4e5f6", payload={"size": 42}).to_js()
    {'eventId': '64a1f0c2e4b0a1b2c3d4e5f6', 'payload': {'size': 42}}
    """

    PROPS = vocab.CUSTOM_EVENT
    LABEL = "custom_event"
    WHAT = "a custom event"

    event_id: str
    payload: Mapping[str, CustomScalar]

    def __hash__(self) -> int:
        return hash((type(self), self.event_id, tuple(sorted(self.payload.items()))))

    def to_js(self) -> dict[str, object]:
        out = super().to_js()
        out.setdefault(vocab.CUSTOM_EVENT[1].js_key, {})
        return out


# -- the table's models -----------------------------------------------------------------------
# Each group of rows has one model; a group without a declared model (a new tag's rows) gets
# a plain Record subclass, so adding a tag is one table change.
_RECORD_TYPES: dict[tuple[Prop, ...], type[Record]] = {
    cls.PROPS: cls
    for cls in (Product, BasketItem, Cart, Purchase, Search, NewsletterSubscription, Contact)
}
_RECORD_TYPES[CustomEvent.PROPS] = CustomEvent


def record_type(props: tuple[Prop, ...]) -> type[Record]:
    """The model of a group of vocabulary rows (a tag's properties or a nested object)."""
    # By identity first: the table's tuples live as long as the program, and hashing a tuple
    # of rows hashes every field of every row.
    known = _BY_ID.get(id(props))
    if known is not None and known[0] is props:
        return known[1]
    found = _RECORD_TYPES.get(props)
    if found is None:
        name = "".join(part.title() for part in props[0].name.split("_")) + "Record"
        found = type(name, (Record,), {"PROPS": props, "LABEL": "", "WHAT": "a record"})
        _RECORD_TYPES[props] = found
    _BY_ID[id(props)] = (props, found)
    return found


_BY_ID: dict[int, tuple[tuple[Prop, ...], type[Record]]] = {}


def event_js(tag: Tag, record: Record | None) -> dict[str, object]:
    """One event object of ``sendEvents`` in the shape the row gives
    (docs/connectif.md#event-types)."""
    assert tag.event_type is not None
    out: dict[str, object] = {vocab.EVENT_TYPE_KEY: tag.event_type}
    if record is None or tag.event_shape == "bare":
        return out
    if tag.event_shape == "nested":
        assert tag.event_field is not None
        out[tag.event_field] = record.to_js()
    else:
        out.update(record.to_js())
    return out

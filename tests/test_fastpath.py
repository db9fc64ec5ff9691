"""The compiled fast path gives exactly what the full rules give, or steps aside."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tagkit import BasketItem, Cart, Contact, Product, Purchase, Record, _markup, jsonsafe
from tagkit._sample import sample_page

from .conftest import HOSTILE

SAMPLE = sample_page()


def full_rules(cls: type[Record], data: dict[str, Any]) -> Record | None:
    problems: list[Any] = []
    values = cls._collect(data, cls.LABEL, problems)
    if problems:
        return None
    record = cls.__new__(cls)
    record._set(values)
    return record


CASES: list[tuple[type[Record], dict[str, Any]]] = [
    (Cart, SAMPLE["cart"]),
    (Purchase, SAMPLE["purchases"][0]),
    (Product, SAMPLE["product_visited"][0]),
    (BasketItem, SAMPLE["cart"]["products"][0]),
    (Contact, {"primary_key": "ana@shop.example", "_name": "Ana"}),
    (
        Product,
        {
            "url": "https://s.example/p",
            "product_id": "1",
            "name": "n",
            "unit_price": 0,
            "rating_value": "5",
            "discounted_percentage": 100,
        },
    ),
]
for text in HOSTILE:
    CASES.append(
        (
            Product,
            {
                "url": "https://s.example/p",
                "product_id": text,
                "name": text,
                "unit_price": "1.50",
                "tag": [text, ""],
                "brand": text,
            },
        )
    )


@pytest.mark.parametrize(("cls", "data"), CASES, ids=range(len(CASES)))
def test_fast_path_equals_full_rules(cls: type[Record], data: dict[str, Any]) -> None:
    fast = cls._fast_build(data)
    slow = full_rules(cls, data)
    assert slow is not None
    _same_outputs(cls, data, slow)
    if fast is not None:
        assert fast == slow
        assert list(fast.values.items()) == list(slow.values.items())  # order and types too
        assert [type(v) for v in fast.values.values()] == [type(v) for v in slow.values.values()]


def test_common_input_takes_the_fast_path() -> None:
    for cls, data in CASES[:6]:
        assert cls._fast_build(data) is not None, cls


@pytest.mark.parametrize(
    "change",
    [
        {"unit_price": "1.234,50"},
        {"unit_price": -1},
        {"unit_price": True},
        {"unit_price": 1.5},
        {"rating_value": "6"},
        {"url": "/relative"},
        {"url": "HTTPS://shop.example/p"},
        {"url": "https:///nohost"},
        {"url": "https://shop.example/a b"},
        {"name": ""},
        {"name": "tab\there"},
        {"product_id": 77},
        {"availability": "maybe"},
        {"category": [" "]},
        {"category": [["Shoes", "Running"]]},
        {"unknown": 1},
        {"published_at": "2024-05-01T10:00:00"},
    ],
)
def test_unusual_input_steps_aside_to_the_full_rules(change: dict[str, Any]) -> None:
    data = {
        "url": "https://s.example/p",
        "product_id": "1",
        "name": "n",
        "unit_price": "1",
        **change,
    }
    assert Product._fast_build(data) is None


def test_totals_that_do_not_add_up_take_the_full_rules() -> None:
    cart = {**SAMPLE["cart"], "total_quantity": 99}
    assert Cart._fast_build(cart) is None


def test_decimal_scale_is_kept() -> None:
    product = Product._fast_build(
        {"url": "https://s.example/p", "product_id": "1", "name": "n", "unit_price": "49.90"}
    )
    assert product is not None
    assert str(product.unit_price) == "49.90"
    assert product.unit_price == Decimal("49.9")


@pytest.mark.parametrize("value", ["9007199254740992", 2**53, "1234567890123456.5"])
def test_huge_numbers_step_aside(value: object) -> None:
    data = {"url": "https://s.example/p", "product_id": "1", "name": "n", "unit_price": value}
    assert Product._fast_build(data) is None


# -- fuzz: generated input, fast path against the full rules ---------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tagkit import vocabulary as vocab  # noqa: E402
from tagkit._model import record_type  # noqa: E402

# A model whose numbers have fractional bounds, as a future row might: the fast path must
# compare them exactly (0.5 is not 0, 2.25 is not 2).
FRACTIONAL = (
    vocab._p("weight", "weight", vocab.DEC, required=True, minimum="0.5", maximum="2.25"),
    vocab._p("step", "step", vocab.INT, minimum="1.5"),
    vocab._p("label", "label", vocab.TEXT),
)
Fractional = record_type(FRACTIONAL)

TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(HOSTILE),
    st.sampled_from(["", " ", " x ", "\t", "a\nb", "\u00a0x", "\ufeff", "x\r"]),
)
NUMBER_TEXT = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,17}(\.[0-9]{0,4})?\Z"),
    st.sampled_from(["0.5", "0.49", "2.25", "2.26", "1.5", "2", "1", "1e3", "1,5", " 7 "]),
)
SCALAR = st.one_of(
    TEXT,
    NUMBER_TEXT,
    st.integers(min_value=-5, max_value=2**54),
    st.decimals(allow_nan=True, places=3),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
)


def _value(prop: vocab.Prop) -> st.SearchStrategy[Any]:
    if prop.kind is vocab.Kind.URL:
        good = st.sampled_from(
            [
                "https://s.example/p",
                "http://s.example",
                "HTTPS://s.example/",
                "https://[::1",
                "https://[x]/p",
                "https://[::1]/p?a[]=1",
            ]
        )
        return st.one_of(good, SCALAR)
    if prop.kind is vocab.Kind.ENUM:
        return st.one_of(
            st.sampled_from([*prop.choices, *(c.upper() for c in prop.choices)]), SCALAR
        )
    if prop.kind is vocab.Kind.EMAIL:
        return st.one_of(st.sampled_from(["a@b.example", "a@b@c", "@x"]), SCALAR)
    if prop.multiple:
        return st.one_of(
            st.lists(st.one_of(TEXT, st.sampled_from(["/A", "/A/B", "A"])), max_size=3), SCALAR
        )
    return SCALAR


def _records(props: tuple[vocab.Prop, ...]) -> st.SearchStrategy[dict[str, Any]]:
    rows = [p for p in props if p.kind is not vocab.Kind.OBJECT]
    return st.fixed_dictionaries(
        {p.data_key: _value(p) for p in rows if p.required},
        optional={p.data_key: _value(p) for p in rows if not p.required},
    )


@pytest.mark.parametrize(
    "model", [Product, BasketItem, Contact, Fractional], ids=lambda m: m.__name__
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_fast_path_never_disagrees_with_the_full_rules(model: type[Record], data: Any) -> None:
    raw = data.draw(_records(model.PROPS))
    fast = model._fast_build(raw)
    problems: list[Any] = []
    model._collect(raw, model.LABEL, problems)
    if fast is None:
        return  # stepping aside is always allowed
    assert not problems, f"the fast path accepted what the full rules reject: {problems}"
    slow = full_rules(model, raw)
    assert slow is not None
    assert list(fast.values.items()) == list(slow.values.items())
    assert [type(v) for v in fast.values.values()] == [type(v) for v in slow.values.values()]
    _same_outputs(model, raw, slow)


def _same_outputs(model: type[Record], raw: dict[str, Any], slow: Record) -> None:
    """What the fast path writes while it checks equals what the full path writes later: the
    tag body (as _markup writes a record) and the JSON of to_js() (as jsonsafe writes it)."""
    fast = model._fast_build(raw)
    if fast is not None and fast._markup is not None:
        parts: list[str] = []
        _markup._parts(slow, parts)
        assert fast._markup == "".join(parts)
    as_json = model._fast_build_json(raw)
    if as_json is not None:
        assert as_json == slow
        assert as_json._json == jsonsafe.compact(slow.to_js())
    _same_bare(model, raw, slow)


def _same_bare(model: type[Record], raw: dict[str, Any], slow: Record | None) -> None:
    """The bare fast path (JSON, no record) accepts only what the full rules accept, and
    writes the same JSON; the summed property comes back as the record holds it."""
    summed = "quantity" if model is BasketItem else None
    bare = model._fast_bare(raw, summed)
    if bare is None:
        return
    assert slow is not None, "the bare path accepted what the full rules reject"
    assert bare[0] == jsonsafe.compact(slow.to_js())
    assert bare[1] == (slow.values[summed] if summed else 0)


_LINE = _records(BasketItem.PROPS)


@pytest.mark.parametrize("model", [Cart, Purchase], ids=lambda m: m.__name__)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_bare_totals_agree_with_the_full_rules(model: type[Record], data: Any) -> None:
    """Carts and purchases with generated lines, their totals right or wrong: the bare path's
    own totals check refuses exactly what the full rules refuse."""
    base = dict(CASES[0][1] if model is Cart else CASES[1][1])
    common = [dict(line) for line in base["products"]]
    lines = data.draw(st.one_of(st.just(common), st.lists(_LINE, max_size=3)))
    raw = {**base, "products": lines}
    raw["total_quantity"] = data.draw(
        st.one_of(st.just(sum(int(line.get("quantity", 0)) for line in common)), st.integers(0, 9))
    )
    problems: list[Any] = []
    model._collect(raw, model.LABEL, problems)
    _same_bare(model, raw, None if problems else full_rules(model, raw))


def test_the_bare_path_takes_common_input() -> None:
    for cls, data in CASES[:4]:
        assert cls._fast_bare(data, "quantity" if cls is BasketItem else None) is not None, cls


def test_fractional_bounds_are_exact() -> None:
    assert Fractional._fast_build({"weight": "0.5"}) is not None
    assert Fractional._fast_build({"weight": "0.49"}) is None
    assert Fractional._fast_build({"weight": "2.25", "step": 2}) is not None
    assert Fractional._fast_build({"weight": "1", "step": 1}) is None
    with pytest.raises(Exception, match=r"must be between 0\.5 and 2\.25"):
        Fractional.from_dict({"weight": "0.49"})
    # Found by the generated tests: the per-value shortcut rounded the minimum 1.5 down to 1.
    from tagkit._values import Invalid, checker

    with pytest.raises(Invalid, match=r"must be at least 1\.5"):
        checker(FRACTIONAL[1])(1)
    assert checker(FRACTIONAL[1])(2) == 2


def test_many_shapes_never_leave_common_input_on_the_slow_path() -> None:
    """Past the cache's size the oldest shape is dropped, not the newcomer refused."""
    from tagkit._model import _MAX_SHAPES

    base = {"url": "https://s.example/p", "product_id": "1", "name": "n", "unit_price": "1"}
    optional = [p.name for p in Product.PROPS if not p.required and p.kind is vocab.Kind.STRING]
    for i in range(_MAX_SHAPES + 10):  # distinct key orders make distinct shapes
        keys = [optional[(i + j) % len(optional)] for j in range(3)]
        Product._fast_build({**base, **{k: "x" for k in keys}, f"custom_field_{1 + i % 3}": "y"})
    assert len(Product._SHAPES) <= _MAX_SHAPES
    for cls, data in CASES[:6]:
        assert cls._fast_build(data) is not None, cls


ROWS = [p for p in (*vocab.PRODUCT, *vocab.CONTACT, *FRACTIONAL) if not p.multiple]


@pytest.mark.parametrize("prop", ROWS, ids=lambda p: p.name)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_each_checker_agrees_with_the_full_rule(prop: vocab.Prop, data: Any) -> None:
    """The per-value shortcuts (_values.checker) that the full rules use give what
    normalise() gives, or the same refusal."""
    from tagkit._values import Invalid, checker, normalise

    raw = data.draw(_value(prop))

    def outcome(call: Any) -> Any:
        try:
            return ("ok", call(raw))
        except Invalid as exc:
            return ("invalid", str(exc))

    assert outcome(checker(prop)) == outcome(lambda v: normalise(prop, v))

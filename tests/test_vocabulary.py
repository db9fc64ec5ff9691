"""The vocabulary table agrees with the machine-readable twin of docs/connectif.md.

The twin is kept in the repository as ``tests/data/connectif-vocabulary.json`` (shipped in the
sdist), so the parity checks always run. When the shared original sits beside the checkout
(``../shared/connectif-vocabulary.json``), the copy must be byte-identical to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tagkit import vocabulary as vocab

REPO = Path(__file__).resolve().parents[1]
COPY = REPO / "tests" / "data" / "connectif-vocabulary.json"
SHARED = REPO.parent / "shared" / "connectif-vocabulary.json"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    assert COPY.is_file(), f"{COPY} is missing; it is part of the repository"
    return json.loads(COPY.read_text(encoding="utf-8"))


def test_the_copy_is_identical_to_the_shared_vocabulary() -> None:
    if not SHARED.is_file():
        pytest.skip(f"{SHARED} is not beside this checkout; nothing to compare the copy with")
    assert COPY.read_bytes() == SHARED.read_bytes(), (
        f"{COPY.relative_to(REPO)} differs from {SHARED}; refresh the copy from the repository "
        "root with `cp ../shared/connectif-vocabulary.json tests/data/connectif-vocabulary.json`, "
        "then update tagkit/vocabulary.py until the other tests here pass"
    )


def _rows(props: tuple[vocab.Prop, ...]) -> list[tuple[object, ...]]:
    return [
        (p.name, p.js_key, p.kind.value, p.required, p.multiple, list(p.choices) or None)
        for p in props
    ]


def _spec_rows(props: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    return [
        (p["name"], p["js_key"], p["type"], p["required"], p["multiple"], p["enum"]) for p in props
    ]


def test_every_tag_of_the_spec_is_in_the_table(spec: dict[str, Any]) -> None:
    assert sorted(t.name for t in vocab.TAGS) == sorted(spec["tags"])


def test_product_and_basket_item_rows_match(spec: dict[str, Any]) -> None:
    assert _rows(vocab.PRODUCT) == _spec_rows(spec["objects"]["product"]["properties"])
    own = spec["objects"]["product_basket_item"]["properties"]
    assert _rows(vocab.BASKET_ITEM[:2]) == _spec_rows(own)
    assert vocab.BASKET_ITEM[2:] == vocab.PRODUCT


@pytest.mark.parametrize("tag", [t for t in vocab.TAGS if t.properties], ids=lambda t: t.name)
def test_tag_rows_match(spec: dict[str, Any], tag: vocab.Tag) -> None:
    entry = spec["tags"][tag.name]
    rows = entry.get("properties")
    if rows is None:  # product containers
        assert tag.properties == vocab.PRODUCT
        assert entry["content"] == "objects.product"
    else:
        assert sorted(_rows(tag.properties)) == sorted(_spec_rows(rows))


@pytest.mark.parametrize("tag", vocab.TAGS, ids=lambda t: t.name)
def test_instances_events_and_limits_match(spec: dict[str, Any], tag: vocab.Tag) -> None:
    entry = spec["tags"][tag.name]
    assert tag.instances == entry["instances"]
    assert tag.event_type == entry.get("event", {}).get("type")
    assert tag.event_field == entry.get("event", {}).get("field")
    assert tag.element == entry["element"]
    assert tag.max_items == entry.get("max_items")
    assert tag.max_length == entry.get("max_length")


def test_properties_the_client_does_not_read_match_the_js_key_table(spec: dict[str, Any]) -> None:
    unread = {
        p.name: p.js_key
        for props in (vocab.PRODUCT, vocab.CART, vocab.PURCHASE)
        for p in props
        if not p.read_by_client
    }
    listed = {
        r["property"]: r["js_key"] for r in spec["js_key_table"] if not r["read_by_client_1_3_0"]
    }
    assert unread == listed


def test_numeric_bounds_match(spec: dict[str, Any]) -> None:
    rows = {p["name"]: p for p in spec["objects"]["product"]["properties"]}
    for prop in vocab.PRODUCT:
        if prop.numeric:
            assert prop.minimum == rows[prop.name].get("min")
            assert prop.maximum == rows[prop.name].get("max")


def test_custom_field_rule_matches(spec: dict[str, Any]) -> None:
    custom = spec["tags"]["cn_client_info"]["custom_fields"]
    assert vocab.CUSTOM_FIELD_PATTERN.pattern == custom["class_pattern"]
    assert custom["forbidden_prefix"] == vocab.CUSTOM_FIELD_FORBIDDEN_PREFIX
    assert [p.name for p in vocab.CONTACT] == custom["reserved_classes"]


def test_lookup_by_class_or_short_name() -> None:
    assert vocab.lookup_tag("cn_cart") is vocab.lookup_tag("cart")
    with pytest.raises(KeyError, match="unknown tag 'basket'"):
        vocab.lookup_tag("basket")

"""JSON Schemas generated from the vocabulary accept tagkit's own sample data."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tagkit import json_schema
from tagkit import vocabulary as vocab
from tagkit._sample import sample_page


def _check(schema: dict[str, Any], value: Any, path: str = "$") -> None:
    """A small validator for the subset of JSON Schema tagkit emits."""
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                _check({**{k: v for k, v in schema.items() if k != "anyOf"}, **option}, value, path)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: no option matched: {errors}")
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    py = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "array": list,
        "object": dict,
        "null": type(None),
    }
    if kinds:
        assert any(isinstance(value, py[k]) for k in kinds), f"{path}: {value!r} is not {kinds}"
    if "pattern" in schema and isinstance(value, str):
        assert re.search(schema["pattern"], value), f"{path}: {value!r} !~ {schema['pattern']}"
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, f"{path}[{i}]")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{path}: {key} missing"
        for key, item in value.items():
            if key in schema.get("properties", {}):
                _check(schema["properties"][key], item, f"{path}.{key}")
            elif any(re.search(p, key) for p in schema.get("patternProperties", {})):
                continue
            else:
                assert schema.get("additionalProperties", True), f"{path}: unexpected {key}"


def test_the_sample_page_matches_the_page_schema() -> None:
    _check(json_schema(), sample_page())


def test_a_misspelt_key_breaks_the_schema() -> None:
    bad = sample_page()
    bad["cart"]["products"][0]["unitPrice"] = 1
    with pytest.raises(AssertionError, match="unexpected unitPrice"):
        _check(json_schema(), bad)


def test_a_comma_decimal_breaks_the_schema() -> None:
    bad = sample_page()
    bad["cart"]["total_price"] = "1.234,50"
    with pytest.raises(AssertionError):
        _check(json_schema(), bad)


@pytest.mark.parametrize("tag", vocab.TAGS, ids=lambda t: t.short)
def test_every_tag_has_a_schema_naming_its_properties(tag: vocab.Tag) -> None:
    schema = json_schema(tag.name)
    assert schema["$schema"].startswith("https://json-schema.org/")
    body = schema["anyOf"][0] if "anyOf" in schema and "properties" not in schema else schema
    if tag.properties:
        assert set(body["properties"]) >= {
            p.name for p in tag.properties if p.kind is not vocab.Kind.OBJECT
        }

"""JSON Schemas for tagkit's data files, generated from the vocabulary.

Editors use them to check a data file while it is written; tagkit's own validation stays the
authority (it also checks rules a schema cannot say, such as line quantities adding up).

>>> json_schema("search")["required"]
['search_text']
"""

from __future__ import annotations

from typing import Any

from . import vocabulary as vocab
from ._values import DATE_TEXT, DECIMAL_TEXT, INTEGER_TEXT, RFC3339
from .model import PAGE_KEYS
from .vocabulary import Kind, Prop, Tag

DIALECT = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, Any]


def _scalar(prop: Prop) -> Schema:
    kind = prop.kind
    out: Schema
    if kind is Kind.URL:
        out = {"type": "string", "format": "uri", "pattern": "^\\s*[hH][tT][tT][pP][sS]?://"}
    elif kind is Kind.EMAIL:
        out = {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$"}
    elif kind in (Kind.DECIMAL, Kind.INTEGER):
        number: Schema = {"type": "integer" if kind is Kind.INTEGER else "number"}
        if prop.minimum is not None:
            number["minimum"] = int(prop.minimum)
        if prop.maximum is not None:
            number["maximum"] = int(prop.maximum)
        text = (INTEGER_TEXT if kind is Kind.INTEGER else DECIMAL_TEXT).pattern
        out = {"anyOf": [number, {"type": "string", "pattern": text}]}
    elif kind is Kind.DATETIME:
        out = {
            "type": "string",
            "anyOf": [{"pattern": RFC3339.pattern}, {"pattern": DATE_TEXT.pattern}],
        }
    elif kind is Kind.ENUM:
        out = {"type": "string", "enum": list(prop.choices)}
    else:
        # Whole numbers are accepted as text (numeric catalogue ids are common in JSON).
        out = {"type": ["string", "integer"]}
        if prop.pattern:
            out["pattern"] = prop.pattern
    if prop.doc:
        out["description"] = prop.doc
    return out


def _property(prop: Prop) -> Schema:
    if prop.kind is Kind.OBJECT:
        return {
            "type": "array",
            "items": _object(vocab.OBJECTS[prop.obj or ""], "a cart line"),
            "description": prop.doc,
        }
    if prop.multiple:
        item = _scalar(prop)
        if prop.pattern == vocab.CATEGORY_PATTERN:
            item = {"anyOf": [item, {"type": "array", "items": {"type": "string"}}]}
        return {"anyOf": [{"type": "array", "items": item}, item]}
    return _scalar(prop)


def _key(prop: Prop) -> str:
    return prop.js_key if prop.kind is Kind.OBJECT else prop.name


def _object(props: tuple[Prop, ...], title: str, *, open_keys: bool = False) -> Schema:
    out: Schema = {
        "type": "object",
        "title": title,
        "properties": {_key(p): _property(p) for p in props},
        "required": [_key(p) for p in props if p.required],
    }
    if open_keys:
        out["properties"]["anonymous"] = {"type": "boolean"}
        out["patternProperties"] = {
            vocab.CUSTOM_FIELD_PATTERN.pattern: {
                "description": "a custom contact field, keyed by its field id",
                "type": ["string", "number", "boolean", "array"],
            }
        }
    out["additionalProperties"] = False
    return out


def tag_schema(tag: Tag) -> Schema:
    """The schema of the data ``tagkit render TAG`` takes."""
    if tag.instances == "presence":
        return {"type": "null", "title": tag.title, "description": "takes no data"}
    if tag.value_is_text:
        item = _scalar(vocab._p(tag.name, tag.name, Kind.STRING, pattern=tag.pattern, doc=tag.doc))
        if tag.max_length:
            item["maxLength"] = tag.max_length
        items: Schema = {"type": "array", "items": item}
        if tag.max_items:
            items["maxItems"] = tag.max_items
        return {"title": tag.title, "anyOf": [items, item]}
    schema = _object(tag.properties, tag.title, open_keys=tag.name == "cn_client_info")
    if tag.instances == "all":
        return {"title": tag.title, "anyOf": [schema, {"type": "array", "items": schema}]}
    return schema


def page_schema() -> Schema:
    """The schema of a page document (``tagkit page --data FILE``)."""
    properties: Schema = {}
    for key, tag_name in PAGE_KEYS.items():
        tag = vocab.TAG_BY_NAME[tag_name]
        if tag.instances == "presence":
            properties[key] = {"type": "boolean", "description": tag.title}
        elif tag.value_is_text:
            properties[key] = tag_schema(tag)["anyOf"][0]
        elif tag.name == "cn_search":
            properties[key] = {"type": "string", "description": "the search text"}
        elif tag.instances == "all":
            properties[key] = {"type": "array", "items": tag_schema(tag)["anyOf"][0]}
        else:
            properties[key] = tag_schema(tag)
    return {
        "type": "object",
        "title": "tagkit page document",
        "properties": properties,
        "additionalProperties": False,
    }


def json_schema(tag: str | None = None) -> Schema:
    """The JSON Schema of one tag's data (by class or short name), or of a page document."""
    body = page_schema() if tag is None else tag_schema(vocab.lookup_tag(tag))
    return {"$schema": DIALECT, **body}

"""JSON Schemas for tagkit's data files, generated from the vocabulary.

Editors use them to check a data file while it is written; tagkit's own validation stays the
authority (it also checks rules a schema cannot say, such as line quantities adding up).

>>> json_schema("cart")["required"]
['cart_id', 'total_quantity', 'total_price']
"""

from __future__ import annotations

from typing import Any

from . import vocabulary as vocab
from ._values import DATE_TEXT, DECIMAL_TEXT, INTEGER_TEXT, RFC3339
from .vocabulary import Kind, Prop, Tag

DIALECT = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, Any]
_DESCRIPTION = "description"  # not a Connectif name: JSON Schema's keyword


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
        out[_DESCRIPTION] = prop.doc
    return out


def _property(prop: Prop) -> Schema:
    if prop.kind is Kind.PAYLOAD:
        return {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
            _DESCRIPTION: prop.doc,
        }
    if prop.kind is Kind.OBJECT:
        return {
            "type": "array",
            "items": _object(vocab.OBJECTS[prop.obj or ""], "a cart line"),
            _DESCRIPTION: prop.doc,
        }
    if prop.multiple:
        item = _scalar(prop)
        if prop.levels:
            item = {"anyOf": [item, {"type": "array", "items": {"type": "string"}}]}
        return {"anyOf": [{"type": "array", "items": item}, item]}
    return _scalar(prop)


def _object(props: tuple[Prop, ...], title: str, *, open_keys: bool = False) -> Schema:
    out: Schema = {
        "type": "object",
        "title": title,
        "properties": {p.data_key: _property(p) for p in props},
        "required": [p.data_key for p in props if p.required],
    }
    if open_keys:
        out["properties"]["anonymous"] = {"type": "boolean"}
        out["patternProperties"] = {
            vocab.CUSTOM_FIELD_PATTERN.pattern: {
                _DESCRIPTION: "a custom contact field, keyed by its field id",
                "type": ["string", "number", "boolean", "array"],
            }
        }
    out["additionalProperties"] = False
    return out


def tag_schema(tag: Tag) -> Schema:
    """The schema of the data ``tagkit render TAG`` takes, and of its page-document key: the
    one input path accepts the same forms everywhere."""
    if tag.instances == "presence":
        return {"type": ["boolean", "null"], "title": tag.title, _DESCRIPTION: "a marker: true"}
    if tag.value_is_text:
        item = _scalar(vocab._p(tag.name, tag.name, Kind.STRING, pattern=tag.pattern, doc=tag.doc))
        if tag.max_length:
            item["maxLength"] = tag.max_length
        items: Schema = {"type": "array", "items": item}
        if tag.max_items:
            items["maxItems"] = tag.max_items
        return {"title": tag.title, "anyOf": [items, item]}
    schema = _object(tag.properties, tag.title, open_keys=tag.open_fields)
    forms = [schema]
    if tag.shorthand is not None:
        shorthand = _scalar(tag.prop_index[tag.shorthand])
        shorthand[_DESCRIPTION] = f"the {tag.shorthand} itself"
        forms.append(shorthand)
    if tag.multiple:
        forms.append({"type": "array", "items": schema})
    if len(forms) == 1:
        return schema
    return {"title": tag.title, "anyOf": forms}


def page_schema() -> Schema:
    """The schema of a page document (``tagkit page --data FILE``)."""
    properties: Schema = {}
    for tag in vocab.ENTRIES:
        properties[tag.page_key] = tag_schema(tag)
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

"""The models are typed for users: their declared attributes match the vocabulary, and mypy
--strict sees the types in user code."""

from __future__ import annotations

import subprocess
import sys
import typing
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tagkit
from tagkit import vocabulary as vocab
from tagkit._model import Record, record_type
from tagkit._page import Page

HERE = Path(__file__).parent / "typing"
SCALAR: dict[vocab.Kind, Any] = {
    vocab.Kind.STRING: str,
    vocab.Kind.URL: str,
    vocab.Kind.EMAIL: str,
    vocab.Kind.ENUM: str,
    vocab.Kind.DECIMAL: Decimal,
    vocab.Kind.INTEGER: int,
    vocab.Kind.DATETIME: datetime,
}


def _expected(prop: vocab.Prop) -> Any:
    if prop.kind is vocab.Kind.OBJECT:
        return tuple[record_type(vocab.OBJECTS[prop.obj or ""]), ...]  # type: ignore[misc]
    if prop.kind is vocab.Kind.PAYLOAD:
        return Mapping[str, str | bool | int | Decimal]
    scalar = SCALAR[prop.kind]
    if prop.multiple:
        return tuple[scalar, ...]
    return scalar if prop.required else scalar | None


def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind, vars(tagkit._model) | vars(tagkit._page))


MODELS = sorted({record_type(t.properties) for t in vocab.ENTRIES if t.properties}, key=str)
MODELS.append(record_type(vocab.BASKET_ITEM))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_declared_attributes_match_the_vocabulary(model: type[Record]) -> None:
    hints = {
        k: v
        for k, v in _hints(model).items()
        if typing.get_origin(v) is not typing.ClassVar and k not in ("_values", "_markup", "_json")
    }
    for prop in model.PROPS:
        expected = _expected(prop)
        if prop.name == vocab.PRIMARY_KEY.name:  # an anonymous contact block has none
            expected = str | None
        assert hints.get(prop.data_key) == expected, (
            f"declare {model.__name__}.{prop.data_key}: {expected}"
        )
        assert prop.data_key in dir(model)
    assert set(hints) == {p.data_key for p in model.PROPS}, "one attribute per row, no more"


def test_page_attributes_match_the_vocabulary() -> None:
    hints = _hints(Page)
    for tag in vocab.ENTRIES:
        if tag.instances == "presence":
            expected: Any = bool
        elif tag.value_is_text:
            expected = tuple[str, ...]
        elif tag.multiple:
            expected = tuple[record_type(tag.properties), ...]  # type: ignore[misc]
        else:
            expected = record_type(tag.properties) | None
        assert hints[tag.page_key] == expected, f"declare Page.{tag.page_key}: {expected}"


def _mypy(path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), str(path)],
        capture_output=True,
        text=True,
        cwd=HERE,
    )


def test_mypy_sees_the_model_types_in_user_code(tmp_path: Path) -> None:
    result = _mypy(HERE / "uses_models.py", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_rejects_a_wrong_type(tmp_path: Path) -> None:
    result = _mypy(HERE / "wrong_type.py", tmp_path)
    assert result.returncode == 1, result.stdout
    assert 'expression has type "Decimal", variable has type "int"' in result.stdout

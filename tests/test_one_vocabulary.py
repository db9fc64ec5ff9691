"""One vocabulary drives everything: no module but ``tagkit/vocabulary.py`` spells a Connectif
name, so adding a property or a tag is one row there (plus golden files)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tagkit import vocabulary as vocab

PACKAGE = Path(__file__).resolve().parents[1] / "tagkit"
CN_CLASS = re.compile(r"\bcn_[a-z_]+")


def _connectif_names() -> frozenset[str]:
    names: set[str] = set()
    rows = [p for t in vocab.ENTRIES for p in t.properties]
    rows += [p for obj in vocab.OBJECTS.values() for p in obj]
    for prop in rows:
        names |= {prop.name, prop.js_key}
    for tag in vocab.ENTRIES:
        if tag.body_path:
            names |= set(tag.body_path.split("."))
        if tag.event_field:
            names.add(tag.event_field)
    names |= {vocab.EVENTS_KEY, vocab.PAGE_INFO_KEY}
    # Event types and short names are the words of tagkit's own API (event("purchase")).
    return frozenset(names - set(vocab.EVENT_TYPES) - {t.short for t in vocab.ENTRIES})


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


# A line that uses a word the vocabulary also uses, in another sense (a JSON Schema keyword,
# a command's option value), says so with this marker.
MARKER = "# not a Connectif name"


def _spellings(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip = _docstrings(tree)
    names = _connectif_names()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip:
            continue
        text = node.value
        if MARKER in lines[node.lineno - 1]:
            continue
        if text in names or CN_CLASS.search(text):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {text!r}")
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "vocabulary.py")


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_but_the_vocabulary_spells_a_connectif_name(module: Path) -> None:
    found = _spellings(module)
    assert not found, "derive these from tagkit.vocabulary instead:\n" + "\n".join(found)


def test_the_check_finds_a_spelled_name(tmp_path: Path) -> None:
    sample = PACKAGE / "_sample_for_check.py"
    try:
        sample.write_text('KEY = "unitPrice"\nCLS = f"<div class=cn_cart>"\n', encoding="utf-8")
        assert len(_spellings(sample)) == 2
    finally:
        sample.unlink()


ADDITION = textwrap.dedent(
    """
    PRODUCT = (*PRODUCT, _p("gtin", "gtin", TEXT, doc="global trade item number"))
    BASKET_ITEM = (*BASKET_ITEM[:2], *PRODUCT)
    OBJECTS = MappingProxyType({"product": PRODUCT, "product_basket_item": BASKET_ITEM})
    LINES = _p("product_basket_item", "products", OBJ, multiple=True, obj="product_basket_item")
    WISHLIST = (
        _p("wishlist_id", "wishlistId", TEXT, required=True),
        _p("item_count", "itemCount", INT, required=True),
    )
    TAGS = tuple(
        t._replace(properties=PRODUCT) if t.properties and t.properties[0].name == "url" else t
        for t in TAGS
    ) + (
        Tag("cn_wishlist", "wishlist", "Wishlist", "first", WISHLIST, page_key="wishlist"),
    )
    """
)

SCRIPT = textwrap.dedent(
    """
    import json
    from tagkit import Page, parse_page, render_page, render_tag, json_schema
    from tagkit._model import record_type
    from tagkit.vocabulary import lookup_tag

    product = {"url": "https://s.example/p", "product_id": "P", "name": "N",
               "unit_price": "1.50", "gtin": "0001234"}
    html = render_tag("product-visited", product)
    assert '<span class="gtin">0001234</span>' in html, html
    assert parse_page(html).page.product_visited[0].values["gtin"] == "0001234"
    js = Page.from_dict({"product_visited": [product]}).to_js()
    assert js["events"][0]["product"]["gtin"] == "0001234", js
    assert "gtin" in json_schema("product-visited")["anyOf"][0]["properties"]

    doc = {"wishlist": {"wishlist_id": "w-1", "item_count": 3}}
    html = render_page(doc)
    assert html == ('<div class="cn_wishlist" style="display:none">'
                    '<span class="wishlist_id">w-1</span><span class="item_count">3</span></div>'), html
    assert parse_page(html).page == Page.from_dict(doc)
    assert json_schema()["properties"]["wishlist"]["required"] == ["wishlist_id", "item_count"]
    try:
        render_tag("wishlist", {"wishlist_id": "w-1", "item_count": "three"})
    except Exception as exc:
        assert str(exc).startswith("wishlist.item_count must be a non-negative whole number"), exc
    else:
        raise AssertionError("invalid data accepted")
    print("ok")
    """
)


def test_adding_a_property_and_a_tag_is_one_table_change(tmp_path: Path) -> None:
    """Copy the package, append rows to its vocabulary only, and use them everywhere."""
    copy = tmp_path / "tagkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    root = PACKAGE.parent
    for folder in ("templates", "static"):
        shutil.copytree(root / folder, copy / folder)
    table = copy / "vocabulary.py"
    source = table.read_text(encoding="utf-8")
    marker = "# JavaScript-only rows"
    assert marker in source
    addition = ADDITION
    table.write_text(source.replace(marker, addition + "\n" + marker), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"

"""docs/api.md lists exactly the documented surface, and its examples run."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

import tagkit
from tagkit import api, errors, events, jsonsafe, testing, vocabulary

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
ROW = re.compile(r"^\| `([^`]+)` \| [^|]+ \| `(.+)` \|$")


def _sections() -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif (match := ROW.match(line)) and current:
            sections[current].append((match.group(1), match.group(2)))
    return sections


SECTIONS = _sections()
MODULES: list[tuple[str, ModuleType, str]] = [
    ("`tagkit`", tagkit, ""),
    ("`tagkit.events`", events, ""),
    ("`tagkit.vocabulary`", vocabulary, ""),
    ("`tagkit.jsonsafe` and `tagkit.errors`", jsonsafe, "jsonsafe."),
    ("`tagkit.jsonsafe` and `tagkit.errors`", errors, "errors."),
    ("`tagkit.testing`", testing, ""),
    ("`tagkit.api`", api, ""),
]


@pytest.mark.parametrize(("section", "module", "prefix"), MODULES, ids=lambda v: str(v)[:20])
def test_each_list_is_its_modules_all(section: str, module: ModuleType, prefix: str) -> None:
    listed = [name[len(prefix) :] for name, _ in SECTIONS[section] if name.startswith(prefix)]
    # Sorted as ruff's RUF022 sorts it; this checks the two lists hold the same names.
    assert sorted(listed) == sorted(module.__all__)


def test_the_examples_run_in_order() -> None:
    namespace: dict[str, object] = {
        "events": events,
        "vocabulary": vocabulary,
        "jsonsafe": jsonsafe,
        "errors": errors,
    }
    exec("from tagkit import *", namespace)
    namespace["__version__"] = tagkit.__version__
    for section in list(SECTIONS)[:4]:
        for name, example in SECTIONS[section]:
            try:
                exec(example, namespace)
            except Exception as exc:  # pragma: no cover - the message is the point
                pytest.fail(f"docs/api.md example of {name} failed: {example}\n{exc!r}")


def test_every_lazy_name_is_in_all_and_resolves() -> None:
    assert set(tagkit._HOMES) | {"__version__"} == set(tagkit.__all__)
    for name in tagkit.__all__:
        assert getattr(tagkit, name) is not None

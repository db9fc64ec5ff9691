"""``import tagkit`` and the framework-neutral integrations load neither Flask nor Django; each
framework module loads only its own framework."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
for name in sys.argv[1:]:
    __import__(name)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"flask", "django", "werkzeug"})))
"""


def loaded(*modules: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize(
    ("modules", "frameworks"),
    [
        (("tagkit",), []),
        (("tagkit", "tagkit.integrations", "tagkit.integrations.jinja"), []),
        (("tagkit.integrations.django",), []),
        (("tagkit.integrations.flask",), ["flask", "werkzeug"]),
        (("tagkit.integrations.django.apps",), ["django"]),
    ],
)
def test_what_each_module_imports(modules: tuple[str, ...], frameworks: list[str]) -> None:
    assert loaded(*modules) == frameworks

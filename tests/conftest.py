"""Shared test helpers: golden files and hostile strings."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the generated tests on a fixed sequence of examples, so a red build always points at
# a change; local runs draw new examples (TAGKIT_EXAMPLES raises their count) to hunt for more.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Compiled templates go to a folder of this run, not the user's cache (nor a stale one).
os.environ.setdefault("TAGKIT_CACHE_DIR", tempfile.mkdtemp(prefix="tagkit-test-cache-"))

GOLDEN = Path(__file__).parent / "golden"

# Every string field is tested with these (design: "Safe by default").
HOSTILE: tuple[str, ...] = (
    "</div>",
    "</script><script>window.__pwned=1</script>",
    "\"double\" and 'single' quotes",
    "&amp; & &lt; &#x3c;",
    "line\u2028separator\u2029paragraph",
    "emoji 😀👍🏽 and ñ",
    "{{ x }} {% if 1 %}{# c #}",
    '<span class="name">Evil name</span>',
    "<!-- comment --> <![CDATA[ x ]]>",
    "tab\there\nnewline",
    "windows\r\nline break and a lone\rcarriage return",
    "\u0085next line, \u00a0no-break and \u3000ideographic spaces inside",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output instead of comparing.",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with ``tests/golden/NAME``; ``--update-golden`` rewrites the file."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"golden file {path} is missing; run pytest --update-golden once")
        assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"

    return check

"""The README's Python examples run as written, and its CLI examples print what it shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tagkit.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)
CONSOLE_BLOCKS = re.findall(r"```console\n(.*?)```", README, flags=re.S)


@pytest.mark.parametrize("code", PYTHON_BLOCKS, ids=range(len(PYTHON_BLOCKS)))
def test_python_examples_run(code: str) -> None:
    # A module name of its own, as a script has (Flask finds its root path from it).
    exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})


def _echo_examples() -> list[tuple[str, str, str]]:
    """`$ echo 'JSON' | tagkit ...` lines followed by the output the README shows."""
    found = []
    for block in CONSOLE_BLOCKS:
        lines = block.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"\$ echo '(.*)' \| tagkit (.*)$", line)
            if not m:
                continue
            shown = []
            for after in lines[i + 1 :]:
                if after.startswith("$ "):
                    break
                shown.append(after)
            found.append((m.group(1), m.group(2), "\n".join(shown)))
    return found


@pytest.mark.parametrize(("stdin", "args", "shown"), _echo_examples())
def test_cli_examples_print_what_the_readme_shows(stdin: str, args: str, shown: str) -> None:
    result = CliRunner().invoke(main, shlex.split(args), input=stdin)
    output = (result.stdout + result.stderr).strip()
    assert output == shown.strip()

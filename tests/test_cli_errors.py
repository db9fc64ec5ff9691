"""How the tagkit command fails: error classes, exit codes, ``error:`` lines, no traceback."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from tagkit import ConfigError, Problem, ValidationError
from tagkit.cli import main
from tagkit.cli._errors import (
    CliError,
    FileProblem,
    InvalidData,
    OutputError,
    TagkitCommand,
    UsageProblem,
    command,
    from_library,
)

CLI_SOURCES = sorted((Path(__file__).resolve().parents[1] / "tagkit" / "cli").glob("*.py"))


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    ("error", "code"),
    [(InvalidData("x"), 1), (OutputError("x"), 2), (UsageProblem("x"), 2), (FileProblem("x"), 2)],
)
def test_every_error_is_a_click_exception_with_its_exit_code(error: CliError, code: int) -> None:
    assert isinstance(error, click.ClickException)
    assert error.exit_code == code


def test_show_prints_one_error_line_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    InvalidData("cart.cart_id is required", "cart.total_price must be a number").show()
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: cart.cart_id is required\nerror: cart.total_price must be a number\n"
    with pytest.raises(ValueError, match="at least one line"):
        UsageProblem()


def test_library_errors_become_invalid_data() -> None:
    problems = ValidationError([Problem("cart.cart_id", "is required"), Problem("", "whole")])
    error = from_library(problems)
    assert isinstance(error, InvalidData)
    assert error.lines == ("cart.cart_id is required", "whole")
    config = from_library(ConfigError("region must be like 'eu6', got 'EU6'"))
    assert isinstance(config, InvalidData)
    assert config.lines == ("region must be like 'eu6', got 'EU6'",)
    assert from_library(KeyError("x")) is None


def test_other_exceptions_are_not_swallowed() -> None:
    @command()
    def broken() -> None:
        raise RuntimeError("a bug")

    assert isinstance(broken, TagkitCommand)
    result = CliRunner().invoke(broken, [])
    assert isinstance(result.exception, RuntimeError)


def test_a_config_error_raised_anywhere_in_a_command_exits_1() -> None:
    @command()
    def bad() -> None:
        raise ConfigError("nonce must be a CSP nonce, got 'a b'")

    result = CliRunner().invoke(bad, [])
    assert result.exit_code == 1
    assert result.stderr == "error: nonce must be a CSP nonce, got 'a b'\n"


@pytest.mark.parametrize(
    ("args", "stdin", "line"),
    [
        (["event", "login", "--contact", "/no/such.json"], None, "error: --contact: cannot read"),
        (
            ["event", "purchase", "--data", "-", "--cart", "/no/cart.json"],
            "{}",
            "error: --cart: cannot read '/no/cart.json'",
        ),
        (["render", "cart", "--data", "-"], b"\xff\xfe{}", "error: --data: stdin is not UTF-8"),
        (["page", "--data", "-", "--no-inline"], "{}", "error: --nonce and --no-inline apply"),
        (["schema", "basket"], None, "error: unknown tag 'basket'"),
        (["event", "page-visit", "--data", "-"], "{}", "error: page-visit takes no --data\n"),
    ],
)
def test_usage_and_input_errors_print_one_line_and_exit_2(
    args: list[str], stdin: str | bytes | None, line: str
) -> None:
    result = run(*args, stdin=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(line)
    assert result.stderr.count("\n") == 1


def test_a_file_as_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    for args in (["demo", str(a_file)], ["static", str(a_file)]):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr == f"error: {a_file} is not a folder\n"


def test_demo_that_cannot_write_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.replace", refuse)
    result = run("demo", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stdout == ""
    # The first file the demo writes is the home page's data (index.json, formerly page.json).
    assert result.stderr == f"error: cannot write {str(tmp_path / 'out' / 'index.json')!r}: " + (
        "Permission denied\n"
    )


def test_click_usage_errors_keep_clicks_format_and_exit_2() -> None:
    result = run("render")
    assert result.exit_code == 2
    assert "Usage: main render [OPTIONS] TAG" in result.stderr
    assert "Missing argument 'TAG'" in result.stderr
    assert run("no-such-command").exit_code == 2


def test_no_module_of_the_cli_calls_sys_exit() -> None:
    for path in CLI_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "exit":
                assert not (isinstance(node.value, ast.Name) and node.value.id == "sys"), path


def test_python_m_tagkit_cli(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tagkit.cli", "render", "cart", "--data", "-"],
        input='{"cart_id": ""}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "error: " in done.stderr and "Traceback" not in done.stderr

"""The tagkit command's shape: one group, shared options declared once, helpful help texts."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tagkit._scripts import DEFAULT_WORKER_URL, WORKER_FILE_NAME
from tagkit.cli import _api, _render, _scripts, _site, _validate, main

CLI = Path(__file__).resolve().parents[1] / "tagkit" / "cli"
COMMANDS = [
    "render",
    "page",
    "event",
    "tags",
    "schema",
    "demo",
    "loader",
    "service-worker",
    "static",
    "csp",
    "inspect",
    "lint",
    "inject",
    "api",
]


def help_of(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _commands() -> dict[str, click.Command]:
    """Every command of the group (the group imports a command's module on first look-up)."""
    ctx = click.Context(main)
    found = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


def test_one_group_holds_every_command() -> None:
    assert isinstance(main, click.Group)
    assert sorted(_commands()) == sorted(COMMANDS)
    families = {
        c.name
        for c in (
            *_render.COMMANDS,
            *_scripts.COMMANDS,
            *_validate.COMMANDS,
            *_site.COMMANDS,
            *_api.COMMANDS,
        )
    }
    assert families == set(COMMANDS)


def test_each_command_is_looked_up_in_its_own_module() -> None:
    """The group's map of command names to modules agrees with the modules."""
    from tagkit.cli import _HOMES

    modules = {"_render": _render, "_scripts": _scripts, "_validate": _validate}
    modules.update({"_site": _site, "_api": _api})
    found = {c.name: home for home, module in modules.items() for c in module.COMMANDS}
    assert found == _HOMES


@pytest.mark.parametrize("flag", ["--data", "--nonce", "--no-inline", "--hidden-attr"])
def test_each_shared_option_is_declared_once(flag: str) -> None:
    """Only ``_options.py`` spells the shared flags as an option's name, once each."""
    found = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == flag
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert len(found) == 1 and found[0].startswith("_options.py"), found


@pytest.mark.parametrize("flag", ["--data", "--nonce", "--no-inline"])
def test_a_shared_option_is_the_same_parameter_everywhere(flag: str) -> None:
    params = [p for c in _commands().values() for p in c.params if flag in getattr(p, "opts", ())]
    assert len(params) >= 3
    assert len({(p.name, p.metavar, getattr(p, "is_flag", None)) for p in params}) == 1


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    text = help_of(name)
    assert f"Usage: main {name}" in text
    if name != "tags":  # nothing to pass
        assert "Example" in text
    assert "tagkit " in text or name == "tags"


def test_the_group_help_lists_examples_and_commands() -> None:
    text = help_of()
    assert 'echo \'{"search_text": "red shoe"}\' | tagkit render search --data -' in text
    for name in COMMANDS:
        assert f"  {name} " in text


def test_help_texts_match_the_library() -> None:
    """Help is written without importing the library; it must say what the library does."""
    worker = help_of("service-worker")
    assert DEFAULT_WORKER_URL in worker.replace("\n", "").replace(" ", "")
    assert WORKER_FILE_NAME in worker
    event = help_of("event")
    listed = event.split("TYPE is one of:", 1)[1].split(".", 1)[0]
    listed_types = sorted(t.strip() for t in listed.replace("\n", " ").split(","))
    assert listed_types == sorted(_render.event_types())


def test_csp_help_explains_each_source() -> None:
    text = help_of("csp")
    assert "Why each source:" in text
    assert "tagkit csp --hash site/" in text
    assert "Print the Content-Security-Policy sources" in help_of()


def test_version(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(main, ["--version"], prog_name="tagkit")
    assert result.exit_code == 0
    assert result.stdout.startswith("tagkit, version ")

    import importlib.metadata

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    unknown = CliRunner().invoke(main, ["--version"], prog_name="tagkit")
    assert unknown.stdout == "tagkit, version 0+unknown\n"


def test_path_arguments_complete_as_paths() -> None:
    static = _commands()["static"]
    ctx = click.Context(static)
    (dest,) = static.params
    assert [item.type for item in dest.shell_complete(ctx, "/tm")] == ["dir"]
    (out,) = [p for p in _commands()["service-worker"].params if p.name == "out"]
    assert [item.type for item in out.shell_complete(ctx, "pub")] == ["file"]

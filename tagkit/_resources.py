"""Locate the templates and static files tagkit ships.

This is the only module that computes asset paths. In a wheel the top-level ``templates/`` and
``static/`` folders are installed inside the package (``tagkit/templates``, ``tagkit/static``);
in a checkout or an editable install they are found next to the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(folder: str) -> Path:
    installed = _PACKAGE / folder
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / folder
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"tagkit's {folder!r} folder is missing: looked in {installed} and {checkout}; "
        "reinstall tagkit"
    )


def templates_dir() -> Path:
    """The folder holding tagkit's Jinja2 templates."""
    return _locate("templates")


def static_dir() -> Path:
    """The folder holding the JavaScript files tagkit ships."""
    return _locate("static")


def template_path(name: str) -> Path:
    """The path of one template, e.g. ``template_path("cart.html.j2")``."""
    return templates_dir() / name


def static_path(name: str) -> Path:
    """The path of one shipped static file, e.g. ``static_path("connectif-double.js")``."""
    return static_dir() / name

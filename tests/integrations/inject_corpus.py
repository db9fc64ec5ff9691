"""Odd static pages for ``tagkit inject``: encodings, byte-order marks, CRLF, upper-case tags,
missing ``<body>``, decoy ``<body>`` text, and their sidecar data."""

from __future__ import annotations

import json
from pathlib import Path

STORE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
CONFIG = f"""
store_id = "{STORE_ID}"
region = "eu6"
mode = "MODE"
service_worker = true

[[rules]]
match = "/products/**"
page = {{ page_categories = ["/Shoes"] }}

[[rules]]
match = ["/", "/index.html"]
page = {{ page_tags = ["home"] }}
"""


def product(name: str, sku: str = "SKU-1") -> dict[str, object]:
    return {
        "url": f"https://shop.example/p/{sku}",
        "product_id": sku,
        "name": name,
        "unit_price": "49.90",
    }


# name: (bytes of the page, its sidecar page document or None)
PAGES: dict[str, tuple[bytes, dict[str, object] | None]] = {
    "index.html": (
        b'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Home</title>'
        b'</head>\n<body class="home" data-x="a>b">\n<h1>Welcome</h1>\n</body>\n</html>\n',
        None,
    ),
    "products/crlf-upper.html": (
        b"<!DOCTYPE HTML>\r\n<HTML>\r\n<HEAD><TITLE>Shoe</TITLE></HEAD>\r\n<BODY>\r\n"
        b"<P>Red shoe</P>\r\n</BODY>\r\n</HTML>\r\n",
        {"product_visited": [product("Red shoe </script><b>&amp;</b>")]},
    ),
    "products/bom.html": (
        b"\xef\xbb\xbf<!doctype html><html><head><meta charset=utf-8><title>B</title></head>"
        b"<body><p>\xc3\xb1</p></body></html>",
        {"product_visited": [product("Se\u00f1or \U0001f45f \u2028 shoe", "SKU-2")]},
    ),
    "products/latin1.html": (
        b'<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; '
        b'charset=iso-8859-1"><title>Caf\xe9</title></head><body><p>Caf\xe9</p></body></html>',
        {"product_visited": [product("Caf\u00e9 cr\u00e8me \U0001f600", "SKU-3")]},
    ),
    "utf16.html": (
        "\ufeff<!doctype html><html><head><meta charset=utf-16><title>U</title></head>"
        "<body><p>\u00fc</p></body></html>".encode("utf-16-le"),
        {"search": "\u00fcber"},
    ),
    "no-body.html": (
        b"<!doctype html><html><head><title>No body</title></head><p>text</p></html>",
        {"search": "no body"},
    ),
    "html-only.html": (b"<html><p>just html</p></html>", None),
    "fragment.html": (
        b"<p>a fragment</p>\n",
        {"login": True, "contact": {"primary_key": "a@b.example"}},
    ),
    "decoys.html": (
        b"<!doctype html><html><head><!-- <body> in a comment -->"
        b'<script>var s = "<body>";</script><title>&lt;body&gt;</title>'
        b"<style>body > p {}</style></head><body id=real><p>x</p></body></html>",
        {"search": "decoys"},
    ),
}


def write_site(root: Path, mode: str = "tags") -> Path:
    """The corpus in ``root/site`` and its ``root/tagkit.toml``; returns the site folder."""
    site = root / "site"
    for name, (data, sidecar) in PAGES.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if sidecar is not None:
            side = path.with_name(path.stem + ".tagkit.json")
            side.write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    (root / "tagkit.toml").write_text(CONFIG.replace("MODE", mode), encoding="utf-8")
    return site

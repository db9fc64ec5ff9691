"""Content-Security-Policy sources, nonces and inline-script hashes."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from tagkit import render_loader
from tagkit._csp import (
    SOURCES,
    check_nonce,
    directives,
    format_policy,
    hashes_of,
    inline_scripts,
    is_executed,
    policy_sources,
    script_hash,
)
from tagkit.errors import ConfigError
from tagkit.events import render_events, search

STORE = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def between_tags(html: str) -> list[str]:
    """The exact text of each <script …>…</script>, found without an HTML parser."""
    return re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)


@pytest.mark.parametrize(
    "nonce", ["abc", "rAnd0m+N0nce/v4lue==", "url-safe_nonce", "A=", "Zm9vYmFy", "a" * 200]
)
def test_nonce_accepted(nonce: str) -> None:
    assert check_nonce(nonce) == nonce
    assert check_nonce(None) is None


@pytest.mark.parametrize(
    "nonce", ["", "a b", "abc===", "=abc", "a=b", "'abc'", 'a"b', "a<b", "ñ", "abc\n", 42]
)
def test_nonce_rejected(nonce: object) -> None:
    with pytest.raises(ConfigError) as info:
        check_nonce(nonce, field="--nonce")  # type: ignore[arg-type]
    assert str(info.value) == (
        "--nonce must be a CSP nonce: base64 or URL-safe base64 characters (letters, digits, "
        f"'+', '/', '-', '_', up to two trailing '='), like 'rAnd0mN0nce+Value==', got {nonce!r}"
    )


def test_policy_names_every_host_the_client_needs() -> None:
    grouped = directives(policy_sources())
    assert grouped == {
        "script-src": ["https://cdn.connectif.cloud", "'self'"],
        "connect-src": ["https://*.connectif.cloud"],
        "img-src": ["https://*.connectif.cloud"],
        "frame-src": ["https://*.connectif.cloud"],
        "worker-src": ["'self'"],
    }
    assert all(source.reason for source in SOURCES)


def test_policy_with_nonce_and_hashes() -> None:
    sources = policy_sources(nonce="n0nce", hashes=["'sha256-a'", "'sha256-b'", "'sha256-a'"])
    assert directives(sources)["script-src"] == [
        "https://cdn.connectif.cloud",
        "'self'",
        "'nonce-n0nce'",
        "'sha256-a'",
        "'sha256-b'",
    ]
    assert format_policy(sources).startswith(
        "script-src https://cdn.connectif.cloud 'self' 'nonce-n0nce' 'sha256-a' 'sha256-b'; "
        "connect-src https://*.connectif.cloud; "
    )
    with pytest.raises(ConfigError):
        policy_sources(nonce="bad nonce")


def test_script_hash_is_sha256_of_the_exact_text() -> None:
    for text in ("alert(1)", "\n  x();\n", "ünïcödé 😀", " "):
        assert script_hash(text) == sha256_source(text)
    # The browser's parser turns CR LF and CR into LF before hashing.
    assert script_hash("a\r\nb\rc") == sha256_source("a\nb\nc")


def test_hashes_of_tagkit_scripts_match_hashlib() -> None:
    page = "\n".join(
        [
            "<!doctype html><html><head>",
            render_loader(STORE, "eu6"),
            "</head><body>",
            render_events([search("</script> & 'quotes'")], page_visit=True),
            render_events([search("island")], inline=False),
            render_loader(STORE, "eu6", inline=False),
            "</body></html>",
        ]
    )
    found = inline_scripts(page)
    texts = [t for t in between_tags(page) if t]
    # The loader and the event script; not the JSON island, not the external loader.
    assert len(found) == 2 and len(texts) == 3
    assert [s.text for s in found] == [texts[0], texts[1]]
    assert [s.hash for s in found] == [sha256_source(texts[0]), sha256_source(texts[1])]
    assert [s.line for s in found] == [2, 21]
    assert hashes_of([page, page]) == [s.hash for s in found]


@pytest.mark.parametrize(
    ("script", "hashed"),
    [
        ("<script>a()</script>", True),
        ("<script type=''>a()</script>", True),
        ("<script type='text/javascript'>a()</script>", True),
        ("<script type='TEXT/JavaScript '>a()</script>", True),
        ("<script type='application/javascript'>a()</script>", True),
        ("<script type='module'>a()</script>", True),
        ("<script type='importmap'>{}</script>", True),
        ("<script type='application/json'>{}</script>", False),
        ("<script type='application/ld+json'>{}</script>", False),
        ("<script type='text/template'><p></p></script>", False),
        ("<script src='/a.js'></script>", False),
        ("<script src='/a.js'>ignored()</script>", False),
        ("<script></script>", False),
    ],
)
def test_which_scripts_are_hashed(script: str, hashed: bool) -> None:
    assert bool(inline_scripts(f"<p>x</p>{script}")) is hashed


def test_entities_are_not_decoded_in_script_text() -> None:
    (found,) = inline_scripts("<script>if (a &lt; b) x = '&amp;';</script>")
    assert found.text == "if (a &lt; b) x = '&amp;';"


def test_is_executed() -> None:
    assert is_executed(None) and is_executed("") and is_executed(" Module ")
    assert not is_executed("application/json")

"""Every input gets a verdict: accepted, or a ValidationError naming what is wrong. What is
accepted arrives as given, in both modes, and output grows with input, not beyond it."""

from __future__ import annotations

import contextlib
import json
import os
from decimal import Decimal
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tagkit import Page, ValidationError, parse_page, render_page, render_page_events
from tagkit import vocabulary as vocab
from tagkit.cli import main
from tagkit.jsonsafe import compact

from .strategies import TEXT, page_document

# TAGKIT_EXAMPLES raises the count for a longer hunt than CI's.
EXAMPLES = int(os.environ.get("TAGKIT_EXAMPLES", "250"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def _page(doc: dict[str, Any]) -> Page | None:
    try:
        return Page.from_dict(doc)
    except ValidationError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        for problem in exc.problems:  # messages are printable whatever the input
            str(problem).encode("utf-8")
        return None


def _island(doc: Page) -> dict[str, Any]:
    html = str(render_page_events(doc, inline=False, render_id="p"))
    text = html.split(">", 1)[1].split("</script>", 1)[0]
    payload: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return payload


@SETTINGS
@given(page_document())
def test_every_document_is_accepted_or_refused_with_problems(doc: dict[str, Any]) -> None:
    page = _page(doc)
    if page is None:
        return
    if any(page.get(t) for t in vocab.JS_ONLY):
        return  # custom events are sent from JavaScript only: events mode below
    html = render_page(page)
    assert parse_page(html).page == page, "render -> parse gives the page back"


@SETTINGS
@given(page_document())
def test_tags_and_events_modes_send_the_same_values(doc: dict[str, Any]) -> None:
    page = _page(doc)
    if page is None:
        return
    try:
        payload = _island(page)
    except ValidationError as exc:  # a sendEvents call needs more (login without a contact)
        assert exc.problems
        return
    js = json.loads(compact(page.to_js()), parse_float=Decimal)
    sent = payload["events"]
    assert sent == js["events"]
    for tag in (vocab.CONTACT_TAG, vocab.CART_TAG):
        key = tag.body_path or ""
        assert payload["options"].get(key) == js.get(key)


@SETTINGS
@given(page_document(js_only=False))
def test_output_grows_linearly_with_input(doc: dict[str, Any]) -> None:
    page = _page(doc)
    if page is None:
        return
    size_in = len(_json_bytes(doc))
    assert len(render_page(page)) <= 40 * size_in + 4096
    with contextlib.suppress(ValidationError):  # a call that needs more: covered above
        assert len(render_page_events(page)) <= 40 * size_in + 4096


def _json_bytes(value: Any) -> bytes:
    """JSON text as a file might hold it; whole numbers past json's digit limit are written
    out by hand, and lone surrogates go through as the bytes a broken export would carry."""

    def walk(node: Any) -> Any:
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int) and node.bit_length() > 10_000:
            return _Huge(node)
        if isinstance(node, dict):
            return {str(k): walk(v) for k, v in node.items()}
        if isinstance(node, (list, tuple)):
            return [walk(v) for v in node]
        return node

    text = json.dumps(walk(value), default=_plain, ensure_ascii=False)
    return text.replace('"<huge>"', "9" * 5000).encode("utf-8", "surrogatepass")


class _Huge:
    def __init__(self, number: int) -> None:
        self.number = number


def _plain(node: Any) -> Any:
    if isinstance(node, _Huge):
        return "<huge>"
    return str(node)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        page_document().map(_json_bytes),
        st.binary(max_size=64),
        st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
        st.builds(lambda t: ('{"search": ' + json.dumps(t) + "}").encode(), TEXT),
    ),
    st.sampled_from([["page"], ["page", "--mode", "events"], ["render", "search"]]),
)
def test_the_cli_exits_0_1_or_2_and_never_shows_a_traceback(data: bytes, args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--data", "-"], input=data)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stderr
    if result.exit_code:
        assert result.stdout == "" and result.stderr.startswith("error: ")

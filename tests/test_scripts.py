"""The loader (docs/connectif.md#loader) and the service-worker file
(docs/connectif.md#worker-file)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tagkit._scripts import (
    DEFAULT_WORKER_URL,
    check_store_id,
    client_script_url,
    render_loader,
    render_service_worker,
    setup_instructions,
)
from tagkit.errors import ConfigError

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

STORE = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
CDN_URL = f"https://cdn.connectif.cloud/eu6/client-script/{STORE}"
GENERIC_ID = f"__cn_generic_script__{STORE}"
CLIENT_ID = f"__cn_client_script_{STORE}"


def only_script(html: str) -> Any:
    scripts = BeautifulSoup(html, "html.parser").find_all("script")
    assert len(scripts) == 1
    return scripts[0]


# -- loader -----------------------------------------------------------------------------------


def test_golden_loaders(golden: Callable[[str, str], None]) -> None:
    golden("scripts/loader.html", render_loader(STORE, "eu6") + "\n")
    golden("scripts/loader-nonce.html", render_loader(STORE, "eu6", nonce="rAnd0m+N0nce==") + "\n")
    golden(
        "scripts/loader-external.html",
        render_loader(STORE, "eu6", nonce="rAnd0m+N0nce==", inline=False) + "\n",
    )
    golden(
        "scripts/loader-url.html",
        render_loader(STORE, url="http://127.0.0.1:8123/eu6/client-script/x?a=1&b=2") + "\n",
    )


def test_inline_loader_element() -> None:
    script = only_script(render_loader(STORE.upper(), "eu6", nonce="n0nce"))
    # Exactly: async (boolean), the generic id, the nonce; no type, defer or crossorigin.
    assert script.attrs == {"async": "", "id": GENERIC_ID, "nonce": "n0nce"}
    code = script.string
    assert f'var src = "{CDN_URL}";' in code
    assert f'var id = "{CLIENT_ID}";' in code
    assert "?" not in CDN_URL
    assert only_script(render_loader(STORE, "eu6")).attrs == {"async": "", "id": GENERIC_ID}


def test_external_loader_has_no_inline_code() -> None:
    script = only_script(render_loader(STORE, "eu6", inline=False, nonce="n0nce"))
    assert script.attrs == {"async": "", "src": CDN_URL, "id": CLIENT_ID, "nonce": "n0nce"}
    assert script.string is None


def test_url_override_and_its_escaping() -> None:
    url = "https://proxy.example/cn/client.js?x=</script><script>alert(1)</script>&y='"
    html = render_loader(STORE, url=url)
    code = only_script(html).string
    src = re.search(r"var src = (\".*\");", code).group(1)  # type: ignore[union-attr]
    assert json.loads(src) == url
    assert "</script" not in code and "'" not in src
    external = only_script(render_loader(STORE, "eu6", url=url, inline=False))
    assert external["src"] == url  # attribute-escaped by autoescape, read back unchanged


def test_store_id_is_normalised() -> None:
    assert check_store_id(f"  {STORE.upper()} ") == STORE
    assert client_script_url(STORE.upper(), "cl1") == (
        f"https://cdn.connectif.cloud/cl1/client-script/{STORE}"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"store_id": "not-a-uuid", "region": "eu6"},
            "store_id must be the store's id, a UUID of 8-4-4-4-12 hexadecimal digits like "
            "'0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' (from the snippet Connectif gives you), "
            "got 'not-a-uuid'",
        ),
        ({"store_id": STORE.replace("-", ""), "region": "eu6"}, "got '0f1e2d3c4b5a"),
        ({"store_id": "{" + STORE + "}", "region": "eu6"}, "store_id must be the store's id"),
        ({"store_id": STORE[:-1] + "g", "region": "eu6"}, "store_id must be"),
        ({"store_id": 42, "region": "eu6"}, "got 42"),
        (
            {"store_id": STORE, "region": "EU6"},
            "region must be the store's region: lower-case letters then digits, like 'eu6' "
            "(the path segment after cdn.connectif.cloud/ in Connectif's snippet), got 'EU6'",
        ),
        ({"store_id": STORE, "region": "eu"}, "got 'eu'"),
        ({"store_id": STORE, "region": "6eu"}, "got '6eu'"),
        ({"store_id": STORE, "region": "eu-6"}, "got 'eu-6'"),
        ({"store_id": STORE, "region": "eu6/../x"}, "got 'eu6/../x'"),
        ({"store_id": STORE, "region": "eu6\n"}, "got 'eu6\\n'"),
        (
            {"store_id": STORE, "url": "ftp://cdn.example/x"},
            "url must be an absolute http(s) URL like "
            "'https://cdn.connectif.cloud/eu6/client-script/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' "
            "(no spaces), got 'ftp://cdn.example/x'",
        ),
        ({"store_id": STORE, "url": "/client.js"}, "got '/client.js'"),
        ({"store_id": STORE, "url": "https://a b.example/x"}, "got 'https://a b.example/x'"),
        ({"store_id": STORE, "url": "javascript:alert(1)"}, "got 'javascript:alert(1)'"),
        (
            {"store_id": STORE},
            "region is required unless url is given: pass the store's region like 'eu6', or "
            "the full client-script URL",
        ),
        (
            {"store_id": STORE, "region": "eu6", "nonce": "a b"},
            "nonce must be a CSP nonce: base64 or URL-safe base64 characters (letters, digits, "
            "'+', '/', '-', '_', up to two trailing '='), like 'rAnd0mN0nce+Value==', got 'a b'",
        ),
        ({"store_id": STORE, "region": "eu6", "nonce": 'x"onload="y'}, "got 'x\"onload=\"y'"),
        ({"store_id": STORE, "region": "eu6", "nonce": "abc==="}, "got 'abc==='"),
    ],
)
def test_loader_rejections(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        render_loader(**kwargs)
    assert message in str(info.value)


LOADER_HARNESS = r"""
"use strict";
const vm = require("vm");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const elements = {};
const appended = [];
const listeners = {};
function element(tag) {
  const attrs = {};
  return {
    tagName: tag, attrs,
    setAttribute(name, value) { attrs[name] = String(value); if (name === "nonce") this.nonce = String(value); },
    getAttribute(name) { return name in attrs ? attrs[name] : null; },
    set id(value) { attrs.id = value; },
    get id() { return attrs.id; },
  };
}
const document = {
  readyState: input.readyState,
  currentScript: null,
  body: { appendChild(el) { appended.push({ src: el.src, id: el.id, nonce: el.getAttribute("nonce") }); elements[el.id] = el; } },
  createElement: element,
  getElementById(id) { return elements[id] || null; },
  addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
};
const sandbox = { document, window: null };
sandbox.window = sandbox;
vm.createContext(sandbox);
for (const step of input.steps) {
  if (step === "run") {
    const me = element("script");
    // Browsers hide a nonce attribute's value from getAttribute once CSP applies.
    me.attrs.nonce = "";
    me.nonce = input.nonce || "";
    document.currentScript = me;
    vm.runInContext(input.script, sandbox);
    document.currentScript = null;
  } else if (step === "ready") {
    document.readyState = "interactive";
    (listeners.DOMContentLoaded || []).forEach((fn) => fn());
  } else if (step === "existing") {
    elements[input.clientId] = element("script");
  }
}
process.stdout.write(JSON.stringify({ appended, waiting: (listeners.DOMContentLoaded || []).length }));
"""


def run_loader(steps: list[str], *, ready_state: str, nonce: str | None = None) -> Any:
    assert NODE is not None
    script = only_script(render_loader(STORE, "eu6", nonce=nonce)).string
    proc = subprocess.run(
        [NODE, "-e", LOADER_HARNESS],
        input=json.dumps(
            {
                "script": script,
                "steps": steps,
                "readyState": ready_state,
                "nonce": nonce,
                "clientId": CLIENT_ID,
            }
        ),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@needs_node
def test_loader_waits_for_the_dom_then_appends_once_with_the_nonce() -> None:
    result = run_loader(["run", "run", "ready"], ready_state="loading", nonce="n0nce")
    assert result["appended"] == [{"src": CDN_URL, "id": CLIENT_ID, "nonce": "n0nce"}]


@needs_node
@pytest.mark.parametrize("ready_state", ["interactive", "complete"])
def test_loader_runs_at_once_when_the_dom_is_ready(ready_state: str) -> None:
    result = run_loader(["run"], ready_state=ready_state)
    assert result == {"appended": [{"src": CDN_URL, "id": CLIENT_ID, "nonce": None}], "waiting": 0}
    twice = run_loader(["run", "run"], ready_state=ready_state)
    assert len(twice["appended"]) == 1


@needs_node
def test_loader_does_nothing_when_the_client_script_exists() -> None:
    assert run_loader(["existing", "run"], ready_state="complete")["appended"] == []


# -- service worker ---------------------------------------------------------------------------


def test_golden_service_worker(golden: Callable[[str, str], None]) -> None:
    golden("scripts/service-worker.js", render_service_worker())
    golden(
        "scripts/service-worker-local.js",
        render_service_worker("http://localhost:8000/sw/connectif.js?v=1&x=2", comment=False),
    )


def test_service_worker_is_one_import_scripts_line() -> None:
    text = render_service_worker()
    lines = text.splitlines()
    assert len(lines) == 2 and lines[0].startswith("// ") and text.endswith(";\n")
    assert lines[1] == f"importScripts({json.dumps(DEFAULT_WORKER_URL)});"
    bare = render_service_worker(comment=False)
    assert bare == f'importScripts("{DEFAULT_WORKER_URL}");\n'
    odd = render_service_worker("https://x.example/w.js?a='</script>&b=\"")
    literal = re.fullmatch(r'importScripts\((".*")\);\n', odd.splitlines(True)[1])
    assert literal and json.loads(literal.group(1)) == "https://x.example/w.js?a='</script>&b=\""
    assert "<" not in literal.group(1) and "'" not in literal.group(1)
    assert "registerServiceWorker" not in text and "register(" not in text


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/sw.js",
        "http://localhost:8000/sw.js",
        "http://127.0.0.1:8080/sw.js",
        "https://cdn.connectif.cloud/scripts/service-worker.js",
    ],
)
def test_worker_url_accepted(url: str) -> None:
    assert json.dumps(url) in render_service_worker(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://cdn.connectif.cloud/scripts/service-worker.js",
        "http://localhost.evil.example/sw.js",
        "http://127.0.0.2/sw.js",
        "/scripts/service-worker.js",
        "cdn.connectif.cloud/scripts/service-worker.js",
        "https://cdn.connectif.cloud/a b.js",
        "data:text/javascript,alert(1)",
        "",
    ],
)
def test_worker_url_rejected(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        render_service_worker(url)
    assert str(info.value) == (
        "worker_url must be an absolute https URL like "
        "'https://cdn.connectif.cloud/scripts/service-worker.js' (http only for localhost or "
        f"127.0.0.1; no spaces), got {url!r}"
    )


def test_setup_instructions_name_what_connectif_needs() -> None:
    text = setup_instructions("https://shop.example/service-worker.js")
    for needed in (
        "https://shop.example/service-worker.js",
        "Web Push settings",
        "same origin",
        "text/javascript",
        "Cache-Control: no-cache",
    ):
        assert needed in text


@needs_node
def test_service_worker_is_valid_javascript(tmp_path: Path) -> None:
    path = tmp_path / "service-worker.js"
    path.write_text(render_service_worker())
    proc = subprocess.run(
        [str(NODE), "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr

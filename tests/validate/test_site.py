"""A site audit over a loopback server: URLs, sitemaps (gzip, indexes), caching headers, the
service worker and product pages (docs/lint-rules.md#tk402, #tk501, #tk502)."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner, Result

from tagkit.cli import main

LOADER = (
    '<script async src="https://cdn.connectif.cloud/eu1/client-script/'
    '0f8fad5b-d9cb-469f-a165-70867728950e"></script>'
)
CONTACT = (
    '<div class="cn_client_info" hidden><span class="primary_key">ana@shop.example</span></div>'
)
PRODUCT = (
    '<div class="cn_product_visited" hidden><span class="url">https://shop.example/p/1</span>'
    '<span class="product_id">P1</span><span class="name">Shoe</span>'
    '<span class="unit_price">9.90</span></div>'
)
HTML = "text/html; charset=utf-8"


class Site:
    """Responses by path: (status, content type, extra headers, body); every request is logged."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, dict[str, str], bytes]] = {}
        self.requests: list[tuple[str, str]] = []
        self.base = ""

    def page(self, path: str, body: str, **headers: str) -> None:
        self.routes[path] = (200, HTML, headers, body.encode("utf-8"))


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("User-Agent", "")))
            status, kind, headers, body = state.routes.get(
                self.path, (404, "text/plain", {}, b"not found")
            )
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def lint(*args: str) -> Result:
    return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


def codes(result: Result) -> list[tuple[str, str]]:
    return sorted((f["path"], f["code"]) for f in json.loads(result.stdout))


def sitemap(*urls: str, index: bool = False) -> bytes:
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "".join(f"<{item}><loc>{u.replace('&', '&amp;')}</loc></{item}>" for u in urls)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{tag} '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{tag}>'
    ).encode()


def test_a_sitemap_index_with_a_gzip_sitemap_is_read_and_headers_are_checked(site: Site) -> None:
    site.page("/", LOADER + CONTACT, Cache_Control="public, max-age=600")
    site.page("/account?tab=1&x=2", LOADER + CONTACT, Cache_Control="private, max-age=60")
    site.page("/p/1", LOADER + PRODUCT, Cache_Control="s-maxage=300")
    child = gzip.compress(sitemap(f"{site.base}/", f"{site.base}/account?tab=1&x=2", "/p/1"))
    site.routes["/sitemap-pages.xml.gz"] = (200, "application/gzip", {}, child)
    site.routes["/sitemap.xml"] = (
        200,
        "application/xml",
        {},
        sitemap("/sitemap-pages.xml.gz", index=True),
    )
    result = lint("--sitemap", f"{site.base}/sitemap.xml", "--format", "json")
    assert result.exit_code == 1, result.output
    assert codes(result) == [(f"{site.base}/", "TK402")]
    pages = [path for path, _ in site.requests if not path.startswith("/sitemap")]
    assert sorted(pages) == ["/", "/account?tab=1&x=2", "/p/1"]
    assert all(agent.startswith("tagkit/") for _, agent in site.requests)


def test_product_pages_must_carry_the_product_tag(site: Site) -> None:
    site.page("/p/1", LOADER + PRODUCT)
    site.page("/p/2", LOADER + "<h1>Shoe without tag</h1>")
    site.page("/about", LOADER)
    urls = [f"{site.base}{p}" for p in ("/p/1", "/p/2", "/about")]
    result = lint(*urls, "--product-url", r"/p/\d+$", "--format", "json", "--fail-on", "warning")
    assert result.exit_code == 1
    assert codes(result) == [(f"{site.base}/p/2", "TK501")]


@pytest.mark.parametrize(
    ("route", "problem"),
    [
        ((200, "text/javascript", b"importScripts('x');"), None),
        ((200, "text/html", b"<p>x</p>"), "served as 'text/html'"),
        ((404, "text/plain", b"no"), "answered HTTP 404, not 200"),
    ],
)
def test_the_service_worker_must_answer_200_as_javascript(
    site: Site, route: tuple[int, str, bytes], problem: str | None
) -> None:
    status, kind, body = route
    site.routes["/service-worker.js"] = (status, kind, {}, body)
    site.page("/", LOADER)
    result = lint(
        f"{site.base}/", "--worker-url", f"{site.base}/service-worker.js", "--format", "json"
    )
    findings = json.loads(result.stdout)
    if problem is None:
        assert findings == [] and result.exit_code == 0
    else:
        (finding,) = findings
        assert finding["code"] == "TK502" and problem in finding["message"]
        assert result.exit_code == 1


def test_a_service_worker_on_another_origin_is_an_error(site: Site) -> None:
    site.page("/", LOADER)
    other = site.base.replace("127.0.0.1", "localhost") + "/service-worker.js"
    site.routes["/service-worker.js"] = (200, "text/javascript", {}, b"")
    result = lint(f"{site.base}/", "--worker-url", other, "--format", "json")
    messages = [f["message"] for f in json.loads(result.stdout)]
    assert any("is not on this page's origin" in m for m in messages)


def test_unreachable_pages_and_sitemaps_exit_2_with_one_line(site: Site) -> None:
    for args, message in [
        ([f"{site.base}/missing"], f"error: {site.base}/missing answered HTTP 404, not 200"),
        (["--sitemap", f"{site.base}/sitemap.xml"], f"error: sitemap {site.base}/sitemap.xml "),
    ]:
        result = lint(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith(message)
        assert len(result.stderr.splitlines()) == 1


def test_a_sitemap_that_is_not_one_and_a_bounded_total(site: Site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site.routes["/sitemap.xml"] = (200, "text/html", {}, b"<html>oops</html>")
    result = lint("--sitemap", f"{site.base}/sitemap.xml")
    assert result.exit_code == 2 and "is not a sitemap" in result.stderr
    for i in range(5):
        site.page(f"/{i}", LOADER)
    local = tmp_path / "sitemap.xml"
    local.write_bytes(sitemap(*(f"{site.base}/{i}" for i in range(5))))
    site.requests.clear()
    result = lint("--sitemap", str(local), "--max-pages", "3")
    assert result.exit_code == 0
    assert len(site.requests) == 3


def test_inspect_reads_a_url(site: Site) -> None:
    site.page("/p/1", LOADER + PRODUCT)
    result = CliRunner().invoke(main, ["inspect", f"{site.base}/p/1", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["events"][0]["product"]["productId"] == "P1"

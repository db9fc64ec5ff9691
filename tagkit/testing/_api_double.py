"""A local double of Connectif's REST API: a real HTTP server on 127.0.0.1 for tests, in the
spirit of stripe-mock (docs/api-sync.md#double).

It implements the routes tagkit calls with Connectif's documented behaviour: ``apiKey`` auth
(401 unknown key, 403 a key without permission), 415 for a body that is not JSON, 400 E0101 /
E0102 for a purchase whose contact or products do not exist, 422 with ``validationErrors`` for
fields the API does not know or values of the wrong JSON type, pagination by ``links.next``, a
per-window rate limit in any of three header styles, and injected faults: 5xx before or after
the request was processed, a connection dropped before or after it was processed, slow answers.
Imports (POST /imports/, multipart) are queued, run one at a time as the scaled clock passes
(``import_duration``), and applied to the stored contacts, products and coupon codes.

It keeps what it stored (``contacts``, ``products``, ``purchases``: every purchase it created,
duplicates included) and every request (``requests``; never the API key) for assertions.
Standard library only: ``tagkit.testing`` does not need httpx.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import re
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from .. import vocabulary as vocab
from ..api import _routes as routes
from ..vocabulary import Kind, Prop
from ._api_double_imports import (
    BOOLEANS,
    IMPORT_KINDS,
    MULTIPART,
    FormError,
    ImportJob,
    RowError,
    cell_value,
    parse_multipart,
    read_csv,
)

__all__ = ["ConnectifAPIDouble", "Fault", "RecordedRequest"]

HeaderStyle = Literal["retry-after", "x-ratelimit", "ratelimit", "none"]
FaultKind = Literal["error", "error-after", "drop", "drop-after", "slow"]
FAULT_KINDS: tuple[str, ...] = ("error", "error-after", "drop", "drop-after", "slow")
DEFAULT_KEY = "double-key-id:double-key-secret"

_HEX = "0123456789abcdef"
_EMAIL_PATH = re.compile(r"^/contacts/(?:email/)?([^/]+)$")
# Where the double serves an import's error report: like Connectif's, a URL without the key.
ERROR_REPORTS = "/import-reports/"


@dataclass
class Fault:
    """One injected fault, for requests whose method and path match.

    ``error``: answer ``status`` without doing anything; ``error-after``: do the work, then
    answer ``status``; ``drop``: close the connection without doing anything; ``drop-after``:
    do the work, then close without answering; ``slow``: do the work, answer after ``delay``
    seconds. ``times`` is how many requests it hits.
    """

    kind: FaultKind
    method: str | None = None
    path: str = ""
    status: int = 503
    delay: float = 1.0
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and path.startswith(self.path)


@dataclass
class RecordedRequest:
    """One request the double received. ``authorized`` says whether it carried a known key;
    the key itself is never kept."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0
    fault: str | None = None
    authorized: bool = False


def _rows_by_api_key(rows: Iterable[Prop]) -> dict[str, Prop]:
    return {p.api_key: p for p in rows if p.api_key is not None}


# What each route accepts, from the vocabulary's API rows.
_CONTACT_FIELDS = _rows_by_api_key(p for p in vocab.CONTACT_API if p is not vocab.PRIMARY_KEY)
_PRODUCT_FIELDS = _rows_by_api_key(vocab.PRODUCT_API)
_PURCHASE_FIELDS = _rows_by_api_key(vocab.PURCHASE_API)
_LINE_FIELDS = _rows_by_api_key(vocab.PURCHASE_LINE_API)
_PRODUCT_ID = vocab.PRODUCT[1].api_key or ""
_PURCHASE_ID = vocab.PURCHASE_ID.api_key or ""
_LINES_KEY = vocab.LINES.api_key or ""
_CONTACT_EMAIL = vocab.PURCHASE_CONTACT_API_KEY
_REQUIRED_PURCHASE = (
    _PURCHASE_ID,
    _CONTACT_EMAIL,
    vocab.TOTAL_PRICE.api_key or "",
    vocab.TOTAL_QUANTITY.api_key or "",
)
_REQUIRED_LINE = tuple(p.api_key or "" for p in vocab.BASKET_ITEM[:3] if p.api_key)
_REQUIRED_PRODUCT = tuple(p.api_key or "" for p in vocab.PRODUCT if p.required and p.api_key)


def _type_problem(prop: Prop, value: object) -> str | None:
    """Why ``value`` is not the JSON type the API takes for ``prop``, or None."""

    def scalar(item: object) -> str | None:
        if prop.choices == vocab.BOOLEAN_CHOICES:
            return None if isinstance(item, bool) else "must be a boolean"
        if prop.kind in (Kind.DECIMAL, Kind.INTEGER):
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                return "must be a number"
            if prop.kind is Kind.INTEGER and not float(item).is_integer():
                return "must be an integer"
            return None
        if not isinstance(item, str):
            return "must be a string"
        if prop.choices:
            mapped: Mapping[str, object] = vocab.API_VALUES.get(prop.name) or {}
            allowed = [str(mapped.get(c, c)) for c in prop.choices]
            if item not in allowed:
                return f"must be one of {', '.join(allowed)}"
        return None

    if prop.multiple and prop.kind is not Kind.OBJECT:
        if not isinstance(value, list):
            return "must be an array"
        return next((p for p in map(scalar, value) if p), None)
    return scalar(value)


def _check_fields(
    body: Mapping[str, Any],
    fields: Mapping[str, Prop],
    where: str,
    errors: list[dict[str, str]],
    *,
    open_fields: bool = False,
    skip: Iterable[str] = (),
) -> None:
    skipped = set(skip)
    for key, value in body.items():
        if key in skipped:
            continue
        prop = fields.get(key)
        if prop is None:
            if open_fields and not key.startswith("_"):
                continue  # a custom contact field
            errors.append({"path": f"{where}{key}", "reason": "is not a field of this resource"})
            continue
        problem = _type_problem(prop, value)
        if problem:
            errors.append({"path": f"{where}{key}", "reason": problem})


def _new_id(rng: random.Random) -> str:
    return "".join(rng.choice(_HEX) for _ in range(24))


def _now() -> str:
    moment = time.time()
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment)) + f".{int(moment % 1 * 1000):03d}Z"
    )


class _Answer(Exception):
    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def _error(status: int, title: str, detail: str = "", **extra: Any) -> _Answer:
    body: dict[str, Any] = {"status": status, "title": title}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return _Answer(status, body)


class ConnectifAPIDouble:
    """A local Connectif REST API on 127.0.0.1; use it as a context manager.

    ``api_keys`` are accepted, ``forbidden_keys`` get 403. ``rate_limit`` requests per
    ``rate_window`` seconds (a short window is the scaled clock of fast tests) are answered,
    the rest get 429 with ``rate_headers``. ``page_size`` cuts lists into pages.
    ``duplicate_purchases`` is what a second POST of the same purchase id does: ``"store"``
    keeps a second purchase (the worst case, which tests must never cause) or ``"reject"``
    answers 400. ``fault_rate`` hits that share of requests (of ``fault_methods``) with a
    random fault of ``fault_kinds``, from ``seed``; :meth:`inject` queues exact faults.
    Imports run one at a time, each ``import_duration`` seconds once started (0: it starts at
    one request and ends at the next); at most ``max_queued_imports`` wait (400 E0401
    beyond), and a file over ``import_max_bytes`` gets 413.

    Example::

        with ConnectifAPIDouble() as double:
            ConnectifAPI(base_url=double.url, api_key=double.api_key).upsert_contact(...)
            assert double.contacts["ana@shop.example"]
    """

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (DEFAULT_KEY,),
        forbidden_keys: Iterable[str] = (),
        rate_limit: int | None = None,
        rate_window: float = 60.0,
        rate_headers: HeaderStyle = "retry-after",
        page_size: int = 50,
        duplicate_purchases: Literal["store", "reject"] = "store",
        fault_rate: float = 0.0,
        fault_kinds: Iterable[str] = FAULT_KINDS,
        fault_methods: Iterable[str] = ("GET", "PATCH", "POST", "DELETE"),
        slow_delay: float = 1.0,
        seed: int = 0,
        port: int = 0,
        import_duration: float = 0.0,
        max_queued_imports: int = 10,
        import_max_bytes: int = routes.MAX_IMPORT_BYTES,
    ) -> None:
        self.api_keys = tuple(api_keys)
        self.forbidden_keys = tuple(forbidden_keys)
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.rate_headers = rate_headers
        self.page_size = page_size
        self.duplicate_purchases = duplicate_purchases
        self.fault_rate = fault_rate
        self.fault_kinds = tuple(fault_kinds)
        unknown = set(self.fault_kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {FAULT_KINDS}")
        self.fault_methods = frozenset(fault_methods)
        self.slow_delay = slow_delay
        self.port = port
        self.contacts: dict[str, dict[str, Any]] = {}
        self.products: dict[str, dict[str, Any]] = {}
        self.purchases: list[dict[str, Any]] = []
        self.coupon_sets: list[dict[str, Any]] = []
        # The codes imported into each coupon set, by set id; every one, repeats included.
        self.coupon_codes: dict[str, list[str]] = {}
        self.import_duration = import_duration
        self.max_queued_imports = max_queued_imports
        self.import_max_bytes = import_max_bytes
        self.jobs: list[ImportJob] = []
        self.requests: list[RecordedRequest] = []
        self.rate_limited = 0
        # Seconds the server spent handling requests, from the request line to the answer.
        self.busy_seconds = 0.0
        self._faults: list[Fault] = []
        self._rng = random.Random(seed)  # noqa: S311 - test faults, not security
        self._lock = threading.RLock()
        self._window_start = 0.0
        self._window_count = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def api_key(self) -> str:
        """The first accepted key."""
        return self.api_keys[0]

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the double is not running; use it in a with block or start()")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ConnectifAPIDouble:
        handler = type("_BoundHandler", (_Handler,), {"double": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> ConnectifAPIDouble:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls ----------------------------------------------------------------------
    def inject(self, *faults: Fault) -> None:
        """Queue faults; each hits the next ``times`` matching requests."""
        with self._lock:
            self._faults.extend(faults)

    def add_coupon_sets(self, count: int) -> list[dict[str, Any]]:
        """Create ``count`` coupon sets (as the Connectif app would) and return them."""
        with self._lock:
            made = []
            for _ in range(count):
                number = len(self.coupon_sets) + 1
                made.append(
                    {
                        "id": _new_id(self._rng),
                        "name": f"Set {number}",  # not a Connectif name: a coupon set field
                        "type": "multiple",  # not a Connectif name: a coupon set type
                        "createdAt": _now(),
                    }
                )
            self.coupon_sets.extend(made)
            return made

    @property
    def imports(self) -> list[dict[str, Any]]:
        """Every import created, as GET /imports/{id} shows it."""
        with self._lock:
            self._advance()
            return [job.resource for job in self.jobs]

    def end_import(self, import_id: str, status: str) -> None:
        """End an import now with ``status`` (``error`` or ``cancelled``), applying nothing."""
        with self._lock:
            job = self._job(import_id)
            job.resource[routes.IMPORT_STATUS] = status
            job.resource[f"{status}At"] = _now()

    def created(self, purchase_id: str) -> int:
        """How many purchases with this store id were created (more than 1: a duplicate)."""
        with self._lock:
            return sum(1 for p in self.purchases if p.get(_PURCHASE_ID) == purchase_id)

    def sent(self, method: str | None = None, path: str = "") -> list[RecordedRequest]:
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method) and r.path.startswith(path)
            ]

    # -- request handling (called from the server's threads) ----------------------------------
    def _pick_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times > 0 and fault.matches(method, path):
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    return fault
            if (
                self.fault_rate
                and method in self.fault_methods
                and self._rng.random() < self.fault_rate
            ):
                kind = self._rng.choice(self.fault_kinds)
                status = self._rng.choice((500, 502, 503))
                return Fault(kind, status=status, delay=self.slow_delay)  # type: ignore[arg-type]
        return None

    def _rate_check(self) -> _Answer | None:
        if self.rate_limit is None:
            return None
        with self._lock:
            now = time.monotonic()
            if now - self._window_start >= self.rate_window:
                self._window_start, self._window_count = now, 0
            self._window_count += 1
            remaining = self.rate_limit - self._window_count
            if remaining >= 0:
                return None
            self.rate_limited += 1
            wait = max(0.0, self._window_start + self.rate_window - now)
        # Whole seconds when the clock is Connectif's; fractions for a scaled clock.
        shown = str(math.ceil(wait)) if self.rate_window >= 10 else f"{wait:.3f}"
        headers: dict[str, str] = {}
        if self.rate_headers == "retry-after":
            headers["Retry-After"] = shown
        elif self.rate_headers == "x-ratelimit":
            headers["X-RateLimit-Limit"] = str(self.rate_limit)
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Reset"] = f"{time.time() + wait:.3f}"
        elif self.rate_headers == "ratelimit":
            headers["RateLimit-Limit"] = str(self.rate_limit)
            headers["RateLimit-Remaining"] = "0"
            headers["RateLimit-Reset"] = shown
        answer = _error(429, "Too Many Requests", "Requests rate limit reached")
        answer.headers.update(headers)
        return answer

    def _authorize(self, header: str | None) -> None:
        scheme, _, key = (header or "").partition(" ")
        if scheme != "apiKey" or not key:
            raise _error(401, "Unauthorized", "Not authorized to access API")
        if key in self.forbidden_keys:
            raise _error(
                403,
                "Forbidden",
                "Permission not granted to the API Key or account has been blocked",
            )
        if key not in self.api_keys:
            raise _error(401, "Unauthorized", "Not authorized to access API")

    def _route(self, method: str, path: str, query: Mapping[str, list[str]], body: Any) -> _Answer:
        with self._lock:
            self._advance()
            if path == routes.IMPORTS and method == "POST":
                return self._create_import(body)
            if path == routes.IMPORTS and method == "GET":
                return self._page([j.resource for j in self.jobs], routes.IMPORTS, query)
            if path.startswith(routes.IMPORTS) and method == "GET":
                return _Answer(200, self._job(unquote(path[len(routes.IMPORTS) :])).resource)
            if path.startswith(routes.PRODUCTS_BY_STORE_ID):
                return self._product(
                    method, unquote(path[len(routes.PRODUCTS_BY_STORE_ID) :]), body
                )
            if path.startswith(routes.PURCHASES_BY_STORE_ID):
                return self._purchase(method, unquote(path[len(routes.PURCHASES_BY_STORE_ID) :]))
            if path == routes.PURCHASES and method == "POST":
                return self._create_purchase(body)
            if path == routes.COUPON_SETS and method == "GET":
                return self._page(self.coupon_sets, routes.COUPON_SETS, query)
            if path.startswith(routes.COUPON_SETS) and method == "GET":
                wanted = unquote(path[len(routes.COUPON_SETS) :])
                found = next((c for c in self.coupon_sets if c["id"] == wanted), None)
                if found is None:
                    raise _error(404, "Not Found", f"coupon set {wanted} does not exist")
                return _Answer(200, found)
            match = _EMAIL_PATH.match(path)
            if match:
                return self._contact(method, unquote(match.group(1)), body)
        raise _error(404, "Not Found", f"no route {method} {path}")

    def _contact(self, method: str, email: str, body: Any) -> _Answer:
        if "@" not in email:
            raise _error(400, "Bad Request", f"invalid email {email!r}")
        if method == "GET":
            found = self.contacts.get(email)
            if found is None:
                raise _error(404, "Not Found", f"contact {email} does not exist")
            return _Answer(200, {vocab.API_EMAIL_FIELD: email, **found})
        if method == "PATCH":
            errors: list[dict[str, str]] = []
            _check_fields(body, _CONTACT_FIELDS, "", errors, open_fields=True)
            if errors:
                raise _error(422, "Unprocessable Entity", validationErrors=errors)
            stored = self.contacts.setdefault(email, {"id": _new_id(self._rng)})
            stored.update(body)
            return _Answer(200, {vocab.API_EMAIL_FIELD: email, **stored})
        raise _error(405, "Method Not Allowed")

    def _product(self, method: str, product_id: str, body: Any) -> _Answer:
        if method == "GET":
            found = self.products.get(product_id)
            if found is None:
                raise _error(404, "Not Found", f"product {product_id} does not exist")
            return _Answer(200, found)
        if method == "PATCH":
            errors: list[dict[str, str]] = []
            _check_fields(body, _PRODUCT_FIELDS, "", errors, skip=(_PRODUCT_ID,))
            existing = self.products.get(product_id)
            if existing is None:
                for key in _REQUIRED_PRODUCT:
                    if key != _PRODUCT_ID and key not in body:
                        errors.append({"path": key, "reason": "is required to create a product"})
            if errors:
                raise _error(422, "Unprocessable Entity", validationErrors=errors)
            stored = existing or {"id": _new_id(self._rng), "createdAt": _now()}
            stored.update(body)
            stored[_PRODUCT_ID] = product_id
            self.products[product_id] = stored
            return _Answer(200, stored)
        raise _error(405, "Method Not Allowed")

    def _purchase(self, method: str, purchase_id: str) -> _Answer:
        found = [p for p in self.purchases if p.get(_PURCHASE_ID) == purchase_id]
        if not found:
            raise _error(404, "Not Found", f"purchase {purchase_id} does not exist")
        if method == "GET":
            return _Answer(200, found[-1])
        if method == "DELETE":
            self.purchases = [p for p in self.purchases if p.get(_PURCHASE_ID) != purchase_id]
            return _Answer(204)
        raise _error(405, "Method Not Allowed")

    def _create_purchase(self, body: Any) -> _Answer:
        errors: list[dict[str, str]] = []
        _check_fields(body, _PURCHASE_FIELDS, "", errors, skip=(_LINES_KEY, _CONTACT_EMAIL))
        for key in _REQUIRED_PURCHASE:
            if key not in body:
                errors.append({"path": key, "reason": "is required"})
        lines = body.get(_LINES_KEY, [])
        if not isinstance(lines, list):
            errors.append({"path": _LINES_KEY, "reason": "must be an array"})
            lines = []
        for i, line in enumerate(lines):
            where = f"{_LINES_KEY}[{i}]."
            if not isinstance(line, dict):
                errors.append({"path": where[:-1], "reason": "must be an object"})
                continue
            _check_fields(line, _LINE_FIELDS, where, errors)
            for key in _REQUIRED_LINE:
                if key not in line:
                    errors.append({"path": where + key, "reason": "is required"})
        if errors:
            raise _error(422, "Unprocessable Entity", validationErrors=errors)
        email = body[_CONTACT_EMAIL]
        if email not in self.contacts:
            raise _error(400, "Bad Request", f"Contact {email} does not exist", code="E0101")
        missing = sorted({str(line.get(_PRODUCT_ID)) for line in lines} - set(self.products))
        if missing:
            raise _error(
                400,
                "Bad Request",
                f"Products {', '.join(missing)} do not exist",
                code="E0102",
                productIds=missing,
            )
        purchase_id = body[_PURCHASE_ID]
        if self.duplicate_purchases == "reject" and any(
            p.get(_PURCHASE_ID) == purchase_id for p in self.purchases
        ):
            raise _error(400, "Bad Request", f"purchase {purchase_id} already exists")
        stored = {"id": _new_id(self._rng), "createdAt": _now(), **body}
        self.purchases.append(stored)
        return _Answer(201, stored)

    def _page(
        self, items: list[dict[str, Any]], route: str, query: Mapping[str, list[str]]
    ) -> _Answer:
        try:
            offset = max(0, int((query.get("offset") or ["0"])[0]))
        except ValueError:
            raise _error(400, "Bad Request", "offset must be a whole number") from None
        page = items[offset : offset + self.page_size]
        links: dict[str, str] = {}
        if offset + self.page_size < len(items):
            links["next"] = f"{self.url}{route}?offset={offset + self.page_size}"
        if offset:
            links["prev"] = f"{self.url}{route}?offset={max(0, offset - self.page_size)}"
        return _Answer(200, {"links": links, "results": page})

    # -- imports ----------------------------------------------------------------------------
    def _job(self, import_id: str) -> ImportJob:
        found = next((j for j in self.jobs if j.id == import_id), None)
        if found is None:
            raise _error(404, "Not Found", f"import {import_id} does not exist")
        return found

    def _create_import(self, form: Any) -> _Answer:
        fields: dict[str, str] = form["fields"]
        data: bytes = form["file"]
        if len(data) > self.import_max_bytes:
            raise _error(
                413, "Payload Too Large", f"the file is over {self.import_max_bytes} bytes"
            )
        errors = [
            {"path": name, "reason": "is required"}
            for name in (
                routes.IMPORT_TYPE,
                routes.IMPORT_OVERRIDE_EXISTING,
                routes.IMPORT_UPDATE_ONLY_EMPTY_FIELDS,
                routes.IMPORT_DELIMITER,
            )
            if name not in fields
        ]
        kind = fields.get(routes.IMPORT_TYPE, "")
        if kind and kind not in IMPORT_KINDS:
            errors.append(
                {"path": routes.IMPORT_TYPE, "reason": f"must be one of {', '.join(IMPORT_KINDS)}"}
            )
        for name in (routes.IMPORT_OVERRIDE_EXISTING, routes.IMPORT_UPDATE_ONLY_EMPTY_FIELDS):
            if name in fields and fields[name] not in BOOLEANS:
                errors.append({"path": name, "reason": "must be true or false"})
        delimiter = fields.get(routes.IMPORT_DELIMITER, routes.DELIMITER)
        if delimiter not in (",", ";"):
            errors.append({"path": routes.IMPORT_DELIMITER, "reason": "must be , or ;"})
        set_id = fields.get(routes.IMPORT_COUPON_SET_ID)
        if set_id is not None and kind != "coupons":
            errors.append(
                {"path": routes.IMPORT_COUPON_SET_ID, "reason": "goes with a coupons import only"}
            )
        if errors:
            raise _error(422, "Unprocessable Entity", validationErrors=errors)
        override = BOOLEANS[fields[routes.IMPORT_OVERRIDE_EXISTING]]
        only_empty = BOOLEANS[fields[routes.IMPORT_UPDATE_ONLY_EMPTY_FIELDS]]
        if only_empty and not override:
            raise _error(
                400,
                "Bad Request",
                f"{routes.IMPORT_UPDATE_ONLY_EMPTY_FIELDS} may be true only when "
                f"{routes.IMPORT_OVERRIDE_EXISTING} is true",
            )
        if kind == "coupons":
            if not set_id:
                raise _error(
                    400, "Bad Request", f"a coupons import needs {routes.IMPORT_COUPON_SET_ID}"
                )
            if not any(c["id"] == set_id for c in self.coupon_sets):
                raise _error(400, "Bad Request", f"coupon set {set_id} does not exist")
        try:
            header, rows = read_csv(data, delimiter)
        except FormError as exc:
            raise _error(400, "Bad Request", str(exc)) from None
        needed = {
            "contacts": vocab.API_EMAIL_FIELD,
            "products": _PRODUCT_ID,  # not a Connectif name: an import type
            "coupons": routes.COUPON_CODE,
        }[kind]
        if needed not in header or (kind == "coupons" and header != [needed]):
            raise _error(
                422,
                "Unprocessable Entity",
                validationErrors=[
                    {"path": routes.IMPORT_FILE, "reason": f"the header must hold {needed}"}
                ],
            )
        queued = sum(1 for j in self.jobs if j.resource[routes.IMPORT_STATUS] == routes.QUEUED)
        if queued >= self.max_queued_imports:
            raise _error(
                400,
                "Bad Request",
                f"There are more than {self.max_queued_imports} imports queued",
                code="E0401",
            )
        options: dict[str, Any] = {
            routes.IMPORT_DELIMITER: delimiter,
            routes.IMPORT_OVERRIDE_EXISTING: override,
            routes.IMPORT_UPDATE_ONLY_EMPTY_FIELDS: only_empty,
        }
        if set_id is not None:
            options[routes.IMPORT_COUPON_SET_ID] = set_id
        resource: dict[str, Any] = {
            routes.IMPORT_ID: _new_id(self._rng),
            routes.IMPORT_TYPE: kind,
            routes.IMPORT_STATUS: routes.QUEUED,
            routes.IMPORT_TOTAL: len(rows),
            routes.IMPORT_SUCCESS: 0,
            routes.IMPORT_ERRORS: 0,
            "origin": "api",
            routes.IMPORT_OPTIONS: options,
            routes.IMPORT_CREATED_AT: _now(),
        }
        self.jobs.append(ImportJob(resource, header, rows))
        return _Answer(201, resource)

    def _advance(self) -> None:
        """Move the imports on: the running one ends once ``import_duration`` has passed,
        then the oldest queued one starts (one step per import per request)."""
        now = time.monotonic()
        running = [j for j in self.jobs if j.resource[routes.IMPORT_STATUS] == routes.IN_PROGRESS]
        for job in running:
            assert job.started is not None
            if now - job.started >= self.import_duration:
                self._finish(job)
                running.remove(job)
        if running:
            return
        waiting = [j for j in self.jobs if j.resource[routes.IMPORT_STATUS] == routes.QUEUED]
        if waiting:
            job = waiting[0]
            job.started = now
            job.resource[routes.IMPORT_STATUS] = routes.IN_PROGRESS
            job.resource["startedAt"] = _now()

    def _finish(self, job: ImportJob) -> None:
        apply = {
            "contacts": self._import_contact,
            "products": self._import_product,  # not a Connectif name: an import type
            "coupons": self._import_coupon,
        }[job.resource[routes.IMPORT_TYPE]]
        success = 0
        for cells in job.rows:
            row = {name: cell for name, cell in zip(job.header, cells, strict=False) if cell}
            try:
                if len(cells) > len(job.header):
                    raise RowError("the row has more cells than the header")
                apply(row, job.options)
            except RowError as exc:
                job.failed.append((cells, str(exc)))
            else:
                success += 1
        resource = job.resource
        resource[routes.IMPORT_STATUS] = routes.FINISHED
        resource[routes.IMPORT_SUCCESS] = success
        resource[routes.IMPORT_ERRORS] = len(job.failed)
        resource["finishedAt"] = _now()
        if job.failed:
            resource[routes.IMPORT_ERROR_REPORT] = f"{self.url}{ERROR_REPORTS}{job.id}.csv"

    def _fields(
        self, row: Mapping[str, str], known: Mapping[str, Prop], *, open_fields: bool
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, text in row.items():
            prop = known.get(key)
            if prop is None:
                if open_fields and not key.startswith("_"):
                    values[key] = text  # a custom contact field: text, as CSV has it
                    continue
                raise RowError(f"{key} is not a field of this resource")
            try:
                values[key] = cell_value(prop, text, _type_problem)
            except RowError as exc:
                raise RowError(f"{key} {exc}") from None
        return values

    @staticmethod
    def _merge(
        stored: dict[str, Any], values: Mapping[str, Any], options: Mapping[str, Any]
    ) -> None:
        if options[routes.IMPORT_UPDATE_ONLY_EMPTY_FIELDS]:
            values = {k: v for k, v in values.items() if stored.get(k) in (None, "", [])}
        stored.update(values)

    def _import_contact(self, row: Mapping[str, str], options: Mapping[str, Any]) -> None:
        email = row.get(vocab.API_EMAIL_FIELD, "")
        if "@" not in email:
            raise RowError(f"invalid email {email!r}")
        rest = {k: v for k, v in row.items() if k != vocab.API_EMAIL_FIELD}
        values = self._fields(rest, _CONTACT_FIELDS, open_fields=True)
        stored = self.contacts.get(email)
        if stored is None:
            self.contacts[email] = {"id": _new_id(self._rng), **values}
        elif options[routes.IMPORT_OVERRIDE_EXISTING]:
            self._merge(stored, values, options)

    def _import_product(self, row: Mapping[str, str], options: Mapping[str, Any]) -> None:
        values = self._fields(row, _PRODUCT_FIELDS, open_fields=False)
        product_id = values.get(_PRODUCT_ID)
        if not product_id:
            raise RowError(f"{_PRODUCT_ID} is required")
        stored = self.products.get(product_id)
        if stored is None:
            missing = [key for key in _REQUIRED_PRODUCT if key not in values]
            if missing:
                raise RowError(f"{', '.join(missing)} required to create a product")
            self.products[product_id] = {"id": _new_id(self._rng), "createdAt": _now(), **values}
        elif options[routes.IMPORT_OVERRIDE_EXISTING]:
            self._merge(stored, values, options)

    def _import_coupon(self, row: Mapping[str, str], options: Mapping[str, Any]) -> None:
        code = row.get(routes.COUPON_CODE, "")
        if not code.strip():
            raise RowError(f"{routes.COUPON_CODE} is empty")
        set_id = options[routes.IMPORT_COUPON_SET_ID]
        self.coupon_codes.setdefault(set_id, []).append(code)
        coupon_set = next(c for c in self.coupon_sets if c["id"] == set_id)
        for count in ("quantity", "available"):  # not a Connectif name: coupon set counts
            coupon_set[count] = coupon_set.get(count, 0) + 1

    def error_report(self, import_id: str) -> bytes:
        with self._lock:
            job = next((j for j in self.jobs if j.id == import_id), None)
            if job is None or not job.failed:
                raise _error(404, "Not Found", f"no error report for import {import_id}")
            return job.error_report()


class _Handler(BaseHTTPRequestHandler):
    double: ConnectifAPIDouble
    protocol_version = "HTTP/1.1"
    # Headers and body are written apart: without this, Nagle and delayed ACKs add 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the double records requests instead."""

    def do_GET(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        started = time.perf_counter()
        try:
            self._handle_request()
        finally:
            with self.double._lock:
                self.double.busy_seconds += time.perf_counter() - started

    def _handle_request(self) -> None:
        double = self.double
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        record = RecordedRequest(self.command, parts.path, parse_qs(parts.query), None)
        with double._lock:
            double.requests.append(record)
        try:
            answer = self._answer(record, raw)
        except _Answer as refused:
            answer = refused
        record.status = answer.status
        if record.fault == "drop-after":
            self._drop()
            return
        if record.fault == "slow":
            time.sleep(self._slow_delay)
        self._reply(answer)

    def _answer(self, record: RecordedRequest, raw: bytes) -> _Answer:
        double = self.double
        if record.method == "GET" and record.path.startswith(ERROR_REPORTS):
            report = double.error_report(record.path[len(ERROR_REPORTS) :].removesuffix(".csv"))
            return _Answer(200, report, {"Content-Type": "text/csv; charset=utf-8"})
        double._authorize(self.headers.get("Authorization"))
        record.authorized = True
        limited = double._rate_check()
        if limited is not None:
            return limited
        fault = double._pick_fault(record.method, record.path)
        if fault is not None:
            record.fault = fault.kind
            self._slow_delay = fault.delay
            if fault.kind == "error":
                return _error(fault.status, "Server Error", "injected fault")
            if fault.kind == "drop":
                self._drop()
                raise _Answer(0)
        content_type = self.headers.get("Content-Type") or ""
        kind = content_type.split(";")[0].strip().lower()
        if record.method == "POST" and record.path == routes.IMPORTS:
            if kind != MULTIPART:
                raise _error(415, "Unsupported Media Type", f"send {MULTIPART}")
            try:
                form = parse_multipart(content_type, raw)
            except FormError as exc:
                raise _error(400, "Bad Request", str(exc)) from None
            file = form.files.get(routes.IMPORT_FILE)
            if file is None:
                raise _error(
                    422,
                    "Unprocessable Entity",
                    validationErrors=[{"path": routes.IMPORT_FILE, "reason": "is required"}],
                )
            record.body = {"fields": form.fields, "file": file[1], "file_type": file[0]}
        elif record.method in ("PATCH", "POST"):
            if kind != "application/json":
                raise _error(415, "Unsupported Media Type", "send application/json")
            try:
                record.body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise _error(400, "Bad Request", "Invalid JSON") from None
            if not isinstance(record.body, dict):
                raise _error(400, "Bad Request", "the body must be a JSON object")
        answer = double._route(record.method, record.path, record.query, record.body)
        if fault is not None and fault.kind == "error-after":
            return _error(fault.status, "Server Error", "injected fault after processing")
        return answer

    _slow_delay = 0.0

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _reply(self, answer: _Answer) -> None:
        if answer.status == 0:
            return  # dropped
        if isinstance(answer.body, bytes):
            data = answer.body
        else:
            data = b"" if answer.body is None else json.dumps(answer.body).encode("utf-8")
            if data:
                answer.headers.setdefault("Content-Type", "application/json")
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True  # the client gave up (a slow answer)

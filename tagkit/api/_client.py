"""``ConnectifAPI``: Connectif's REST API on httpx, paced, retried, and never duplicating a
purchase (docs/api-sync.md).

Every request passes the token bucket, then is retried on 429 (after the wait the response
asks for), on 5xx, timeouts and dropped connections, with capped exponential backoff, for
GET, PATCH and DELETE. POST ``/purchases/`` is never re-sent blindly: after a failure the client
asks for the purchase by its store id and sends it again only if Connectif does not have it.
POST ``/imports/`` neither: after a failure without a clear answer the client looks for the
import in Connectif's import list first (docs/api-sync.md#imports).
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from .. import vocabulary as vocab
from .._model import Contact, Record
from ..errors import Problem, ValidationError
from . import _routes as routes
from ._errors import (
    ApiConfigError,
    ApiConnectionError,
    ApiError,
    BadRequest,
    ImportFailed,
    ImportFileTooLarge,
    ImportOutcomeUnknown,
    ImportWaitTimeout,
    RateLimited,
    ServerError,
    TooManyImports,
    error_for,
)
from ._import_csv import import_csv
from ._import_result import ImportResult
from ._imports import ImportOptions, is_candidate, multipart
from ._pacing import Backoff, TokenBucket, rate_limit_wait
from ._payloads import (
    CONTACTS,
    COUPONS,
    PRODUCTS,
    PURCHASES,
    ApiPurchase,
    api_json,
    api_record,
    contact_email,
    to_api,
)

__all__ = ["ApiStats", "ConnectifAPI"]

log = logging.getLogger("tagkit.api")

JSON_TYPE = "application/json"
_REDACTED = "<hidden>"
# How often an import's status is read: from 1.5 s up to every 15 s (a 2,000 ms interval is
# what a published importer uses; Connectif documents none).
IMPORT_POLL = Backoff(initial=1.5, factor=1.5, maximum=15.0, jitter=0.2)
# How long to wait before sending an import again after 400 E0401 (ten imports queued).
QUEUE_WAIT = Backoff(initial=5.0, factor=2.0, maximum=60.0, jitter=0.2)
# How far Connectif's clock may be behind this machine's when the import list is searched
# for an import whose POST got no answer.
CLOCK_SKEW = 300.0


@dataclass
class ApiStats:
    """What a client did: requests sent, retries, 429 waits and their seconds, purchases found
    already created when a POST's outcome was unknown."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    rate_wait_seconds: float = 0.0
    pacing_wait_seconds: float = 0.0
    reconciled: int = 0


class _ApiKeyAuth(httpx.Auth):
    """Adds ``Authorization: apiKey <key>`` to each request; its repr never shows the key."""

    def __init__(self, key: str) -> None:
        self.__key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"apiKey {self.__key}"
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_REDACTED})"


def _api_key(given: str | None) -> str:
    key = given if given is not None else os.environ.get(routes.API_KEY_ENV)
    source = "api_key" if given is not None else f"${routes.API_KEY_ENV}"
    if key is None or not key.strip():
        raise ApiConfigError(
            f"no API key: pass api_key or set ${routes.API_KEY_ENV} to keyId:keySecret "
            "(Connectif: Store settings > API keys > Copy Key Id and Key Secret)"
        )
    key = key.strip()
    if not key.isprintable() or any(c.isspace() for c in key):
        raise ApiConfigError(
            f"{source} must be keyId:keySecret without spaces or control characters "
            "(the value is not shown)"
        )
    if ":" not in key:
        raise ApiConfigError(
            f"{source} must be keyId:keySecret, joined by ':' as Connectif's Copy Key Id and "
            "Key Secret button copies it; the value given has no ':' (it is not shown)"
        )
    return key


def _base_url(given: str | None) -> str:
    url = given if given is not None else os.environ.get(routes.BASE_URL_ENV)
    url = (url or routes.DEFAULT_BASE_URL).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ApiConfigError(
            f"base_url must be an http(s) URL like {routes.DEFAULT_BASE_URL!r} "
            f"(${routes.BASE_URL_ENV}), got {url!r}"
        )
    if parts.username or parts.password:
        raise ApiConfigError("base_url must not hold credentials; the API key is sent as a header")
    return url.rstrip("/")


def _body_of(response: httpx.Response) -> Any:
    if not response.content:
        return {}
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def _mapping(data: object) -> Mapping[str, Any]:
    return data if isinstance(data, Mapping) else {}


def _reason(exc: ApiError) -> str:
    if isinstance(exc, ApiConnectionError):
        return f"no response ({exc.reason})"
    return f"answered {exc.status}"


def _positive(name: str, value: float) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
        raise ApiConfigError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


class ConnectifAPI:
    """A client of Connectif's REST API.

    ``api_key`` is ``keyId:keySecret`` (default ``$CONNECTIF_API_KEY``); ``base_url`` defaults
    to ``$CONNECTIF_API_URL``, else ``https://api.connectif.cloud``. ``rate_per_minute`` paces
    requests on the client (None: no pacing; Connectif does not publish its limit). Every
    ``max_retries`` is shared by 429s, 5xx, timeouts and dropped connections; ``backoff`` sets
    the waits where no header says how long; a 429 asking to wait more than
    ``max_rate_wait`` seconds fails at once. ``reconcile_delay`` waits that long before asking
    whether a purchase whose POST failed was created after all.

    Example (needs a server; see ``tagkit.testing.ConnectifAPIDouble``)::

        with ConnectifAPI(base_url=double.url, api_key="id:secret") as api:
            api.upsert_contact({"primary_key": "ana@shop.example", "_name": "Ana"})
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 5,
        rate_per_minute: float | None = None,
        *,
        backoff: Backoff | None = None,
        max_rate_wait: float = 300.0,
        burst: int = 1,
        reconcile_delay: float = 0.0,
        transport: httpx.BaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
            raise ApiConfigError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
        try:
            self._bucket = TokenBucket(rate_per_minute, burst=burst)
        except ValueError as exc:
            raise ApiConfigError(str(exc)) from None
        self.base_url = _base_url(base_url)
        self.timeout = _positive("timeout", timeout)
        self.max_retries = max_retries
        self.max_rate_wait = _positive("max_rate_wait", max_rate_wait)
        self.reconcile_delay = max(0.0, float(reconcile_delay))
        self.backoff = backoff or Backoff()
        self.stats = ApiStats()
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=_ApiKeyAuth(_api_key(api_key)),
            timeout=self.timeout,
            headers={"Accept": JSON_TYPE, "User-Agent": "tagkit"},
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"ConnectifAPI(base_url={self.base_url!r}, api_key={_REDACTED})"

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ConnectifAPI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- contacts ---------------------------------------------------------------------------
    def upsert_contact(self, contact: Mapping[str, object] | Record) -> dict[str, Any]:
        """Create or update a contact (PATCH ``/contacts/{email}``); only the fields given are
        written. Returns Connectif's answer (``{}`` when it sends no body)."""
        record = api_record(CONTACTS, contact)
        assert isinstance(record, Contact)
        email = contact_email(record)
        return self._json("PATCH", routes.contact(email), body=to_api(record))

    def get_contact(self, email: str) -> dict[str, Any] | None:
        """The contact with ``email``, or None when Connectif has none."""
        return self._get_or_none(routes.contact(email))

    # -- products ---------------------------------------------------------------------------
    def upsert_product(self, product: Mapping[str, object] | Record) -> dict[str, Any]:
        """Create or update a product by its store id (PATCH ``/products/product-id/{id}``)."""
        record = api_record(PRODUCTS, product)
        product_id = record.values[vocab.PRODUCT[1].name]
        assert isinstance(product_id, str)
        return self._json("PATCH", routes.product(product_id), body=to_api(record))

    def get_product(self, product_id: str) -> dict[str, Any] | None:
        """The product with store id ``product_id``, or None."""
        return self._get_or_none(routes.product(product_id))

    # -- purchases --------------------------------------------------------------------------
    def create_purchase(
        self,
        purchase: Mapping[str, object] | Record,
        trigger_purchase_event: bool = True,
        *,
        check_existing: bool = False,
    ) -> dict[str, Any]:
        """Create a purchase (POST ``/purchases/``), exactly once.

        When a POST fails without a clear refusal (no response, a timeout, 5xx, 429), the
        client asks GET ``/purchases/purchase-id/{id}`` and sends again only if the purchase
        is absent. ``check_existing`` asks before the first POST too (for a run that may have
        sent it before, without a journal). Returns Connectif's purchase.
        """
        record = api_record(PURCHASES, purchase)
        assert isinstance(record, ApiPurchase)
        purchase_id = record.purchase_id
        if check_existing:
            found = self.get_purchase(purchase_id)
            if found is not None:
                self.stats.reconciled += 1
                return found
        body = to_api(record)
        params = {routes.TRIGGER_PURCHASE_EVENT: "true" if trigger_purchase_event else "false"}
        for attempt in range(self.max_retries + 1):
            try:
                response = self._send(
                    "POST", routes.PURCHASES, body=body, params=params, idempotent=False
                )
                data = _body_of(response)
                return data if isinstance(data, dict) else {}
            except (ApiConnectionError, ServerError, RateLimited) as exc:
                if attempt == self.max_retries:
                    raise
                if not isinstance(exc, RateLimited):  # after a 429 the bucket waits
                    self._pause(self.backoff.delay(attempt, self._rng))
            except BadRequest:
                # A second POST refused: perhaps because the first one did arrive.
                if attempt == 0:
                    raise
                found = self.get_purchase(purchase_id)
                if found is None:
                    raise
                self.stats.reconciled += 1
                return found
            self.stats.retries += 1
            if self.reconcile_delay:
                time.sleep(self.reconcile_delay)
            found = self.get_purchase(purchase_id)
            if found is not None:
                log.info(
                    "POST %s: purchase %r was created; not sent again",
                    routes.PURCHASES,
                    purchase_id,
                )
                self.stats.reconciled += 1
                return found
        raise AssertionError("unreachable")  # pragma: no cover

    def get_purchase(self, purchase_id: str) -> dict[str, Any] | None:
        """The purchase with store id ``purchase_id``, or None."""
        return self._get_or_none(routes.purchase(purchase_id))

    def delete_purchase(self, purchase_id: str) -> bool:
        """Delete the purchase with store id ``purchase_id``; False when there was none."""
        try:
            self._send("DELETE", routes.purchase(purchase_id))
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def sync_purchase(
        self,
        purchase: Mapping[str, object] | Record,
        trigger_purchase_event: bool = True,
        *,
        check_existing: bool = False,
    ) -> dict[str, Any]:
        """Upsert the purchase's contact and every product of its lines, then create it, so
        Connectif does not refuse it for a missing contact (E0101) or product (E0102)."""
        record = api_record(PURCHASES, purchase)
        assert isinstance(record, ApiPurchase)
        if check_existing:
            found = self.get_purchase(record.purchase_id)
            if found is not None:
                self.stats.reconciled += 1
                return found
        self.upsert_contact(record.contact)
        seen: set[str] = set()
        for line in record.products:
            product = line.product
            if product.product_id in seen:
                continue
            seen.add(product.product_id)
            self.upsert_product(product)
        return self.create_purchase(record, trigger_purchase_event)

    # -- coupons ----------------------------------------------------------------------------
    def coupon_sets(self) -> Iterator[dict[str, Any]]:
        """Every coupon set, page after page: ``links.next`` is followed as Connectif gives it
        (only on this client's own host, where the API key may go)."""
        return self._pages(routes.COUPON_SETS)

    def coupon_set(self, coupon_set_id: str) -> dict[str, Any] | None:
        """One coupon set, or None."""
        return self._get_or_none(routes.coupon_set(coupon_set_id))

    # -- imports ----------------------------------------------------------------------------
    def start_import(
        self,
        kind: str,
        rows: Iterable[Mapping[str, object] | Record | str],
        *,
        override_existing: bool,
        update_only_empty_fields: bool,
        coupon_set_id: str | None = None,
        max_bytes: int = routes.MAX_IMPORT_BYTES,
        max_queue_waits: int = 10,
        queue_wait: Backoff = QUEUE_WAIT,
    ) -> ImportResult:
        """Start an import of ``rows`` (POST ``/imports/``): ``contacts``, ``products`` or
        ``coupons`` (codes, or ``{"code": ...}``, into coupon set ``coupon_set_id``).

        Every row is validated as the one-by-one calls validate it, and must fit a CSV cell
        (a list value holding ``|`` does not): a :class:`ValidationError` lists every problem
        and nothing is sent. A file over ``max_bytes`` raises :class:`ImportFileTooLarge`
        unsent. After 400 E0401 (ten imports queued) it waits (``queue_wait``) and sends
        again, up to ``max_queue_waits`` times. It is never sent again blindly: after a
        failure without a clear answer (no answer, a dropped connection, a 5xx) the import
        list is searched for it; a contacts or products import that is not there is sent
        again, a coupons import never (:class:`ImportOutcomeUnknown`), since its codes would be
        added twice. Returns the import as Connectif accepted it (its ``id``, usually
        ``queued``); :meth:`wait_for_import` waits for its end.
        """
        options = ImportOptions(kind, override_existing, update_only_empty_fields, coupon_set_id)
        records: list[Record] = []
        problems: list[Problem] = []
        for number, row in enumerate(rows):
            try:
                records.append(api_record(kind, row, path=f"{kind}[{number}]"))
            except ValidationError as exc:
                problems.extend(exc.problems)
        if problems:
            raise ValidationError(problems)
        data = import_csv(kind, records)
        return self._post_import(
            options,
            data,
            len(records),
            max_bytes=max_bytes,
            max_queue_waits=max_queue_waits,
            queue_wait=queue_wait,
        )

    def _post_import(
        self,
        options: ImportOptions,
        data: bytes,
        total: int,
        *,
        max_bytes: int = routes.MAX_IMPORT_BYTES,
        max_queue_waits: int = 10,
        queue_wait: Backoff = QUEUE_WAIT,
    ) -> ImportResult:
        """POST the import file ``data`` of ``total`` rows (see :meth:`start_import`)."""
        if len(data) > max_bytes:
            raise ImportFileTooLarge("POST", routes.IMPORTS, len(data), max_bytes)
        body = multipart(options.form(), data)
        queue_waits = failures = 0
        while True:
            since = time.time()
            try:
                response = self._send("POST", routes.IMPORTS, raw=body, idempotent=False)
            except TooManyImports:
                if queue_waits >= max_queue_waits:
                    raise
                wait = queue_wait.delay(queue_waits, self._rng)
                log.info("POST %s: ten imports queued; waiting %.2f s", routes.IMPORTS, wait)
                queue_waits += 1
                self._pause(wait)
                continue
            except RateLimited:
                # Refused before it was handled; the bucket waits as the 429 asked.
                failures += 1
                if failures > self.max_retries:
                    raise
                continue
            except (ApiConnectionError, ServerError) as exc:
                failures += 1
                found = self._find_import(options, total, since, _reason(exc))
                if found is not None:
                    log.info(
                        "POST %s: import %s was created; not sent again", routes.IMPORTS, found.id
                    )
                    self.stats.reconciled += 1
                    return found
                if options.kind == COUPONS:
                    raise ImportOutcomeUnknown(
                        routes.IMPORTS,
                        f"{_reason(exc)}, and no import in the list matches this coupons import "
                        "yet",
                    ) from None
                if failures > self.max_retries:
                    raise
                self.stats.retries += 1
                self._pause(self.backoff.delay(failures - 1, self._rng))
                continue
            result = ImportResult.from_api(
                _mapping(_body_of(response)), default_status=routes.QUEUED
            )
            if not result.id:
                raise ApiError(
                    "POST",
                    routes.IMPORTS,
                    response.status_code,
                    message=f"POST {routes.IMPORTS}: {response.status_code} without an import id",
                )
            return result if result.total is not None else replace(result, total=total)

    def _find_import(
        self, options: ImportOptions, total: int, since: float, why: str
    ) -> ImportResult | None:
        """The import a POST sent at ``since`` created, from the import list; None when none
        matches; :class:`ImportOutcomeUnknown` when several do or the list cannot be read."""
        try:
            found = [
                listed
                for listed in self.imports()
                if is_candidate(listed, options, total, since, CLOCK_SKEW)
            ]
        except ApiError as exc:
            raise ImportOutcomeUnknown(
                routes.IMPORTS, f"{why}, and the import list could not be read ({exc})"
            ) from None
        if len(found) > 1:
            ids = ", ".join(str(f.get(routes.IMPORT_ID)) for f in found)
            raise ImportOutcomeUnknown(
                routes.IMPORTS,
                f"{why}, and several imports in the list match it ({ids})",
            )
        return ImportResult.from_api(found[0]) if found else None

    def imports(self) -> Iterator[dict[str, Any]]:
        """Every import Connectif lists (GET ``/imports/``), page after page."""
        return self._pages(routes.IMPORTS)

    def get_import(self, import_id: str) -> ImportResult | None:
        """The import ``import_id`` as it stands, or None when Connectif has none."""
        found = self._get_or_none(routes.import_(import_id))
        if found is None:
            return None
        result = ImportResult.from_api(found)
        return result if result.id else replace(result, id=import_id)

    def wait_for_import(
        self,
        import_id: str,
        *,
        timeout: float | None = None,
        poll: Backoff = IMPORT_POLL,
        progress: Callable[[ImportResult], None] | None = None,
    ) -> ImportResult:
        """Read import ``import_id`` (GET ``/imports/{id}``, paced and retried as every GET)
        until it ends; waits between reads grow as ``poll`` says (1.5 s, up to 15 s).

        Returns the finished import (``errors`` counts its failed rows, listed in the file at
        ``error_report_url``). An import that ended ``error`` or ``cancelled`` raises
        :class:`ImportFailed`, one still running after ``timeout`` seconds
        :class:`ImportWaitTimeout`; both carry the counts. ``progress`` gets each reading.
        """
        path = routes.import_(import_id)
        started = time.monotonic()
        attempt = 0
        while True:
            result = ImportResult.from_api(self._json("GET", path))
            if not result.id:
                result = replace(result, id=import_id)
            if progress is not None:
                progress(result)
            if result.status == routes.FINISHED:
                return result
            if result.done:
                raise ImportFailed(path, result)
            delay = poll.delay(attempt, self._rng)
            attempt += 1
            if timeout is not None:
                left = timeout - (time.monotonic() - started)
                if left <= 0:
                    raise ImportWaitTimeout(path, result, timeout)
                delay = min(delay, left)
            self._pause(delay)

    # -- the transport ----------------------------------------------------------------------
    def _pages(self, route: str) -> Iterator[dict[str, Any]]:
        target = route
        while target:
            data = self._json("GET", target)
            results = data.get("results", [])
            yield from (r for r in results if isinstance(r, dict))
            links = data.get("links") or {}
            following = links.get("next") if isinstance(links, dict) else None
            if not following:
                return
            target = self._same_origin(route, str(following))

    def _same_origin(self, route: str, url: str) -> str:
        base, found = urlsplit(self.base_url), urlsplit(url)
        if found.scheme and (found.scheme, found.netloc) != (base.scheme, base.netloc):
            raise ApiError(
                "GET",
                route,
                0,
                message=f"GET {route}: the next page is on another host "
                f"({found.scheme}://{found.netloc}); not following it with the API key",
            )
        return url

    def _get_or_none(self, path: str) -> dict[str, Any] | None:
        try:
            return self._json("GET", path)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def _json(self, method: str, path: str, *, body: object = None) -> dict[str, Any]:
        data = _body_of(self._send(method, path, body=body))
        return data if isinstance(data, dict) else {"results": data}

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: object = None,
        params: Mapping[str, str] | None = None,
        idempotent: bool = True,
        raw: tuple[bytes, str] | None = None,
    ) -> httpx.Response:
        """One request, paced and retried; a 2xx response or an :class:`ApiError`. ``raw`` is
        a body already encoded, with its content type.

        Not ``idempotent``: the first failure is raised (a 429 with its ``wait``), for the
        caller to reconcile.
        """
        shown = urlsplit(path).path or path
        content = None if body is None else api_json(body).encode("utf-8")
        headers = {"Content-Type": JSON_TYPE} if content is not None else None
        if raw is not None:
            content, headers = raw[0], {"Content-Type": raw[1]}
        for attempt in range(self.max_retries + 1):
            self.stats.pacing_wait_seconds += self._bucket.acquire()
            self.stats.requests += 1
            last = attempt == self.max_retries or not idempotent
            try:
                response = self._http.request(
                    method, path, content=content, params=params, headers=headers
                )
            except httpx.TimeoutException:
                reason = f"no answer within {self.timeout:g} s"
                if last:
                    raise ApiConnectionError(method, shown, reason) from None
            except httpx.TransportError as exc:
                reason = f"connection failed ({type(exc).__name__})"
                if last:
                    raise ApiConnectionError(method, shown, reason) from None
            else:
                status = response.status_code
                if status < 400:
                    return response
                error = error_for(method, shown, status, _body_of(response))
                if status == 429:
                    wait = rate_limit_wait(response.headers)
                    if wait is not None and wait > self.max_rate_wait:
                        error.args = (
                            f"{error} (Connectif asks to wait {wait:g} s, more than "
                            f"max_rate_wait {self.max_rate_wait:g} s)",
                        )
                        raise error
                    if wait is None:
                        wait = self.backoff.delay(attempt, self._rng)
                    self.stats.rate_limited += 1
                    self.stats.rate_wait_seconds += wait
                    self._bucket.pause_until(time.monotonic() + wait)
                    if last:
                        error.wait = wait  # type: ignore[attr-defined]
                        raise error
                    log.info("%s %s: 429, waiting %.2f s", method, shown, wait)
                    continue  # the bucket waits; not a retry of a failure
                if status < 500 or last:
                    raise error
                reason = f"{status}"
            self.stats.retries += 1
            delay = self.backoff.delay(attempt, self._rng)
            log.info("%s %s: %s; retrying in %.2f s", method, shown, reason, delay)
            self._pause(delay)
        raise AssertionError("unreachable")  # pragma: no cover

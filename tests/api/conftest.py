"""Shared helpers of the REST API tests: the double on 127.0.0.1 and a client with short
waits, so faults cost milliseconds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tagkit.api import Backoff, ConnectifAPI
from tagkit.testing import ConnectifAPIDouble

FAST = Backoff(initial=0.005, factor=2.0, maximum=0.05, jitter=0.5)


def product(n: int | str, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://shop.example/p/{n}",
        "product_id": f"P-{n}",
        "name": f"Product {n}",
        "unit_price": "9.90",
        **extra,
    }


def purchase(n: int | str, *, contact: object = None, lines: int = 1) -> dict[str, Any]:
    items = [{"quantity": 1, "price": "9.90", **product(f"{n}-{i}")} for i in range(lines)]
    return {
        "purchase_id": f"o-{n}",
        "purchase_date": "2024-05-01T10:20:00+02:00",
        "total_quantity": lines,
        "total_price": f"{9.9 * lines:.2f}",
        "contact": contact or {"primary_key": f"buyer{n}@shop.example"},
        "products": items,
    }


@pytest.fixture
def make_double() -> Iterator[Callable[..., ConnectifAPIDouble]]:
    started: list[ConnectifAPIDouble] = []

    def make(**options: Any) -> ConnectifAPIDouble:
        double = ConnectifAPIDouble(**options).start()
        started.append(double)
        return double

    yield make
    for double in started:
        double.stop()


@pytest.fixture
def double(make_double: Callable[..., ConnectifAPIDouble]) -> ConnectifAPIDouble:
    return make_double()


@pytest.fixture
def make_client() -> Iterator[Callable[..., ConnectifAPI]]:
    made: list[ConnectifAPI] = []

    def make(double: ConnectifAPIDouble, **options: Any) -> ConnectifAPI:
        options.setdefault("backoff", FAST)
        options.setdefault("timeout", 0.5)
        client = ConnectifAPI(api_key=double.api_key, base_url=double.url, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(double: ConnectifAPIDouble, make_client: Callable[..., ConnectifAPI]) -> ConnectifAPI:
    return make_client(double)

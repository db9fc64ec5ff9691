"""The issue's run: 1,000 contacts, 500 products and 300 purchases through the double with
about 10 % injected faults and a rate limit that forces waiting. Every record arrives exactly
once, no purchase is duplicated, and pacing keeps 429s rare."""

from __future__ import annotations

import time
from collections.abc import Callable

from tagkit.api import Backoff, ConnectifAPI
from tagkit.api._records import Item, build_records
from tagkit.api._sync import sync_records
from tagkit.testing import ConnectifAPIDouble

from .conftest import product, purchase


def _records(kind: str, data: list[dict[str, object]]) -> list[tuple[Item, object]]:
    records, problems = build_records([Item(f"item {i + 1}", d) for i, d in enumerate(data)], kind)
    assert not problems
    return records  # type: ignore[return-value]


def test_every_record_arrives_exactly_once_through_faults_and_the_rate_limit(
    make_double: Callable[..., ConnectifAPIDouble], make_client: Callable[..., ConnectifAPI]
) -> None:
    # The double's minute is 0.5 s: 250 requests a window, 500 a second.
    double = make_double(rate_limit=250, rate_window=0.5, fault_rate=0.1, slow_delay=0.08, seed=7)
    # The client paces itself just under it (450 a second), as --rate does; short waits.
    api = make_client(
        double,
        rate_per_minute=450 * 60,
        timeout=0.05,
        max_retries=8,
        backoff=Backoff(initial=0.002, factor=2, maximum=0.02),
    )
    contacts = [{"primary_key": f"c{n}@shop.example", "_points": n} for n in range(1000)]
    products = [product(n, in_stock_units=n) for n in range(500)]
    purchases = [purchase(n, contact=f"c{n}@shop.example", lines=1 + n % 2) for n in range(300)]
    started = time.monotonic()
    reports = [
        sync_records(api, "contacts", _records("contacts", contacts)),  # type: ignore[arg-type]
        sync_records(api, "products", _records("products", products)),  # type: ignore[arg-type]
        sync_records(api, "purchases", _records("purchases", purchases)),  # type: ignore[arg-type]
    ]
    elapsed = time.monotonic() - started
    assert [(r.sent, len(r.failures)) for r in reports] == [(1000, 0), (500, 0), (300, 0)]
    assert len(double.contacts) == 1000 and double.contacts["c999@shop.example"]["_points"] == 999
    assert len(double.products) == 500 + sum(1 + n % 2 for n in range(300))
    assert double.products["P-499"]["inStockUnits"] == 499
    assert len(double.purchases) == 300
    assert all(double.created(f"o-{n}") == 1 for n in range(300))
    faults = [r for r in double.requests if r.fault]
    assert len(faults) > 0.07 * len(double.requests)  # the faults really happened
    assert {f.fault for f in faults} == {"error", "error-after", "drop", "drop-after", "slow"}
    assert any(
        r.method == "POST" and r.fault in ("drop-after", "slow", "error-after") for r in faults
    )
    assert double.rate_limited < 0.01 * len(double.requests)
    assert api.stats.pacing_wait_seconds > 0.5  # the limit made the client wait
    print(
        f"\n{len(double.requests)} requests, {len(faults)} faults, {double.rate_limited} 429s, {elapsed:.1f} s, {api.stats}"
    )

"""The REST client's overhead per record, over the API double's own time.

    python benchmarks/api.py [--records N] [--rounds R]

Syncs N contacts and N products through tagkit's local Connectif double, in this process,
one by one (a PATCH each) and through the import API (one CSV file, then the status reads).
For each it prints the wall time, the double's own handling time (measured in the server,
from each request line to its answer, imports applied included), the client's waits between
status reads, and per record the client's time (wall - double - waits: validation, payloads,
CSV, HTTP on the client side) and the double's. The best of R rounds is kept. Reports only;
always exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tagkit.api import Backoff, ConnectifAPI
from tagkit.api._bulk import import_records
from tagkit.api._imports import ImportOptions
from tagkit.api._records import Item, build_records
from tagkit.api._sync import sync_records
from tagkit.testing import ConnectifAPIDouble

POLL = Backoff(initial=0.001, factor=1.0, maximum=0.001, jitter=0)


class _TimedClient(ConnectifAPI):
    """The client, counting the seconds it sleeps between an import's status reads."""

    paused = 0.0

    def _pause(self, seconds: float) -> None:
        self.paused += max(0.0, seconds)
        super()._pause(seconds)


@dataclass
class Row:
    case: str
    records: int
    wall: float
    double: float
    waits: float

    @property
    def client(self) -> float:
        return max(0.0, self.wall - self.double - self.waits)


def _data(kind: str, count: int) -> list[Item]:
    if kind == "contacts":
        rows: list[dict[str, object]] = [
            {
                "primary_key": f"c{n}@shop.example",
                "_name": f"Name {n}",
                "_points": n,
                "tier": "gold",
            }
            for n in range(count)
        ]
    else:
        rows = [
            {
                "url": f"https://shop.example/p/{n}",
                "product_id": f"P-{n}",
                "name": f"Product {n}",
                "unit_price": "19.90",
                "category": ["/Shoes", "/Shoes/Running"],
                "in_stock_units": n,
            }
            for n in range(count)
        ]
    return [Item(f"item {n + 1}", row) for n, row in enumerate(rows)]


def _measure(case: str, kind: str, count: int, send: Callable[..., object]) -> Row:
    items = _data(kind, count)
    with ConnectifAPIDouble() as double:
        client = _TimedClient(api_key=double.api_key, base_url=double.url)
        try:
            started = time.perf_counter()
            records, problems = build_records(items, kind)  # validation is the client's work
            assert not problems
            send(client, kind, records)
            wall = time.perf_counter() - started
        finally:
            client.close()
        stored = double.contacts if kind == "contacts" else double.products
        assert len(stored) == count, f"{case}: {len(stored)} of {count} arrived"
        return Row(case, count, wall, double.busy_seconds, client.paused)


def _one_by_one(client: ConnectifAPI, kind: str, records: list[tuple[Item, object]]) -> None:
    report = sync_records(client, kind, records)  # type: ignore[arg-type]
    assert not report.failures


def _import(client: ConnectifAPI, kind: str, records: list[tuple[Item, object]]) -> None:
    options = ImportOptions(kind, override_existing=True, update_only_empty_fields=False)
    report = import_records(client, options, [r for _, r in records], poll=POLL)  # type: ignore[misc]
    assert report.result is not None and report.result.errors == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000, help="records of each kind")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best is kept")
    args = parser.parse_args(argv)
    cases = [
        (f"{kind} {mode}", kind, send)
        for kind in ("contacts", "products")
        for mode, send in (("one by one", _one_by_one), ("--import", _import))
    ]
    rows = []
    for case, kind, send in cases:
        rounds = [_measure(case, kind, args.records, send) for _ in range(args.rounds)]
        rows.append(min(rounds, key=lambda r: r.client))
    print(
        f"{'case':<22} {'records':>7} {'wall ms':>9} {'double ms':>9} {'waits ms':>8} "
        f"{'client us/rec':>13} {'double us/rec':>13} {'client/double':>13}"
    )
    for row in rows:
        ratio = row.client / row.double if row.double else float("nan")
        print(
            f"{row.case:<22} {row.records:>7} {row.wall * 1e3:>9.1f} {row.double * 1e3:>9.1f} "
            f"{row.waits * 1e3:>8.1f} {row.client / row.records * 1e6:>13.1f} "
            f"{row.double / row.records * 1e6:>13.1f} {ratio:>13.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

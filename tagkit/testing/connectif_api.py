"""Run tagkit's local double of Connectif's REST API from a shell (docs/api-sync.md#double).

``python -m tagkit.testing.connectif_api --port 8765`` serves on 127.0.0.1 until Ctrl-C;
point ``CONNECTIF_API_URL`` at it and use the key it prints (or ``--api-key``).
"""

from __future__ import annotations

import argparse
import time

from ._api_double import DEFAULT_KEY, FAULT_KINDS, ConnectifAPIDouble, Fault

__all__ = ["ConnectifAPIDouble", "Fault", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tagkit.testing.connectif_api",
        description="A local double of Connectif's REST API, on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--api-key", default=DEFAULT_KEY, help="the accepted keyId:keySecret")
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per window")
    parser.add_argument("--rate-window", type=float, default=60.0, help="window in seconds")
    parser.add_argument(
        "--rate-headers",
        choices=("retry-after", "x-ratelimit", "ratelimit", "none"),
        default="retry-after",
    )
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of requests hit")
    parser.add_argument("--fault-kinds", default=",".join(FAULT_KINDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--import-duration", type=float, default=0.0, help="seconds an import runs once started"
    )
    args = parser.parse_args(argv)
    double = ConnectifAPIDouble(
        api_keys=(args.api_key,),
        rate_limit=args.rate_limit,
        rate_window=args.rate_window,
        rate_headers=args.rate_headers,
        fault_rate=args.fault_rate,
        fault_kinds=[k for k in args.fault_kinds.split(",") if k],
        seed=args.seed,
        port=args.port,
        import_duration=args.import_duration,
    )
    with double:
        print(f"Connectif API double on {double.url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

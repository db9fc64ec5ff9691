"""How fast the client sends and how long it waits: a token bucket, capped exponential backoff
with jitter, and the wait a 429 asks for (docs/api-sync.md#pacing).

Connectif documents a per-minute rate limit but neither its number nor its headers, so every
setting here is an option, and the three header styles seen in the wild are all read.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

__all__ = ["Backoff", "TokenBucket", "rate_limit_wait"]

# X-RateLimit-Reset is an epoch time where it has been seen; a smaller number can only be a
# number of seconds to wait.
_EPOCH_FLOOR = 1_000_000_000


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with jitter: attempt ``n`` (0-based) waits up to
    ``initial * factor**n``, at most ``maximum`` seconds, less a random part of ``jitter``.

    >>> Backoff(initial=1, factor=2, maximum=5, jitter=0).delay(3)
    5.0
    """

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 30.0
    jitter: float = 0.5

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        base = min(self.maximum, self.initial * self.factor ** max(0, attempt))
        if not self.jitter:
            return float(base)
        return float(base * (1 - self.jitter * (rng or random).random()))


class TokenBucket:
    """At most ``rate_per_minute`` requests a minute, ``burst`` at once; ``None`` means no
    client-side limit. :meth:`pause_until` makes every caller wait after a 429.

    The clock and sleep are injectable, so tests need not wait.
    """

    def __init__(
        self,
        rate_per_minute: float | None,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_minute is not None and not (
            isinstance(rate_per_minute, (int, float))
            and math.isfinite(rate_per_minute)
            and rate_per_minute > 0
        ):
            raise ValueError(
                f"rate_per_minute must be a positive number of requests, got {rate_per_minute!r}"
            )
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst!r}")
        self.rate = rate_per_minute
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._stamp = clock()
        self._not_before = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for a token; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            wait = max(0.0, self._not_before - now)
            if self.rate is not None:
                per_second = self.rate / 60.0
                self._tokens = min(
                    float(self.burst), self._tokens + (now - self._stamp) * per_second
                )
                self._stamp = now
                self._tokens -= 1.0
                if self._tokens < 0:
                    wait = max(wait, -self._tokens / per_second)
            if wait > 0:
                self._sleep(wait)
            return wait

    def pause_until(self, moment: float) -> None:
        """No request before ``moment`` (on this bucket's clock)."""
        with self._lock:
            self._not_before = max(self._not_before, moment)


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _Caseless(dict[str, str]):
    """Header values by lower-case name; ``get`` takes any spelling."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__((name.lower(), value) for name, value in headers.items())

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name.lower(), default)


def rate_limit_wait(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The seconds a 429 response asks to wait, or None when it says nothing usable.

    ``Retry-After`` (seconds or an HTTP date) first, then ``X-RateLimit-Reset`` (epoch
    seconds), then ``RateLimit-Reset`` (seconds to wait). Header names are matched
    case-insensitively, as HTTP defines them, whatever the mapping.

    >>> rate_limit_wait({"Retry-After": "3"})
    3.0
    >>> rate_limit_wait({"retry-after": "3"})
    3.0
    >>> rate_limit_wait({"X-RateLimit-Reset": "1700000010"}, now=1700000004.5)
    5.5
    >>> rate_limit_wait({"RateLimit-Reset": "2"})
    2.0
    """
    wall = time.time() if now is None else now
    headers = _Caseless(headers)
    retry_after = headers.get("Retry-After")
    if retry_after:
        seconds = _number(retry_after)
        if seconds is None:
            try:
                moment = parsedate_to_datetime(retry_after)
            except (TypeError, ValueError, IndexError):
                moment = None
            if moment is not None and moment.tzinfo is not None:
                seconds = moment.timestamp() - wall
        if seconds is not None:
            return max(0.0, seconds)
    reset = headers.get("X-RateLimit-Reset")
    if reset:
        value = _number(reset)
        if value is not None:
            return max(0.0, value - wall if value >= _EPOCH_FLOOR else value)
    delta = headers.get("RateLimit-Reset")
    if delta:
        value = _number(delta)
        if value is not None:
            return max(0.0, value)
    return None

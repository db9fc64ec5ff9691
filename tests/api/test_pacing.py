"""Pacing and waits, on a fake clock: the numbers are exact."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from tagkit.api import Backoff, TokenBucket, rate_limit_wait


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_bucket_spaces_requests_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(120, clock=clock, sleep=clock.sleep)  # one every 0.5 s
    for _ in range(5):
        bucket.acquire()
    assert clock.slept == pytest.approx([0.5, 0.5, 0.5, 0.5])
    clock.now += 10  # idle: tokens refill up to the burst only
    bucket.acquire()
    bucket.acquire()
    assert clock.slept[-1] == pytest.approx(0.5)


def test_a_burst_goes_at_once_and_a_pause_holds_everyone() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, burst=3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        assert bucket.acquire() == 0
    assert bucket.acquire() == pytest.approx(1.0)
    bucket.pause_until(clock.now + 7)
    assert bucket.acquire() == pytest.approx(7.0)
    unlimited = TokenBucket(None, clock=clock, sleep=clock.sleep)
    assert [unlimited.acquire() for _ in range(100)] == [0] * 100


def test_backoff_is_capped_and_jittered() -> None:
    plain = Backoff(initial=0.5, factor=2, maximum=4, jitter=0)
    assert [plain.delay(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    jittered = Backoff(initial=1, factor=2, maximum=8, jitter=0.5)
    rng = random.Random(1)
    delays = [jittered.delay(3, rng) for _ in range(200)]
    assert min(delays) >= 4.0 and max(delays) <= 8.0 and len(set(delays)) > 100


def test_the_waits_a_429_asks_for() -> None:
    now = 1_700_000_000.0
    when = datetime.fromtimestamp(now, timezone.utc) + timedelta(seconds=30)
    assert rate_limit_wait({"Retry-After": "12"}, now) == 12.0
    assert rate_limit_wait({"Retry-After": "0.25"}, now) == 0.25
    assert rate_limit_wait({"Retry-After": format_datetime(when, usegmt=True)}, now) == 30.0
    assert rate_limit_wait({"X-RateLimit-Reset": str(now + 4)}, now) == 4.0
    assert rate_limit_wait({"X-RateLimit-Reset": "3"}, now) == 3.0  # a delta, not an epoch
    assert rate_limit_wait({"X-RateLimit-Reset": str(now - 10)}, now) == 0.0
    assert rate_limit_wait({"RateLimit-Reset": "9"}, now) == 9.0
    # Retry-After wins; nonsense is ignored in favour of the next header or None.
    assert rate_limit_wait({"Retry-After": "2", "RateLimit-Reset": "9"}, now) == 2.0
    assert rate_limit_wait({"Retry-After": "soon", "RateLimit-Reset": "9"}, now) == 9.0
    assert rate_limit_wait({"Retry-After": "nan"}, now) is None
    assert rate_limit_wait({}, now) is None

"""``kill -9`` at any moment, then the same command with the same journal: every purchase is
created exactly once. The CLI runs in its own process against the double on 127.0.0.1."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tagkit.testing import ConnectifAPIDouble, Fault

from .conftest import purchase

COUNT = 40


def _start(
    double: ConnectifAPIDouble, data: Path, journal: Path, *extra: str
) -> subprocess.Popen[str]:
    env = {**os.environ, "CONNECTIF_API_KEY": double.api_key, "CONNECTIF_API_URL": double.url}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tagkit.cli",
            "api",
            "purchases",
            str(data),
            "--journal",
            str(journal),
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def _data(tmp_path: Path) -> Path:
    path = tmp_path / "orders.jsonl"
    path.write_text("".join(json.dumps(purchase(n)) + "\n" for n in range(COUNT)), encoding="utf-8")
    return path


def test_killed_after_connectif_created_the_purchase_before_the_journal_knew(
    make_double: Callable[..., ConnectifAPIDouble], tmp_path: Path
) -> None:
    double = make_double()
    # The first purchase is created, then its answer hangs: the process is killed right there.
    double.inject(Fault("slow", method="POST", delay=30))
    data, journal = _data(tmp_path), tmp_path / "orders.journal"
    first = _start(double, data, journal)
    _wait_for(lambda: double.created("o-0") == 1)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1]) == {"kind": "purchases", "key": "o-0", "state": "sending"}
    second = _start(double, data, journal)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert out.startswith(f"purchases: {COUNT} sent (1 found already created), 0 failed")
    assert [double.created(f"o-{n}") for n in range(COUNT)] == [1] * COUNT
    assert len(double.sent("POST")) == COUNT


def test_killed_at_random_moments_with_faults(
    make_double: Callable[..., ConnectifAPIDouble], tmp_path: Path
) -> None:
    double = make_double(fault_rate=0.1, fault_kinds=("error-after", "drop-after", "drop"), seed=3)
    data, journal = _data(tmp_path), tmp_path / "orders.journal"
    rng = random.Random(5)
    kills = 0
    for _ in range(4):
        run = _start(double, data, journal, "--rate", "3000")
        time.sleep(0.45 + rng.random() * 0.6)
        if run.poll() is None:
            run.send_signal(signal.SIGKILL)
            kills += 1
        run.communicate(timeout=10)
    final = _start(double, data, journal)
    out, err = final.communicate(timeout=60)
    assert final.returncode == 0, err
    assert kills >= 2  # the runs really were cut short
    assert [double.created(f"o-{n}") for n in range(COUNT)] == [1] * COUNT
    again = _start(double, data, journal)
    out, _ = again.communicate(timeout=60)
    assert out.startswith(f"purchases: 0 sent, 0 failed, {COUNT} skipped")

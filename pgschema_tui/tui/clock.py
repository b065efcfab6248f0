"""An injectable clock: the app asks it for the time so snapshots and tests are deterministic."""
from __future__ import annotations

import time
from typing import Callable

Clock = Callable[[], float]


def system_clock() -> float:
    return time.time()


class FixedClock:
    """A clock that stands still until `advance` is called (tests, snapshots, benchmarks)."""

    def __init__(self, start: float = 1_768_471_200.0):  # 2026-01-15 10:00 UTC
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

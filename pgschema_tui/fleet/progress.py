"""Where every target of a fleet apply is, for a live display (the CLI's, the reviewer's).

`FleetProgress` is fed from the apply's worker threads (`checking`, `running`, `step`, `waiting`,
which `commands/fleet_progress.feed` calls from the executor's events, and `finished` with the
`Outcome`) and read by a display (`snapshot`): each
target's state (waiting, checking, running, applied, no changes, failed, skipped), its current
step (`[2/5] ALTER TABLE ...`) and what it waits for (a lock, an index build). Thread-safe; no I/O.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from pgschema_tui.fleet.grouping import TargetId
from pgschema_tui.fleet.outcomes import APPLIED, FAILED, NO_CHANGES, SKIPPED, Outcome

WAITING, CHECKING, RUNNING = "waiting", "checking", "running"
DONE = (APPLIED, NO_CHANGES, FAILED, SKIPPED)


@dataclass(frozen=True)
class TargetState:
    target: TargetId
    status: str = WAITING
    step: int | None = None  # 0-based index of the running step
    total_steps: int = 0
    doing: str = ""  # the running step's statement (one line), or "checking the fingerprint"
    waiting_for: str = ""  # a lock wait or an index build's wait, while it lasts
    started: float | None = None  # time.monotonic()
    finished: float | None = None
    message: str = ""  # the outcome's error or reason

    def step_label(self) -> str:
        if self.step is None:
            return ""
        return f"[{self.step + 1}/{self.total_steps}]"

    def seconds(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.finished if self.finished is not None else now) - self.started


class FleetProgress:
    def __init__(self, targets: list[TargetId]):
        self._lock = threading.Lock()
        self._states = {t: TargetState(t) for t in targets}
        self._order = list(targets)
        self.started = time.monotonic()

    def _set(self, target: TargetId, **changes) -> None:
        with self._lock:
            state = self._states.get(target) or TargetState(target)
            if target not in self._states:
                self._order.append(target)
            self._states[target] = replace(state, **changes)

    def checking(self, target: TargetId) -> None:
        """The target's turn came: lock, inspection, fingerprint and hazard checks."""
        self._set(target, status=CHECKING, doing="checking the fingerprint and hazards", started=time.monotonic())

    def running(self, target: TargetId, total_steps: int) -> None:
        """The executor started the target's plan."""
        self._set(target, status=RUNNING, total_steps=total_steps, doing="", waiting_for="")

    def step(self, target: TargetId, index: int, doing: str) -> None:
        """Step `index` (0-based) started: `doing` is its statement or what it waits for, on one line."""
        self._set(target, status=RUNNING, step=index, doing=doing, waiting_for="")

    def waiting(self, target: TargetId, why: str) -> None:
        """The running step waits (a lock, an index build); `""` when it no longer does."""
        self._set(target, waiting_for=why)

    def finished(self, outcome: Outcome) -> None:
        now = time.monotonic()
        with self._lock:
            state = self._states.get(outcome.target) or TargetState(outcome.target)
            if outcome.target not in self._states:
                self._order.append(outcome.target)
            self._states[outcome.target] = replace(
                state, status=outcome.status, finished=now, started=state.started if state.started is not None else now,
                waiting_for="", message=outcome.message)

    def snapshot(self) -> list[TargetState]:
        """Every target's state, in the order they were given."""
        with self._lock:
            return [self._states[t] for t in self._order]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in (WAITING, CHECKING, RUNNING, *DONE)}
        for state in self.snapshot():
            out[state.status] += 1
        return out

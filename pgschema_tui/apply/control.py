"""Steering a running apply from another thread: pause, resume, stop after group N.

The executor asks `ApplyControl` at each commit point (between the units it commits: one
group, or the whole plan when it runs in one transaction, and between the steps of a group that
runs without a transaction, each of which commits on its own), never inside a transaction, so a
pause never holds locks. The reviewer's keys and the CLI's `--stop-after-group` set it.
"""
from __future__ import annotations

import threading


class ApplyControl:
    """Thread-safe requests the executor honours between groups."""

    def __init__(self, stop_after_group: int | None = None) -> None:
        self._lock = threading.Lock()
        self._pause = False
        self._stop = False
        self._changed = threading.Event()
        self.stop_after_group = stop_after_group  # 0-based: run groups up to and including it

    def pause(self) -> None:
        """Finish the current transaction (a group's, or the whole plan's when it runs in one) or,
        in a group without a transaction, the current step; then wait for `resume` or `stop`."""
        with self._lock:
            self._pause = True
            self._changed.set()

    def resume(self) -> None:
        with self._lock:
            self._pause = False
            self._changed.set()

    def stop(self) -> None:
        """End the run at the next commit point (at once when paused); what is left is not run."""
        with self._lock:
            self._stop = True
            self._changed.set()

    def set_stop_after(self, group: int | None) -> None:
        with self._lock:
            self.stop_after_group = group
            self._changed.set()

    @property
    def pause_requested(self) -> bool:
        return self._pause

    @property
    def stop_requested(self) -> bool:
        return self._stop

    def stops_before(self, group: int) -> bool:
        """Is group `group` (0-based) past what the run may do?"""
        limit = self.stop_after_group
        return self._stop or (limit is not None and group > limit)

    def wait_while_paused(self, aborted: threading.Event) -> None:
        """Block until resumed, stopped or `aborted` (the executor's abort flag)."""
        while self._pause and not self._stop and not aborted.is_set():
            self._changed.wait(0.1)
            self._changed.clear()


def checkpoint(executor, group: int):
    """The executor's hook before the unit starting at `group` (no transaction open): pause
    while asked (yielding Paused, then Resumed), and end the run when asked to stop or past
    "up to group N". Returns True to stop here."""
    from pgschema_tui.apply.events import Paused, Resumed

    control = executor.control
    if control is None:
        return False
    if control.pause_requested and not control.stops_before(group) and not executor.aborted:
        after = executor._applied_groups[-1] if executor._applied_groups else None
        yield Paused(next_group=group, after_group=after)
        control.wait_while_paused(executor._aborted)
        if not control.stops_before(group) and not executor.aborted:
            yield Resumed(next_group=group)
    if executor.aborted or control.stops_before(group):
        executor._stopped_before = group
        return True
    return False


def step_checkpoint(executor, group: int, index: int):
    """The hook before step `index` of `group`, a group running without a transaction (its
    earlier steps are committed, nothing is open): pause while asked; True to end the run here
    (stopped, or aborted while paused). "Up to group N" is only honoured between groups."""
    from pgschema_tui.apply.events import Paused, Resumed

    control = executor.control
    if control is None or not control.pause_requested or control.stop_requested or executor.aborted:
        return False
    after = executor._applied_groups[-1] if executor._applied_groups else None
    yield Paused(next_group=group, after_group=after, next_step=index)
    control.wait_while_paused(executor._aborted)
    if control.stop_requested or executor.aborted:
        executor._stopped_before = group
        executor._stopped_at_step = index
        return True
    yield Resumed(next_group=group, next_step=index)
    return False

"""Why a step failed, in words: the executor's failure types and the texts of its summary.

`_LockTimeout` is a statement that waited too long for a lock, or lost a deadlock (both are
retried); `_StepFailure` a step that failed for good. Kept apart from the executor's driving
logic (apply/executor.py), which imports them under the same names.
"""
from __future__ import annotations

import re

from pgschema_tui.apply.events import Progress
from pgschema_tui.apply.monitor import Blocker

LOCK_NOT_AVAILABLE = "55P03"
DEADLOCK_DETECTED = "40P01"  # retried as a lock timeout: the server chose this session to roll back


class _LockTimeout(Exception):
    """A statement gave up waiting for a lock (or was the victim of a deadlock); carries who held
    it, when we saw them."""

    def __init__(self, index: int, error: Exception, blockers: list[Blocker], others: tuple[int, ...] = (),
                 why: str | None = None):
        super().__init__(str(error))
        self.index, self.error, self.blockers = index, error, blockers
        self.why = why  # set when we gave the wait up ourselves (--max-lock-queue), not the server
        self.deadlock = getattr(error, "sqlstate", None) == DEADLOCK_DETECTED
        # the sessions the deadlock involved (from the server's DETAIL) when the monitor saw none
        self.others = tuple(p for p in others if p not in {b.pid for b in blockers})

    @property
    def reason(self) -> str:
        return "deadlock" if self.deadlock else "lock timeout"

    def cause(self) -> str:
        """`lock timeout on step 3`, `deadlock on step 3`, or why we gave its lock request up."""
        if self.why:
            return f"step {self.index + 1} gave its lock request up: {self.why}"
        return f"{self.reason} on step {self.index + 1}"

    def who(self) -> str:
        """`pid 42 (idle in transaction): SELECT ...`, the session the statement waited for."""
        if self.blockers:
            b = self.blockers[-1]
            facts = ", ".join(f for f in (b.state, f"{b.lock_mode} on {b.relation}" if b.lock_mode and b.relation
                                          else None) if f)
            query = " ".join((b.query or "").split())[:80]
            chain = " → ".join(f"pid {p}" for p in (b.waits_for or ()))
            return (f"pid {b.pid}" + (f" ({facts})" if facts else "") + (f": {query}" if query else "")
                    + (f", which itself waits for {chain}" if chain else ""))
        return ", ".join(f"pid {p}" for p in self.others)


class _StepFailure(Exception):
    """A step failed for good: the server error (or our own reason) and the statement."""

    def __init__(self, index: int, sql: str, message: str, sqlstate: str | None = None):
        super().__init__(message)
        self.index, self.sql, self.message, self.sqlstate = index, sql, message, sqlstate


def server_error_text(exc: Exception) -> str:
    """The server's error as psql shows it: `ERROR:  message` plus DETAIL and HINT lines."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag else None
    if not primary:
        return str(exc).strip() or type(exc).__name__
    lines = [f"{diag.severity or 'ERROR'}:  {primary}"]
    if diag.message_detail:
        lines.append(f"DETAIL:  {diag.message_detail}")
    if diag.message_hint:
        lines.append(f"HINT:  {diag.message_hint}")
    return "\n".join(lines)


def _span(indexes: list[int]) -> str:
    """1-based human list of step or group numbers: `1-3, 5`."""
    numbers = sorted(i + 1 for i in indexes)
    parts: list[str] = []
    start = prev = None
    for n in numbers + [None]:
        if start is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(parts)


def _with(timeout: _LockTimeout) -> str:
    """` (deadlock with pid 42 ...)` for a notice about a deadlock; lock waits have their own event."""
    who = timeout.who() if timeout.deadlock else ""
    return f" with {who}" if who else ""


def _deadlocked_with(error: Exception, own_pid: int) -> tuple[int, ...]:
    """The other sessions a deadlock error's DETAIL names (`Process 42 waits for ...`)."""
    detail = getattr(getattr(error, "diag", None), "message_detail", None) or ""
    pids = []
    for pid in (int(p) for p in re.findall(r"\b(?:Process|process) (\d+)", detail)):
        if pid != own_pid and pid not in pids:
            pids.append(pid)
    return tuple(pids)


def _progress_changed(previous: Progress | None, current: Progress) -> bool:
    if previous is None:
        return True
    return (previous.phase, previous.percent, previous.blocks_done, previous.tuples_done,
            previous.lockers_done) != (current.phase, current.percent, current.blocks_done,
                                       current.tuples_done, current.lockers_done)

"""Plain events the executor yields while applying a plan.

The CLI prints them, the terminal reviewer turns them into messages, `--log-json` writes
them as JSON lines. No UI code here: every event is a frozen dataclass with a `type`.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class Event:
    at: float = field(default_factory=_now, kw_only=True)

    @property
    def type(self) -> str:
        name = type(self).__name__
        return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass(frozen=True)
class PlanStarted(Event):
    total_steps: int
    total_groups: int
    fingerprint: str = ""


@dataclass(frozen=True)
class GroupStarted(Event):
    group: int  # 0-based index
    transactional: bool


@dataclass(frozen=True)
class GroupCommitted(Event):
    group: int


@dataclass(frozen=True)
class StepStarted(Event):
    index: int  # 0-based position in the flat step list
    group: int
    path: str
    operation: str
    sql: str
    message: str = ""  # what a wait step waits for ("Creating index x"), shown instead of its SQL


@dataclass(frozen=True)
class Progress(Event):
    """Progress of a long step (e.g. CREATE INDEX CONCURRENTLY) from pg_stat_progress_*."""

    index: int
    phase: str
    percent: float | None  # 0..100, None when unknown
    blocks_done: int | None = None
    blocks_total: int | None = None
    tuples_done: int | None = None
    tuples_total: int | None = None
    lockers_done: int | None = None
    lockers_total: int | None = None


@dataclass(frozen=True)
class LockWait(Event):
    """The step is waiting for (or timed out on) a lock held by `blocker_pid`."""

    index: int
    blocker_pid: int | None
    blocker_query: str | None = None
    blocker_state: str | None = None
    blocker_age_seconds: float | None = None
    lock_mode: str | None = None
    relation: str | None = None
    attempt: int = 0
    retry_in_seconds: float | None = None
    blocker_mode: str | None = None  # the lock(s) the blocker holds there (None: it waits ahead of us)
    # the wait chain: the session the blocker itself waits for, then that one's... (empty: it waits
    # for nobody, it holds what we want)
    blocker_waits_for: tuple[int, ...] = ()


@dataclass(frozen=True)
class QueuedSession:
    """One session in the queue of the lock a step waits for (pg_locks, pg_blocking_pids)."""

    pid: int
    place: str  # "holds" (a conflicting lock), "ahead" (waits before us), "behind" (waits for us)
    mode: str | None  # held mode(s) for "holds", the requested mode otherwise
    state: str | None = None
    waited_seconds: float | None = None  # how long it has waited for its lock ("ahead", "behind")
    transaction_seconds: float | None = None  # how long its transaction (or query) has run
    query: str | None = None
    application_name: str | None = None


@dataclass(frozen=True)
class LockQueue(Event):
    """The queue on the lock step `index` waits for: who holds it, who waits ahead of and behind
    it. A waiting ACCESS EXCLUSIVE request blocks every session queued behind it, readers too."""

    index: int
    relation: str | None
    lock_mode: str | None  # what our statement asked for
    waited_seconds: float | None
    sessions: tuple[QueuedSession, ...] = ()

    @property
    def behind(self) -> tuple[QueuedSession, ...]:
        return tuple(s for s in self.sessions if s.place == "behind")


@dataclass(frozen=True)
class StepFinished(Event):
    index: int
    duration_seconds: float


@dataclass(frozen=True)
class StepFailed(Event):
    index: int
    error: str
    sql: str
    sqlstate: str | None = None


@dataclass(frozen=True)
class PlanFinished(Event):
    success: bool
    applied_groups: tuple[int, ...] = ()  # groups committed, 0-based
    duration_seconds: float = 0.0
    message: str = ""
    # Steps that took effect (committed, or ran in autocommit), 0-based: a non-transactional
    # group that fails half-way leaves its earlier steps applied.
    applied_steps: tuple[int, ...] = ()
    invalid_indexes: tuple[str, ...] = ()  # left INVALID by a failed CREATE INDEX CONCURRENTLY
    # the run ended before this group (0-based) as asked (apply up to group N, stop while paused);
    # it and the groups after it were not run
    stopped_before: int | None = None


@dataclass(frozen=True)
class Paused(Event):
    """The run waits between two commits, as asked (`ApplyControl.pause`): no transaction is open."""

    next_group: int  # 0-based: the group that runs on resume
    after_group: int | None = None  # the last group committed, None when none was
    # inside a group that runs without a transaction (its steps commit one by one): the step that
    # runs on resume (0-based, in the plan); None at a group boundary
    next_step: int | None = None


@dataclass(frozen=True)
class Resumed(Event):
    next_group: int
    next_step: int | None = None  # as in Paused


@dataclass(frozen=True)
class GroupRolledBack(Event):
    """The group's transaction was rolled back (a failure, or before a retry from its start)."""

    group: int
    reason: str = ""


@dataclass(frozen=True)
class Notice(Event):
    """Something the user should read that is neither progress nor failure (retries, warnings)."""

    message: str
    index: int | None = None
    group: int | None = None


@dataclass(frozen=True)
class IndexBuildWait(Event):
    """A `CREATE INDEX CONCURRENTLY` waits for another transaction to end (an old snapshot, a writer).

    Not a lock wait: no lock_timeout applies to it, only `--index-build-timeout` when given.
    """

    index: int
    index_name: str
    phase: str  # pg_stat_progress_create_index.phase
    blocker_pid: int | None
    blocker_query: str | None = None
    blocker_state: str | None = None
    blocker_application: str | None = None
    transaction_age_seconds: float | None = None  # how long the blocker's transaction has been open
    waited_seconds: float | None = None  # how long the build has waited for it


@dataclass(frozen=True)
class IndexBuildInProgress(Event):
    """Another session is building an index on a relation the plan touches (e.g. a killed apply's).

    The apply waits for it to end before running anything that would queue behind it.
    """

    pid: int
    index_name: str | None
    table: str
    phase: str
    percent: float | None = None
    application_name: str | None = None
    state: str | None = None
    running_seconds: float | None = None
    index: int | None = None  # the step that waits, None before the first step

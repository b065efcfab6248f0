"""The state of a running apply, folded from executor events (no Textual, no database).

The Apply screen feeds every event to `ApplyState.record` and redraws from the result, so
the same events always draw the same screen.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from pgschema_tui.apply import events as ev
from pgschema_tui.apply.index_builds import describe_event as describe_build_event
from pgschema_tui.tui.formatting import duration

PENDING, RUNNING, DONE, FAILED, WAITING = "pending", "running", "done", "failed", "waiting"
STATE_MARKS = {PENDING: " ", RUNNING: ">", DONE: "✓", FAILED: "✗", WAITING: "…"}
"""Text marks next to each step's state word, so state never depends on colour."""


@dataclass
class ApplyState:
    total_steps: int
    phase: str = "ready"  # ready | running | succeeded | failed | aborted
    step_states: list[str] = field(default_factory=list)
    durations: dict[int, float] = field(default_factory=dict)
    started_at: dict[int, float] = field(default_factory=dict)
    current: int | None = None
    current_sql: str = ""
    progress: ev.Progress | None = None
    progress_seen: list[ev.Progress] = field(default_factory=list)
    lock_waits: dict[int | None, ev.LockWait] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    committed_groups: tuple[int, ...] = ()
    message: str = ""
    abort_requested: bool = False

    def __post_init__(self) -> None:
        if not self.step_states:
            self.step_states = [PENDING] * self.total_steps

    def record(self, event: ev.Event) -> None:
        """Fold one event into the state and append its log line."""
        quiet = isinstance(event, ev.Progress) and self.progress is not None and \
            (self.progress.index, self.progress.phase) == (event.index, event.phase)
        handler = getattr(self, f"_on_{event.type}", None)
        if handler:
            handler(event)
        line = "" if quiet else describe(event)  # progress is logged once per phase
        if line:
            self.log.append(f"{_clock_text(event.at)}  {line}")

    def _on_plan_started(self, e: ev.PlanStarted) -> None:
        self.phase = "running"
        if e.total_steps != self.total_steps:
            self.total_steps = e.total_steps
            self.step_states = [PENDING] * e.total_steps

    def _on_step_started(self, e: ev.StepStarted) -> None:
        self._set(e.index, RUNNING)
        self.current, self.current_sql = e.index, e.sql
        self.started_at[e.index] = e.at
        self.progress = None
        self.lock_waits.clear()

    def _on_progress(self, e: ev.Progress) -> None:
        self._set(e.index, RUNNING)  # moving again after a lock wait
        self.progress = e
        self.progress_seen.append(e)

    def _on_lock_wait(self, e: ev.LockWait) -> None:
        self._set(e.index, WAITING)
        self.lock_waits[e.blocker_pid] = e

    def _on_index_build_wait(self, e: ev.IndexBuildWait) -> None:
        self._set(e.index, WAITING)  # waits for another transaction to end (shown in the log)

    def _on_step_finished(self, e: ev.StepFinished) -> None:
        self._set(e.index, DONE)
        self.durations[e.index] = e.duration_seconds
        self.lock_waits.clear()
        if self.current == e.index:
            self.current = None

    def _on_step_failed(self, e: ev.StepFailed) -> None:
        self._set(e.index, FAILED)
        self.current_sql = e.sql
        self.message = e.error

    def _on_plan_finished(self, e: ev.PlanFinished) -> None:
        self.committed_groups = tuple(e.applied_groups)
        if e.success:
            self.phase = "succeeded"
        else:
            self.phase = "aborted" if self.abort_requested else "failed"
        self.message = e.message or self.message
        self.current = None
        self.lock_waits.clear()

    def _set(self, index: int, state: str) -> None:
        if 0 <= index < len(self.step_states):
            self.step_states[index] = state

    @property
    def finished(self) -> bool:
        return self.phase in ("succeeded", "failed", "aborted")

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.step_states if s == DONE)


def describe(event: ev.Event) -> str:
    """One log line per event, plain text."""
    if isinstance(event, ev.PlanStarted):
        return f"apply started: {event.total_steps} steps in {event.total_groups} groups"
    if isinstance(event, ev.GroupStarted):
        kind = "transaction" if event.transactional else "no transaction"
        return f"group {event.group + 1} started ({kind})"
    if isinstance(event, ev.GroupCommitted):
        return f"group {event.group + 1} committed"
    if isinstance(event, ev.StepStarted):
        first = event.sql.strip().splitlines()[0] if event.sql.strip() else ""
        return f"step {event.index + 1} {event.operation} {event.path}: {first}"
    if isinstance(event, ev.Progress):
        pct = f" {event.percent:.0f}%" if event.percent is not None else ""
        return f"step {event.index + 1} {event.phase}{pct}"
    if isinstance(event, ev.LockWait):
        who = f"pid {event.blocker_pid}" if event.blocker_pid else "another session"
        retry = f", retry {event.attempt} in {event.retry_in_seconds:.1f} s" if event.retry_in_seconds else ""
        return f"step {event.index + 1} waits for {event.lock_mode or 'a lock'} held by {who}{retry}"
    if isinstance(event, ev.StepFinished):
        return f"step {event.index + 1} done in {duration(event.duration_seconds)}"
    if isinstance(event, ev.StepFailed):
        state = f" [{event.sqlstate}]" if event.sqlstate else ""
        return f"step {event.index + 1} failed{state}: {event.error}"
    if isinstance(event, ev.GroupRolledBack):
        why = f": {event.reason}" if event.reason else ""
        return f"group {event.group + 1} rolled back{why}"
    if isinstance(event, ev.Notice):
        return event.message
    build = describe_build_event(event)  # an index build waiting for other sessions
    if build:
        return f"step {event.index + 1} {build}" if event.index is not None else build
    if isinstance(event, ev.PlanFinished):
        verdict = "succeeded" if event.success else "stopped"
        groups = ", ".join(str(g + 1) for g in event.applied_groups) or "none"
        tail = f": {event.message}" if event.message else ""
        if event.invalid_indexes:
            tail += f"; left INVALID: {', '.join(event.invalid_indexes)} (the next plan rebuilds them)"
        return f"apply {verdict} in {duration(event.duration_seconds)}; committed groups: {groups}{tail}"
    return ""


def _clock_text(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%H:%M:%S")

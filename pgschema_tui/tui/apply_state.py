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
    phase: str = "ready"  # ready | checking | running | paused | succeeded | stopped | failed | aborted
    step_states: list[str] = field(default_factory=list)
    durations: dict[int, float] = field(default_factory=dict)  # the attempt that ran, in seconds
    started_at: dict[int, float] = field(default_factory=dict)  # the current (last) attempt's start
    first_started_at: dict[int, float] = field(default_factory=dict)
    waited: dict[int, float] = field(default_factory=dict)  # lock waits, retries and backoff before it ran
    # the current attempt's wait for its lock so far (pg_locks.waitstart, from LockQueue events)
    attempt_wait: dict[int, float] = field(default_factory=dict)
    current: int | None = None
    current_sql: str = ""
    progress: ev.Progress | None = None
    progress_seen: list[ev.Progress] = field(default_factory=list)
    lock_waits: dict[int | None, ev.LockWait] = field(default_factory=dict)
    lock_queue: ev.LockQueue | None = None  # the queue on the lock the running step waits for
    log: list[str] = field(default_factory=list)
    committed_groups: tuple[int, ...] = ()
    message: str = ""
    abort_requested: bool = False
    paused_after: int | None = None  # while paused: the last group committed (None: none yet)
    next_group: int | None = None  # while paused: the group that runs on resume
    next_step: int | None = None  # while paused inside a group without a transaction: the step next
    stopped_before: int | None = None  # the run ended before this group as asked
    _logged_waits: set = field(default_factory=set, repr=False)
    _logged_queue: dict = field(default_factory=dict, repr=False)  # step -> sessions behind it last logged

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
        if isinstance(event, ev.LockWait):  # the monitor repeats a wait every second: log it once
            key = (event.index, event.blocker_pid, event.attempt, event.lock_mode, event.relation)
            quiet = key in self._logged_waits
            self._logged_waits.add(key)
        if isinstance(event, ev.LockQueue):  # logged when the number behind us changes, not every second
            quiet = self._logged_queue.get(event.index, 0) == len(event.behind)
            self._logged_queue[event.index] = len(event.behind)
        line = "" if quiet else describe(event)  # progress is logged once per phase
        if isinstance(event, ev.StepFinished) and self.waited.get(event.index):
            line = (f"step {event.index + 1} done: ran {duration(self.durations[event.index])} after waiting "
                    f"{duration(self.waited[event.index])} (lock waits, retries and backoff)")
        if line:
            self.log.append(f"{_clock_text(event.at)}  {line}")

    def _on_plan_started(self, e: ev.PlanStarted) -> None:
        self.phase = "running"
        self.lock_waits.clear()  # the pre-apply check's waits are over
        self.lock_queue = None
        if e.total_steps != self.total_steps:
            self.total_steps = e.total_steps
            self.step_states = [PENDING] * e.total_steps

    def _on_step_started(self, e: ev.StepStarted) -> None:
        self._set(e.index, RUNNING)
        self.current, self.current_sql = e.index, e.sql
        self.started_at[e.index] = e.at
        self.first_started_at.setdefault(e.index, e.at)
        self.attempt_wait.pop(e.index, None)
        self.progress = None
        self.lock_waits.clear()
        self.lock_queue = None

    def _on_progress(self, e: ev.Progress) -> None:
        self._set(e.index, RUNNING)  # moving again after a lock wait
        self.progress = e
        self.progress_seen.append(e)

    def _on_lock_wait(self, e: ev.LockWait) -> None:
        self._set(e.index, WAITING)
        self.lock_waits[e.blocker_pid] = e
        if e.retry_in_seconds is not None:  # timed out (or given up): no longer in the queue
            self.lock_queue = None

    def _on_paused(self, e: ev.Paused) -> None:
        self.phase, self.paused_after, self.next_group = "paused", e.after_group, e.next_group
        self.next_step = e.next_step

    def _on_resumed(self, e: ev.Resumed) -> None:
        self.phase, self.paused_after, self.next_group, self.next_step = "running", None, None, None

    def _on_lock_queue(self, e: ev.LockQueue) -> None:
        self.lock_queue = e
        if e.waited_seconds is not None:
            self.attempt_wait[e.index] = max(self.attempt_wait.get(e.index, 0.0), e.waited_seconds)

    def _on_index_build_wait(self, e: ev.IndexBuildWait) -> None:
        self._set(e.index, WAITING)  # waits for another transaction to end (shown in the log)

    def _on_step_finished(self, e: ev.StepFinished) -> None:
        self._set(e.index, DONE)
        # the attempt that ran: its own lock wait is waiting, not running (issue 12, defect 5)
        in_attempt = min(self.attempt_wait.pop(e.index, 0.0), e.duration_seconds)
        self.durations[e.index] = round(e.duration_seconds - in_attempt, 3)
        total = e.at - self.first_started_at.get(e.index, e.at)
        self.waited[e.index] = max(0.0, total - e.duration_seconds) + in_attempt
        self.lock_waits.clear()
        self.lock_queue = None
        if self.current == e.index:
            self.current = None

    def _on_step_failed(self, e: ev.StepFailed) -> None:
        if e.index not in self.started_at:  # stopped before it began (an abort between steps): not run
            self.message = e.error
            return
        self._set(e.index, FAILED)
        self.current_sql = e.sql
        self.message = e.error

    def _on_plan_finished(self, e: ev.PlanFinished) -> None:
        self.committed_groups = tuple(e.applied_groups)
        self.stopped_before = e.stopped_before
        if e.success and e.stopped_before is not None:
            self.phase = "stopped"
        elif e.success:
            self.phase = "succeeded"
        else:
            self.phase = "aborted" if self.abort_requested else "failed"
        self.message = e.message or self.message
        self.current = None
        self.lock_waits.clear()
        self.lock_queue = None

    def _set(self, index: int, state: str) -> None:
        if 0 <= index < len(self.step_states):
            self.step_states[index] = state

    @property
    def finished(self) -> bool:
        return self.phase in ("succeeded", "stopped", "failed", "aborted")

    @property
    def any_waited(self) -> bool:
        return any(v >= 0.05 for v in (*self.waited.values(), *self.attempt_wait.values())) or any(
            self.started_at[i] - t >= 0.05 for i, t in self.first_started_at.items() if i in self.started_at)

    def waited_so_far(self, index: int, now: float) -> float:
        """Seconds step `index` has waited (retries, backoff) before its current attempt."""
        if index in self.waited:
            return self.waited[index]
        first, last = self.first_started_at.get(index), self.started_at.get(index)
        before = max(0.0, last - first) if first is not None and last is not None else 0.0
        return before + self.attempt_wait.get(index, 0.0)

    def ran_so_far(self, index: int, now: float) -> float:
        """Seconds the current attempt of running step `index` has run, its lock wait left out."""
        return max(0.0, now - self.started_at[index] - self.attempt_wait.get(index, 0.0))

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
        who = f"step {event.index + 1}" if event.index >= 0 else "the pre-apply check"
        return f"{who} {lock_wait_text(event)}"
    if isinstance(event, ev.LockQueue):
        return f"step {event.index + 1}: {queue_text(event)}"
    if isinstance(event, ev.Paused):
        if event.next_step is not None:
            return (f"paused after step {event.next_step} in group {event.next_group + 1} (it runs without a "
                    f"transaction: the steps before are committed; none is open); step {event.next_step + 1} "
                    f"runs on resume")
        after = f"after group {event.after_group + 1}" if event.after_group is not None else "before the first group"
        return f"paused {after} (no transaction open); group {event.next_group + 1} runs on resume"
    if isinstance(event, ev.Resumed):
        if event.next_step is not None:
            return f"resumed: step {event.next_step + 1} of group {event.next_group + 1} next"
        return f"resumed: group {event.next_group + 1} next"
    if isinstance(event, ev.StepFinished):
        return f"step {event.index + 1} done: ran {duration(event.duration_seconds)}"
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


def lock_wait_text(wait: ev.LockWait) -> str:
    """`waits for ShareLock on public.orders, blocked by pid 48213 (idle in transaction, 12 s): UPDATE ...`

    `lock_mode` is the mode our statement asked for, not the one the blocker holds."""
    wanted = wait.lock_mode or "a lock"
    where = f" on {wait.relation}" if wait.relation else ""
    if wait.blocker_pid:
        facts = ", ".join(x for x in (f"holds {wait.blocker_mode}" if wait.blocker_mode else "",
                                      wait.blocker_state or "",
                                      f"{wait.blocker_age_seconds:.0f} s" if wait.blocker_age_seconds is not None else "")
                          if x)
        who = f"blocked by pid {wait.blocker_pid}" + (f" ({facts})" if facts else "")
    else:
        who = "blocked by another session"
    retry = ""
    if wait.retry_in_seconds:
        retry = f"; lock timeout, retry {wait.attempt} in {wait.retry_in_seconds:.1f} s"
    elif wait.attempt:
        retry = f"; attempt {wait.attempt + 1}"
    query = " ".join((wait.blocker_query or "").split())
    return f"waits for {wanted}{where}, {who}{retry}" + (f": {query}" if query else "")


def queue_text(queue: ev.LockQueue) -> str:
    """`2 session(s) queue behind its AccessExclusiveLock request on t (blocked until it is granted)`."""
    behind = len(queue.behind)
    what = f"its {queue.lock_mode} request" if queue.lock_mode else "its lock request"
    on = f" on {queue.relation}" if queue.relation else ""
    if not behind:
        return f"no session queues behind {what}{on} any more"
    return f"{behind} session(s) queue behind {what}{on} (blocked until it is granted or given up)"


def _clock_text(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%H:%M:%S")

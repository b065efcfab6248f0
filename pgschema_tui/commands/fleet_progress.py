"""What a fleet apply shows while it runs: a line per finished target, and on a terminal a live
table of the targets in progress (state, current step, what they wait for) under them.

`make_display(total, with_database)` picks `RichFleetDisplay` when stdout is a terminal, else
`PlainFleetDisplay` (pipes, files, CI logs: one line per target, `[3/200] tenant_7: applied ...`).
Both are fed by `FleetRun` from its worker threads; the state lives in `fleet/progress.py`.
"""
from __future__ import annotations

import sys
import threading
import time

from pgschema_tui.fleet.grouping import TargetId
from pgschema_tui.fleet.outcomes import APPLIED, FAILED, NO_CHANGES, SKIPPED, Outcome, progress_line
from pgschema_tui.fleet.progress import CHECKING, RUNNING, FleetProgress

_SHOWN_FAILED = 5  # most recent failures kept in the live table


def feed(progress: FleetProgress, target: TargetId, event) -> None:
    """One executor event (`apply/events.py`) of `target` into `progress`."""
    from pgschema_tui.apply.events import IndexBuildWait, LockWait, PlanStarted, StepFinished, StepStarted
    from pgschema_tui.apply.printer import describe_lock_wait, short_sql

    if isinstance(event, PlanStarted):
        progress.running(target, event.total_steps)
    elif isinstance(event, StepStarted):
        progress.step(target, event.index, short_sql(event.message or event.sql, 200))
    elif isinstance(event, LockWait):
        progress.waiting(target, describe_lock_wait(event))
    elif isinstance(event, IndexBuildWait):
        progress.waiting(target, f"the index build waits for pid {event.blocker_pid}"
                                 + (f" ({event.blocker_state})" if event.blocker_state else ""))
    elif isinstance(event, StepFinished):
        progress.waiting(target, "")


class QuietFleetDisplay:
    """The targets' states (`self.progress`), shown nowhere: `FleetRun`'s default, for callers
    that show progress their own way (the reviewer)."""

    def __init__(self, targets: list[TargetId], with_database: bool, color: bool = True):
        self.total, self.with_database = len(targets), with_database
        self.progress = FleetProgress(targets)
        self._lock = threading.Lock()
        self._done = 0

    def checking(self, target: TargetId) -> None:
        self.progress.checking(target)

    def event(self, target: TargetId, event) -> None:
        feed(self.progress, target, event)

    def finished(self, outcome: Outcome) -> None:
        self.progress.finished(outcome)
        with self._lock:
            self._done += 1
            self.say(progress_line(self._done, self.total, outcome, self.with_database))

    def say(self, line: str) -> None:
        pass

    def close(self) -> None:
        pass


class PlainFleetDisplay(QuietFleetDisplay):
    """A line per finished target."""

    def say(self, line: str) -> None:
        print(line, flush=True)


class RichFleetDisplay(PlainFleetDisplay):
    """The lines above a live table: counts, a bar, throughput, then each running target with its
    state, step and wait, and the last failures."""

    def __init__(self, targets: list[TargetId], with_database: bool, color: bool = True, console=None):
        from rich.console import Console
        from rich.live import Live

        super().__init__(targets, with_database)
        self.console = console or Console(no_color=not color)
        self.live = Live(get_renderable=self.render, console=self.console, refresh_per_second=8, transient=True,
                         redirect_stdout=False, redirect_stderr=False)
        self.live.start()

    def say(self, line: str) -> None:
        from rich.text import Text

        self.live.console.print(Text(line), no_wrap=True, overflow="ellipsis")

    def render(self):
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        from pgschema_tui.ddl.quote import comment_text

        now = time.monotonic()
        states = self.progress.snapshot()
        counts = self.progress.counts()
        done = sum(counts[s] for s in (APPLIED, NO_CHANGES, FAILED, SKIPPED))
        elapsed = max(now - self.progress.started, 1e-6)
        parts = [f"{done}/{self.total} done"] + [f"{counts[s]} {s}" for s in (APPLIED, NO_CHANGES, FAILED, SKIPPED)
                                                  if counts[s]]
        head = Text(f"Fleet apply: {', '.join(parts)}; {counts[RUNNING] + counts[CHECKING]} in progress; "
                    f"{done / elapsed:.1f} targets/s")
        table = Table(box=None, pad_edge=False, show_edge=False, expand=False)
        for column in ("target", "state", "step", "doing", "time"):
            table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=80 if column == "doing" else None)
        active = [s for s in states if s.status in (RUNNING, CHECKING)]
        failed = [s for s in states if s.status == FAILED]
        failed.sort(key=lambda s: s.finished or 0)
        for state in active + failed[-_SHOWN_FAILED:]:
            doing = state.waiting_for or state.doing if state.status != FAILED else \
                (state.message.strip().splitlines() or [""])[0]
            style = "red" if state.status == FAILED else ("yellow" if state.waiting_for else "")
            table.add_row(Text(comment_text(state.target.label(self.with_database))), Text(state.status, style=style),
                          Text(state.step_label()), Text(comment_text(doing)), Text(f"{state.seconds(now):.1f}s"))
        return Group(head, ProgressBar(total=max(self.total, 1), completed=done, width=60), table)

    def close(self) -> None:
        if self.live.is_started:
            self.live.stop()


def make_display(targets: list[TargetId], with_database: bool, use_rich: bool | None = None, color: bool = True):
    if use_rich is None:
        use_rich = sys.stdout.isatty()
    return (RichFleetDisplay if use_rich else PlainFleetDisplay)(targets, with_database, color)

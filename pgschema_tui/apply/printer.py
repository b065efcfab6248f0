"""Showing apply events on a terminal: plain lines, or a rich progress bar on a tty.

Both printers take the same events and print the same sentences (`describe`); the rich one
also keeps a bar for the plan and one for the running step. Failures go to stderr.
"""
from __future__ import annotations

import sys
from typing import TextIO

from pgschema_tui.apply.events import (
    Event, GroupRolledBack, GroupStarted, LockQueue, LockWait, Notice, PlanFinished, PlanStarted, Progress,
    StepFailed, StepFinished, StepStarted,
)
from pgschema_tui.apply.index_builds import describe_event as describe_build_event


def short_sql(sql: str, width: int = 72) -> str:
    """The statement on one line, cut to `width` characters."""
    flat = " ".join(sql.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def describe_lock_wait(event: LockWait) -> str:
    """`waiting for ACCESS EXCLUSIVE lock on users: held by pid 42 (idle in transaction, 3.1s): UPDATE ...`."""
    what = f"{event.lock_mode} lock" if event.lock_mode else "a lock"
    on = f" on {event.relation}" if event.relation else ""
    if event.blocker_pid is None:
        holder = "holder unknown (the wait ended before it could be seen)"
    else:
        facts = [f for f in (event.blocker_state,
                             f"{event.blocker_age_seconds:.1f}s" if event.blocker_age_seconds is not None else None)
                 if f]
        # the mode above is what we asked for; the blocker's own mode is said apart (issue 12, defect 4)
        conflicting = f"a conflicting lock ({event.blocker_mode})" if event.blocker_mode else "a conflicting lock"
        holder = f"{conflicting} held by pid {event.blocker_pid}" + (f" ({', '.join(facts)})" if facts else "")
        if event.blocker_query:
            holder += f": {short_sql(event.blocker_query, 60)}"
        if event.blocker_waits_for:  # the wait chain: the blocker waits too, down to who holds it all
            holder += f"; {wait_chain(event.blocker_pid, event.blocker_waits_for)}"
    if event.retry_in_seconds is not None:
        return f"lock timeout waiting for {what}{on}, {holder}; retry {event.attempt} in {event.retry_in_seconds:.2f}s"
    return f"waiting for {what}{on}, {holder}"


def wait_chain(pid: int, waits_for) -> str:
    """`pid 12 itself waits for pid 11 → pid 10 (the last one holds what the chain waits for)`."""
    chain = " → ".join(f"pid {p}" for p in waits_for)
    last = " (the last one holds what the chain waits for)" if len(tuple(waits_for)) > 1 else ""
    return f"pid {pid} itself waits for {chain}{last}"


def describe_queue(event: LockQueue) -> str:
    """`3 session(s) queue behind its AccessExclusiveLock request on t: pids 12, 13, 14`."""
    behind = event.behind
    what = f"its {event.lock_mode} request" if event.lock_mode else "its lock request"
    on = f" on {event.relation}" if event.relation else ""
    if not behind:
        return f"no session queues behind {what}{on} any more"
    pids = ", ".join(str(s.pid) for s in behind[:8]) + (" …" if len(behind) > 8 else "")
    return f"{len(behind)} session(s) queue behind {what}{on} (blocked until it is granted): pids {pids}"


class EventDescriber:
    """Turns events into the sentences both printers show; remembers the statements by index."""

    def __init__(self) -> None:
        self.total_steps = 0
        self.total_groups = 0
        self.sql: dict[int, str] = {}
        self._queued: dict[int, int] = {}  # sessions last said to queue behind each step

    def tag(self, index: int) -> str:
        return f"[{index + 1}/{self.total_steps}]"

    def describe(self, event: Event) -> str | None:
        if isinstance(event, PlanStarted):
            self.total_steps, self.total_groups = event.total_steps, event.total_groups
            return f"\nApplying {event.total_steps} steps in {event.total_groups} groups."
        if isinstance(event, GroupStarted):
            how = "in a transaction" if event.transactional else "without a transaction"
            return f"Group {event.group + 1}/{self.total_groups} ({how})"
        if isinstance(event, StepStarted):
            self.sql[event.index] = event.message or event.sql
            return None
        if isinstance(event, StepFinished):
            return f"{self.tag(event.index)} {short_sql(self.sql.get(event.index, ''))} done in {event.duration_seconds:.1f}s"
        if isinstance(event, Progress):
            percent = f" {event.percent:.0f}%" if event.percent is not None else ""
            return f"{self.tag(event.index)} {event.phase}{percent}"
        if isinstance(event, LockWait):
            return f"{self.tag(event.index)} {describe_lock_wait(event)}"
        if isinstance(event, LockQueue):  # said when the number of sessions behind us changes
            behind = event.behind
            if self._queued.get(event.index, 0) == len(behind):
                return None
            self._queued[event.index] = len(behind)
            return f"{self.tag(event.index)} {describe_queue(event)}"
        if isinstance(event, Notice):
            return event.message
        if isinstance(event, GroupRolledBack):
            return f"Group {event.group + 1} rolled back ({event.reason.splitlines()[0] if event.reason else 'failed'})"
        build = describe_build_event(event)  # an index build waiting for other sessions
        if build:
            return f"{self.tag(event.index)} {build}" if event.index is not None else build
        return None


class PlainPrinter:
    """One line per event worth reading; progress lines only when the phase or a 10% mark changes."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None):
        self.out, self.err = out or sys.stdout, err or sys.stderr
        self.words = EventDescriber()
        self._last_progress: dict[int, tuple[str, int]] = {}

    def handle(self, event: Event) -> None:
        if isinstance(event, Progress):
            mark = (event.phase, int((event.percent or 0) // 10))
            if self._last_progress.get(event.index) == mark:
                return
            self._last_progress[event.index] = mark
        if isinstance(event, StepFailed):
            print_failure(event, self.words, self.err)
            return
        if isinstance(event, PlanFinished):
            print_finish(event, self.out, self.err)
            return
        line = self.words.describe(event)
        if line:
            print(line, file=self.out, flush=True)

    def close(self) -> None:
        pass


class RichPrinter:
    """A bar for the whole plan and one for the running step, with the sentences printed above."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress as Bars, TaskProgressColumn, TextColumn, TimeElapsedColumn

        self.console = Console()
        self.words = EventDescriber()
        self.bars = Bars(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                         TimeElapsedColumn(), TextColumn("{task.fields[phase]}"), console=self.console,
                         transient=True)
        self.plan_bar = None
        self.step_bar = None
        self.bars.start()

    def handle(self, event: Event) -> None:
        if isinstance(event, PlanStarted):
            self.plan_bar = self.bars.add_task("plan", total=max(event.total_steps, 1), phase="")
        if isinstance(event, StepStarted):
            if self.step_bar is not None:
                self.bars.remove_task(self.step_bar)
            self.step_bar = self.bars.add_task(
                f"{self.words.tag(event.index)} {short_sql(event.message or event.sql, 40)}", total=100, phase="")
        if isinstance(event, Progress) and self.step_bar is not None and event.percent is not None:
            self.bars.update(self.step_bar, completed=event.percent, phase=event.phase)
        if isinstance(event, StepFinished) and self.plan_bar is not None:
            self.bars.advance(self.plan_bar)
            if self.step_bar is not None:
                self.bars.remove_task(self.step_bar)
                self.step_bar = None
        if isinstance(event, StepFailed):
            self.close()
            print_failure(event, self.words, sys.stderr)
            return
        if isinstance(event, PlanFinished):
            self.close()
            print_finish(event, sys.stdout, sys.stderr)
            return
        if isinstance(event, Progress):
            return  # the bar shows it
        line = self.words.describe(event)
        if line:
            self.bars.console.print(line, markup=False, highlight=False, no_wrap=True, overflow="ellipsis")

    def close(self) -> None:
        if self.bars.live.is_started:
            self.bars.stop()


def print_failure(event: StepFailed, words: EventDescriber, err: TextIO) -> None:
    print(f"{words.tag(event.index)} FAILED", file=err)
    print(event.error, file=err)
    print("Failing statement:", file=err)
    print("    " + event.sql.strip().replace("\n", "\n    "), file=err, flush=True)


def print_finish(event: PlanFinished, out: TextIO, err: TextIO) -> None:
    if event.success:
        print(f"{event.message} ({event.duration_seconds:.1f}s)".strip(), file=out, flush=True)
    else:
        print(f"Apply failed after {event.duration_seconds:.1f}s.", file=err)
        print(event.message, file=err, flush=True)


def make_printer(use_rich: bool | None = None):
    """A RichPrinter (bars) when stdout is a terminal, else plain lines (pipes, files, CI logs)."""
    if use_rich is None:
        use_rich = sys.stdout.isatty()
    return RichPrinter() if use_rich else PlainPrinter()

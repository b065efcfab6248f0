"""Apply mode: confirm, run the plan in a worker thread, and watch steps, progress, locks and log."""
from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, RichLog, Static

from pgschema_tui.apply import events as ev
from pgschema_tui.tui.apply_state import WAITING, ApplyState, lock_wait_text
from pgschema_tui.tui.formatting import duration
from pgschema_tui.tui.labels import fitted_title
from pgschema_tui.tui.messages import ApplyCrashed, ApplyEvent
from pgschema_tui.tui.stale_plan import CheckAborted, PreApplyCheck
from pgschema_tui.tui.widgets.apply_progress import ApplyProgress
from pgschema_tui.tui.widgets.apply_steps import ApplySteps
from pgschema_tui.tui.widgets.ddl_pane import DdlPane
from pgschema_tui.tui.widgets.filter_bar import FilterBar
from pgschema_tui.tui.widgets.lock_table import LockTable
from pgschema_tui.tui.widgets.mode_bar import ModeBar
from pgschema_tui.tui.screens.mode_screen import ModeScreen
from pgschema_tui.tui.widgets.footer import QuietFooter


class ApplyScreen(ModeScreen):
    """Runs the plan once; every event is folded into `self.state` and redrawn."""

    AUTO_FOCUS = "#apply-steps"

    BINDINGS = [
        Binding("A", "start_apply", "Apply…"),
        Binding("X", "abort", "Abort…"),
        Binding("h", "hazards", "Hazards"),
        Binding("p", "pause", "Pause/resume"),
        Binding("u", "up_to_group", "Apply up to group…", show=False),
        Binding("C", "replan_continue", "Re-plan and continue", show=False),
        Binding("k", "signal_blocker(False)", "Cancel the blocker's query…", show=False),
        Binding("K", "signal_blocker(True)", "Terminate the blocker's session…", show=False),
        Binding("slash", "filter", "Filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state = ApplyState(len(self.app.session.refs))
        self._logged = 0
        self._exit_after_abort = False
        self._executor = None
        self._check: PreApplyCheck | None = None
        from pgschema_tui.apply.control import ApplyControl

        self._control = ApplyControl()  # pause / up to group N, asked by the executor between groups
        self._continue_after_stop = False  # C while paused: stop the run, then re-plan

    def compose(self) -> ComposeResult:
        yield ModeBar("apply", self.app.source_label)
        yield Static(id="apply-status")
        yield FilterBar("filter steps: path, kind, operation, hazard or SQL text", id="apply-filter")
        yield ApplyProgress(id="apply-progress")
        with Horizontal(id="apply-body"):
            yield ApplySteps(self.app.session, id="apply-steps")
            with Vertical(id="apply-right"):
                yield DdlPane("Running statement", id="apply-sql")
                yield LockTable(id="apply-locks")
        yield RichLog(id="apply-log", wrap=True, min_width=20, markup=False, auto_scroll=True, max_lines=5000)
        yield QuietFooter(compact=True)

    def on_mount(self) -> None:
        self.app.apply_screen = self
        self.query_one("#apply-steps").border_title = "Steps"
        self.query_one("#apply-locks").border_title = "Lock waits"
        self.query_one("#apply-log").border_title = "Log"
        self.query_one(DdlPane).show_text("Nothing is running.")
        self.set_interval(0.5, self._tick)
        self.redraw()

    # ------------------------------------------------------------- drawing ---

    _drawn_marks: frozenset | None = None

    def redraw(self) -> None:
        state = self.state
        self._drawn_marks = frozenset(self.app.session.acknowledged_hazards)
        self.query_one("#apply-status", Static).update(self._status_text())
        self.query_one(ApplyProgress).show(state)
        self.query_one(ApplySteps).show(state)
        self.query_one(LockTable).show(state)
        # while something waits for a lock, the Lock waits panel takes the room the statement
        # does not need: its blocker, query, chain and queue were cut off at 120x36 (app.tcss)
        waiting = bool(state.lock_waits) or (state.lock_queue is not None and bool(state.lock_queue.behind))
        self.query_one("#apply-right").set_class(waiting, "-lock-wait")
        log = self.query_one(RichLog)
        for line in state.log[self._logged:]:
            log.write(line)
        self._logged = len(state.log)

    def _status_text(self) -> Text:
        state, session = self.state, self.app.session
        target = self.app.settings.describe() if self.app.settings else "no database connection"
        if state.phase == "ready":
            if not session.refs:
                return Text(" Nothing to apply: the plan is empty.")
            left, blocking = session.hazards_left(), session.blocking_left()
            text = Text(f" Ready to apply {len(session.refs)} steps in {len(session.plan.groups)} groups to {target}. ")
            if blocking:
                kinds = ", ".join(sorted({session.ref(i).step.hazards[k].type for i, k in blocking}))
                text.append(f"{len(left)} unacknowledged hazard(s), {len(blocking)} blocking ({kinds}): "
                            f"acknowledge each with h (or a in Review).", style="bold red")
            elif left:
                text.append(f"{len(left)} unacknowledged hazard(s) (none blocking; h lists them). ", style="yellow")
                text.append("Press A to apply.", style="bold")
            else:
                text.append("Press A to apply.", style="bold")
            text.append(self._limit_text())
            return text
        if state.phase == "checking":
            text = Text(" Pre-apply check" + (" (abort requested)" if state.abort_requested else "") + ": ",
                        style="bold")
            text.append(f"re-inspecting {session.plan.schema} on {target}")
            if state.lock_waits:
                wait = next(iter(state.lock_waits.values()))
                text.append(f"; {lock_wait_text(wait)}", style="bold yellow")
                text.append(" · X aborts")
            else:
                text.append("…")
            return text
        if state.phase == "running":
            text = Text(" Applying" + (" (abort requested)" if state.abort_requested else "") + ": ", style="bold")
            text.append(f"{state.done_count}/{state.total_steps} steps done")
            if state.current is not None and state.current in state.started_at:
                text.append(self._current_step_text(state))
            if self._control.pause_requested:
                text.append(f" · pause requested: {self._pause_point()}; p cancels", style="bold yellow")
            text.append(self._limit_text())
            return text
        if state.phase == "paused":
            if state.next_step is not None:  # inside a group that runs without a transaction
                group = (state.next_group or 0) + 1
                text = Text(f" Paused after step {state.next_step} (group {group} runs without a transaction: "
                            f"its steps so far are committed): ", style="bold yellow")
                after = f"step {state.next_step + 1} next"
            else:
                where = (f"after group {state.paused_after + 1}" if state.paused_after is not None
                         else "before the first group")
                text = Text(f" Paused {where}: ", style="bold yellow")
                after = f"group {(state.next_group or 0) + 1} next"
            text.append(f"{state.done_count}/{state.total_steps} steps done; nothing runs and no transaction is "
                        f"open. p resumes ({after}) · C re-plans from the database and continues · X stops here.")
            return text
        groups = ", ".join(str(g + 1) for g in state.committed_groups) or "none"
        verdict = {"succeeded": ("Applied", "bold green"), "failed": ("Failed", "bold red"),
                   "stopped": ("Stopped", "bold yellow"),
                   "aborted": ("Aborted", "bold yellow")}[state.phase]
        text = Text(f" {verdict[0]}: ", style=verdict[1])
        text.append(f"{state.done_count}/{state.total_steps} steps; committed groups: {groups}.")
        if state.message:
            text.append(f" {state.message}")
        if state.phase != "succeeded" and self.app.replan is not None:
            text.append(" C re-plans from the database and continues.", style="bold")
        return text

    def on_screen_resume(self) -> None:
        """Back from Review: hazards may have been acknowledged there since (before an apply, the
        only thing that changes while hidden: events redraw as they come)."""
        if self.shown_again() and (self.state.phase != "ready"
                                   or frozenset(self.app.session.acknowledged_hazards) != self._drawn_marks):
            self.redraw()

    def _tick(self) -> None:
        if self.state.phase in ("running", "checking", "paused"):
            self.query_one("#apply-status", Static).update(self._status_text())

    # -------------------------------------------------------------- events ---

    @on(ApplyEvent)
    def _on_apply_event(self, message: ApplyEvent) -> None:
        event = message.event
        self.state.record(event)
        if isinstance(event, ev.StepStarted):
            self.query_one(DdlPane).show_sql(event.sql, title=self._step_title(event.index, f"Step {event.index + 1}: "))
        elif isinstance(event, ev.StepFailed):
            self.query_one(DdlPane).show_sql(event.sql, title=self._step_title(event.index, f"Failed step {event.index + 1}: "))
        if isinstance(event, ev.PlanFinished):
            self.query_one(DdlPane).border_title = "Last statement"
            self._finished()
        self.redraw()

    def _step_title(self, index: int, prefix: str) -> str:
        session = self.app.session
        if not 0 <= index < len(session.refs):
            return prefix.rstrip(": ")
        ref = session.ref(index)
        width = (self.query_one(DdlPane).size.width or 40) - 6
        return fitted_title(prefix, session.label(ref), session.action(ref), width)

    @on(ApplyCrashed)
    def _on_crash(self, message: ApplyCrashed) -> None:
        self.state.record(ev.PlanFinished(success=False, applied_groups=self.state.committed_groups,
                                          message=message.error, at=self.app.clock()))
        self._finished()
        self.redraw()

    def _finished(self) -> None:
        self.app.applying = False
        if self._exit_after_abort:
            self.app.exit()
        elif self._continue_after_stop:
            self._continue_after_stop = False
            self._replan_and_continue()

    def _limit_text(self) -> str:
        limit = self._control.stop_after_group
        if limit is None:
            return ""
        groups = len(self.app.session.plan.groups)
        rest = f"; group(s) {limit + 2}-{groups} will not run" if limit + 2 <= groups else ""
        return f" Apply up to group {limit + 1}{rest} (u changes it)."

    # ------------------------------------------------------------- actions ---

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_hazards(self) -> None:
        from pgschema_tui.tui.screens.hazards import HazardsScreen

        self.app.push_screen(HazardsScreen(self.app.session), lambda _: self.redraw())

    @on(Input.Changed, "#apply-filter")
    def _on_filter(self, event: Input.Changed) -> None:
        self.query_one(ApplySteps).filter(event.value)

    @on(FilterBar.Closed)
    def _on_filter_closed(self) -> None:
        self.query_one(ApplySteps).focus()

    def action_start_apply(self) -> None:
        from pgschema_tui.tui.screens.confirm import TypeYesScreen

        session = self.app.session
        if self.state.phase == "succeeded":
            self.notify("This plan has been applied. Press r to re-plan from the database.", severity="warning")
            return
        if self.state.phase in ("failed", "aborted", "stopped"):
            self.notify(f"The apply {'failed' if self.state.phase == 'failed' else 'stopped'}; committed groups "
                        "stay applied. Press C to re-plan from the database and continue with the new plan.",
                        severity="warning", timeout=8)
            return
        if self.state.phase != "ready":
            self.notify("An apply is running.", severity="warning")
            return
        if not session.refs:
            self.notify("Nothing to apply.")
            return
        if self.app.settings is None:
            self.notify("No database connection: open the reviewer with connection flags to apply.",
                        severity="error")
            return
        blocking = session.blocking_left()
        if blocking:
            names = ", ".join(f"step {i + 1} {session.ref(i).step.hazards[k].type}" for i, k in blocking[:3])
            self.notify(f"Acknowledge every blocking hazard first (h): {names}"
                        + (" …" if len(blocking) > 3 else ""), severity="error", timeout=6)
            return
        left = session.hazards_left()
        acknowledged = len(session.acknowledged_hazards)
        detail = (f"{len(session.refs)} steps in {len(session.plan.groups)} groups on "
                  f"{self.app.settings.describe()}; {acknowledged} acknowledged hazard(s).")
        if left:
            kinds = ", ".join(sorted({session.ref(i).step.hazards[k].type for i, k in left}))
            detail += f" {len(left)} not acknowledged: {kinds}."

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._start()

        self.app.push_screen(TypeYesScreen("Apply this plan?", detail), confirmed)

    def _start(self) -> None:
        from pgschema_tui.apply.executor import Executor
        from pgschema_tui.apply.options import ApplyOptions

        plan = self.app.session.plan
        options = self.app.apply_options or ApplyOptions(schema=plan.schema)
        # every blocking hazard of the plan was acknowledged (action_start_apply), one by one: the
        # kinds all of whose hazards were acknowledged are the consent the executor's data-loss guard
        # asks for (`--allow-hazards`); hazards the plan does not list stay guarded
        acknowledged = self.app.session.acknowledged_kinds()
        options = replace(options, allow_hazards=options.allow_hazards | acknowledged)
        self._executor = Executor(plan, self.app.settings, options, control=self._control)
        self._check = PreApplyCheck(plan, self.app.settings, options)  # bounded as the apply is
        self.state.phase = "checking"
        self.app.applying = True
        self.query_one(DdlPane).show_text(
            f"Pre-apply check: re-inspecting schema {plan.schema} to make sure it still matches the plan…")
        self.redraw()
        self._run_apply()

    @work(thread=True, exclusive=True, group="apply", exit_on_error=False)
    def _run_apply(self) -> None:
        """Check the fingerprint, then iterate the executor's events here and post each one."""
        try:
            try:
                changed = self._check.run(
                    on_wait=lambda blockers: [self.post_message(ApplyEvent(b.lock_wait(-1, 0))) for b in blockers])
            except CheckAborted:
                self.post_message(ApplyCrashed("aborted during the pre-apply check: nothing was applied"))
                return
            if changed:
                self.post_message(ApplyCrashed(
                    "the schema changed since the plan was made; nothing was applied: " + ", ".join(changed[:5])))
                return
            for event in self._executor.events():
                self.post_message(ApplyEvent(event))
        except Exception as exc:  # noqa: BLE001 - shown in the app, never a traceback
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.post_message(ApplyCrashed(first))

    # ------------------------------------------------------------ controls ---

    def action_pause(self) -> None:
        """Pause after the current group (at its commit), or resume a paused run."""
        control, state = self._control, self.state
        if state.phase == "paused" or (control.pause_requested and state.phase == "running"):
            control.resume()
            self.state.log.append("resume requested" if state.phase == "paused" else "pause cancelled")
        elif state.phase in ("running", "checking"):
            control.pause()
            self.state.log.append(f"pause requested: {self._pause_point()}")
        else:
            self.notify("Nothing is running to pause.")
            return
        self.redraw()

    def _current_step_text(self, state: ApplyState) -> str:
        """` · step 3 running for 1.0 s`, or with its lock waits apart as its row shows them:
        ` · step 3 waiting for a lock: waited 4.0 s, ran 1.0 s` (issue 12, defect 5)."""
        index, now = state.current, self.app.clock()
        ran, waited = state.ran_so_far(index, now), state.waited_so_far(index, now)
        if state.step_states[index] == WAITING:
            return f" · step {index + 1} waiting for a lock: waited {duration(waited)}, ran {duration(ran)}"
        if waited >= 0.05:
            return f" · step {index + 1} running for {duration(ran)} (after waiting {duration(waited)})"
        return f" · step {index + 1} running for {duration(ran)}"

    def _pause_point(self) -> str:
        """Where a pause asked now takes effect: a pause never holds a transaction open, so inside
        one it waits for the commit (the group's, or the whole plan's); a group that runs without
        a transaction commits each step, so it pauses after the current step."""
        plan, current = self.app.session.plan, self.state.current
        if current is None or self.state.phase == "checking":
            return "pausing before the first group"
        group = self.app.session.ref(current).group
        if len(plan.groups) > 1 and all(g.transactional for g in plan.groups):
            return ("pausing when the transaction commits: the whole plan runs in one transaction, so that is "
                    "after its last step")
        if plan.groups[group].transactional:
            return f"pausing when group {group + 1}'s transaction commits (after its last step)"
        return (f"pausing after the current step (step {current + 1}; group {group + 1} runs without a "
                f"transaction: each step commits on its own)")

    def action_up_to_group(self) -> None:
        from pgschema_tui.tui.screens.ask import AskScreen

        if self.state.finished:
            self.notify("This apply has ended; C re-plans and continues.", severity="warning")
            return
        groups = len(self.app.session.plan.groups)

        def answered(value: str | None) -> None:
            if value is None:
                return
            if value == "":
                self._control.set_stop_after(None)
            elif value.isdigit() and 1 <= int(value) <= groups:
                self._control.set_stop_after(int(value) - 1)
            else:
                self.notify(f"Give a group number from 1 to {groups} (empty: the whole plan).", severity="error")
                return
            self.redraw()

        note = ("" if self.state.phase == "ready" else
                " Taken into account at the next commit (a plan that runs in one transaction cannot stop inside it).")
        self.app.push_screen(AskScreen(f"Apply up to which group (1-{groups})?",
                                       "The run stops after that group; the summary says what is not run. "
                                       "Empty: the whole plan." + note, placeholder=str(groups)), answered)

    def action_replan_continue(self) -> None:
        """After a failure, a stop or while paused: re-inspect, re-plan from the live database,
        show the new plan and continue with it once confirmed."""
        if self.app.replan is None:
            self.notify("Re-planning needs the desired files and a database connection (review --file).",
                        severity="error", timeout=6)
            return
        if self.state.phase == "paused":
            self._continue_after_stop = True
            self.state.log.append("stopping here to re-plan from the database")
            self._control.stop()
            self.redraw()
            return
        if self.state.phase not in ("failed", "aborted", "stopped"):
            self.notify("Re-plan and continue is for after a failure or a stop, or while paused (p).",
                        severity="warning")
            return
        self._replan_and_continue()

    def _replan_and_continue(self) -> None:
        app = self.app
        old, log = app.session, list(self.state.log)
        self.state.log.append("re-inspecting the database and planning again…")
        self.redraw()

        def work() -> None:
            try:
                session = app.replan()
            except Exception as exc:  # noqa: BLE001 - one line in the app, never a traceback
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                app.call_from_thread(app.notify, f"Re-plan failed: {first}", severity="error", timeout=8)
                return
            carry_acknowledgements(old, session)
            app.call_from_thread(_continue_with, app, session, log)

        app.run_worker(work, thread=True, exclusive=True, group="replan", exit_on_error=False)

    def action_signal_blocker(self, terminate: bool) -> None:
        """Cancel the query of (k) or terminate (K) the session the running step waits for,
        once confirmed; sent only if it still blocks the apply (apply/blockers.py)."""
        from pgschema_tui.tui.screens.confirm import ConfirmScreen

        waits = [w for w in self.state.lock_waits.values() if w.blocker_pid is not None]
        if self.state.phase != "running" or not waits or self._executor is None:
            self.notify("No session blocks a running step now.")
            return
        wait = waits[-1]
        pid = wait.blocker_pid
        facts = ", ".join(f for f in (wait.blocker_state, f"holds {wait.blocker_mode}" if wait.blocker_mode else None)
                          if f)
        query = " ".join((wait.blocker_query or "").split())[:300]
        if terminate:
            question = f"Terminate the session of pid {pid}?"
            effect = ("pg_terminate_backend: its connection ends and its open transaction is rolled back; "
                      "whatever that application was doing fails.")
        else:
            question = f"Cancel the query of pid {pid}?"
            effect = ("pg_cancel_backend: its running query fails, its session goes on (a session idle in "
                      "its transaction keeps its locks: K terminates it).")
        detail = (f"It blocks step {wait.index + 1}" + (f" ({facts})" if facts else "") + ".\n"
                  + (f"Its query: {query}\n" if query else "") + effect)
        ours = self._executor.backend_pid

        def answered(yes: bool | None) -> None:
            if yes:
                self._signal(pid, ours, terminate)

        self.app.push_screen(ConfirmScreen(question, detail), answered)

    def _signal(self, pid: int, ours: int | None, terminate: bool) -> None:
        from pgschema_tui.apply.blockers import signal_blocker

        settings = self.app.settings

        def work() -> None:
            said = signal_blocker(settings, pid, ours, terminate)
            self.app.call_from_thread(self._said, said)

        self.app.run_worker(work, thread=True, group="signal", exit_on_error=False)

    def _said(self, text: str) -> None:
        self.state.log.append(text)
        self.notify(text, timeout=6)
        self.redraw()

    def action_abort(self) -> None:
        if not self.app.applying:
            self.notify("Nothing is running.")
            return
        from pgschema_tui.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.request_abort()

        detail = ("Nothing runs now; the groups left are not run; committed groups stay applied."
                  if self.state.phase == "paused" else
                  "The running statement is cancelled; committed groups stay applied.")
        self.app.push_screen(ConfirmScreen("Abort the apply?", detail), answered)

    def request_abort(self, then_exit: bool = False) -> None:
        """Cancel the running statement through the executor (or the pre-apply check's query);
        nothing more runs after it."""
        self.state.abort_requested = True
        self._exit_after_abort = then_exit
        if self._check is not None:
            self._check.abort()
        if self._executor is not None:
            self._executor.abort()
        self.state.log.append("abort requested: cancelling the running statement")
        self.redraw()



def carry_acknowledgements(old, new) -> None:
    """Hazards the user acknowledged keep their mark in a re-made plan when the same statement
    carries the same hazard on the same relation; anything new is left to acknowledge."""
    acked = {(r.step.path, r.step.sql, r.step.hazards[k].type, r.step.hazards[k].relation)
             for r in old.refs for k in range(len(r.step.hazards)) if (r.index, k) in old.acknowledged_hazards}
    for ref in new.refs:
        for k, hazard in enumerate(ref.step.hazards):
            if (ref.step.path, ref.step.sql, hazard.type, hazard.relation) in acked:
                new.acknowledged_hazards.add((ref.index, k))


async def _continue_with(app, session, log: list[str]) -> None:
    """Show the re-made plan in every mode, then ask before applying it."""
    from pgschema_tui.tui.screens.confirm import TypeYesScreen

    await app.load_session(session)
    screen = app.apply_screen
    summary = session.summary()
    note = (f"re-planned from the live database: {len(session.refs)} step(s) in {len(session.plan.groups)} "
            f"group(s); {summary.plan_line()}")
    if screen is not None:
        screen.state.log[:0] = [*log, note]
        screen.redraw()
    if not session.refs:
        app.notify("Nothing left to apply: the database is in the desired state.", timeout=8)
        return
    blocking = session.blocking_left()
    if blocking:
        app.notify(f"The new plan has {len(blocking)} blocking hazard(s) not acknowledged before: "
                   f"acknowledge them (h), then press A.", severity="warning", timeout=10)
        return
    titles = [f"  {r.index + 1}. {session.title(r)}" for r in session.refs[:12]]
    if len(session.refs) > 12:
        titles.append(f"  … and {len(session.refs) - 12} more (Review mode shows them all)")
    left = session.hazards_left()
    detail = (f"{summary.plan_line()}: {len(session.refs)} step(s) in {len(session.plan.groups)} group(s) on "
              f"{app.settings.describe()}.\n" + "\n".join(titles)
              + (f"\n{len(left)} hazard(s) not acknowledged (none blocking)." if left else ""))

    def confirmed(yes: bool | None) -> None:
        if yes and app.apply_screen is not None:
            app.apply_screen._start()

    app.push_screen(TypeYesScreen("Continue with the new plan?", detail), confirmed)

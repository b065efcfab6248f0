"""Apply mode: confirm, run the plan in a worker thread, and watch steps, progress, locks and log."""
from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, RichLog, Static

from pgschema_tui.apply import events as ev
from pgschema_tui.tui.apply_state import ApplyState, lock_wait_text
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


class ApplyScreen(Screen):
    """Runs the plan once; every event is folded into `self.state` and redrawn."""

    AUTO_FOCUS = "#apply-steps"

    BINDINGS = [
        Binding("A", "start_apply", "Apply…"),
        Binding("X", "abort", "Abort…"),
        Binding("h", "hazards", "Hazards"),
        Binding("slash", "filter", "Filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state = ApplyState(len(self.app.session.refs))
        self._logged = 0
        self._exit_after_abort = False
        self._executor = None
        self._check: PreApplyCheck | None = None

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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.apply_screen = self
        self.query_one("#apply-steps").border_title = "Steps"
        self.query_one("#apply-locks").border_title = "Lock waits"
        self.query_one("#apply-log").border_title = "Log"
        self.query_one(DdlPane).show_text("Nothing is running.")
        self.set_interval(0.5, self._tick)
        self.redraw()

    # ------------------------------------------------------------- drawing ---

    def redraw(self) -> None:
        state = self.state
        self.query_one("#apply-status", Static).update(self._status_text())
        self.query_one(ApplyProgress).show(state)
        self.query_one(ApplySteps).show(state)
        self.query_one(LockTable).show(state)
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
                elapsed = max(0.0, self.app.clock() - state.started_at[state.current])
                text.append(f" · step {state.current + 1} running for {duration(elapsed)}")
            return text
        groups = ", ".join(str(g + 1) for g in state.committed_groups) or "none"
        verdict = {"succeeded": ("Applied", "bold green"), "failed": ("Failed", "bold red"),
                   "aborted": ("Aborted", "bold yellow")}[state.phase]
        text = Text(f" {verdict[0]}: ", style=verdict[1])
        text.append(f"{state.done_count}/{state.total_steps} steps; committed groups: {groups}.")
        if state.message:
            text.append(f" {state.message}")
        return text

    def on_screen_resume(self) -> None:
        """Back from Review: hazards may have been acknowledged there since."""
        if self.is_mounted:
            self.redraw()

    def _tick(self) -> None:
        if self.state.phase in ("running", "checking"):
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
        if self.state.phase in ("failed", "aborted"):
            self.notify(f"The apply {'stopped' if self.state.phase == 'aborted' else 'failed'}; committed groups "
                        "stay applied. Press r to re-plan from the database, then apply the new plan.",
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
        self._executor = Executor(plan, self.app.settings, options)
        self._check = PreApplyCheck(plan, self.app.settings)
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

    def action_abort(self) -> None:
        if not self.app.applying:
            self.notify("Nothing is running.")
            return
        from pgschema_tui.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.request_abort()

        self.app.push_screen(ConfirmScreen("Abort the apply?",
                                           "The running statement is cancelled; committed groups stay applied."),
                             answered)

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


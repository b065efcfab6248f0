"""Fleet mode: the targets grouped by identical plan; a group opens in Review; the fleet is
applied from here and every target's progress, outcome and error is shown.

Applying asks what the single-target Apply asks: every blocking hazard acknowledged (in each
group's Review, one by one), then `yes` typed under the list of the databases and schemas it
writes to. Each target is then applied on its own by the runner the command gave the app
(`commands/fleet_review.py`): its own connection, advisory lock, fingerprint check and hazard
recount, the hazards acknowledged in its own group as its `--allow-hazards`.
"""
from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from pgschema_tui.fleet.outcomes import APPLIED, FAILED, NO_CHANGES, SKIPPED
from pgschema_tui.tui.fleet_model import CHECKING, QUEUED, RUNNING, FleetEvent, FleetSession, member_names
from pgschema_tui.tui.widgets.fleet_groups import FleetGroups, hazard_line
from pgschema_tui.tui.widgets.fleet_targets import FleetTargets
from pgschema_tui.tui.widgets.mode_bar import ModeBar


class FleetProgress(Message):
    """A `FleetEvent` from the runner's threads."""

    def __init__(self, event: FleetEvent) -> None:
        super().__init__()
        self.event = event


class FleetRunEnded(Message):
    """The runner returned (`error` is empty) or raised (its first line)."""

    def __init__(self, error: str = "") -> None:
        super().__init__()
        self.error = error


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class FleetScreen(Screen):
    """Groups (left), the selected group (right), every target (below), failures (bottom)."""

    AUTO_FOCUS = "#fleet-groups"

    DEFAULT_CSS = """
    #fleet-status { height: auto; max-height: 3; }
    #fleet-top { height: 2fr; min-height: 5; }
    #fleet-groups { width: 3fr; border: round $primary-darken-2; }
    #fleet-groups:focus { border: round $accent; }
    #fleet-group { width: 2fr; height: 1fr; overflow-y: auto; border: round $primary-darken-2; padding: 0 1; }
    #fleet-targets { height: 3fr; min-height: 5; border: round $primary-darken-2; }
    #fleet-targets:focus { border: round $accent; }
    #fleet-failures { height: auto; max-height: 7; border: round $error; padding: 0 1; }
    """

    BINDINGS = [
        Binding("h", "hazards", "Hazards"),
        Binding("A", "start_apply", "Apply fleet…"),
        Binding("X", "abort", "Abort…"),
    ]

    @property
    def fleet(self) -> FleetSession:
        return self.app.fleet

    def compose(self) -> ComposeResult:
        yield ModeBar("fleet", self.fleet.source)
        yield Static(id="fleet-status")
        with Horizontal(id="fleet-top"):
            yield FleetGroups(self.fleet, id="fleet-groups")
            yield Static(id="fleet-group")
        yield FleetTargets(self.fleet, id="fleet-targets")
        yield Static(id="fleet-failures")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.fleet_screen = self
        self.query_one("#fleet-groups").border_title = "Plans"
        self.query_one("#fleet-groups").border_subtitle = "enter: review"
        self.query_one("#fleet-targets").border_title = "Targets"
        self.query_one("#fleet-failures").border_title = "Failed"
        self._dirty = False
        self.set_interval(0.2, self._flush)  # the status and failures, at most 5 times a second
        self.redraw()

    def on_screen_resume(self) -> None:
        """Back from a group's Review: its hazards may have been acknowledged there."""
        if self.is_mounted:
            self.query_one(FleetGroups).rebuild()
            self.redraw()

    # ------------------------------------------------------------- drawing ---

    def redraw(self) -> None:
        self.query_one(FleetTargets).show()
        self._redraw_summary()

    def _flush(self) -> None:
        if self._dirty:
            self._redraw_summary()

    def _redraw_summary(self) -> None:
        """Everything but the targets table (events update their own row)."""
        self._dirty = False
        self.query_one("#fleet-status", Static).update(self._status_text())
        self._show_group()
        failures = self.query_one("#fleet-failures", Static)
        failed = self.fleet.failed()
        failures.display = bool(failed)
        if failed:
            text = Text()
            for row in failed[:20]:
                lines = (row.message or "unknown error").strip().splitlines() or ["unknown error"]
                if len(text):
                    text.append("\n")
                text.append(self.fleet.label(row.target), style="bold")
                text.append(": " + " ".join(lines[0].split()))
                for more in lines[1:3]:
                    text.append("\n    " + " ".join(more.split()))
            if len(failed) > 20:
                text.append(f"\n… and {len(failed) - 20} more (the table lists them all)")
            failures.update(text)

    def _status_text(self) -> Text:
        fleet = self.fleet
        databases = {t.database for t in fleet.order}
        text = Text(f" Fleet: {_count(fleet.total, 'target')}"
                    + (f" in {len(databases)} databases" if len(databases) > 1 else "")
                    + f", {_count(len(fleet.groups), 'distinct plan')}; {fleet.changed_targets} with changes"
                    + (f", {len(fleet.planning_failed)} not planned" if fleet.planning_failed else "")
                    + ". ")
        if fleet.phase == "ready":
            blocking = fleet.blocking_left()
            if not fleet.changed_targets:
                text.append("Nothing to apply: every planned target matches the desired state.")
            elif self.app.applier is None:
                text.append("No database connection: applying is disabled.", style="yellow")
            elif blocking:
                where = sorted({f"{fleet.hazard_kind(*b)} in [{b[0]}]" for b in blocking})
                text.append(f"{len(blocking)} blocking hazard(s) not acknowledged ({', '.join(where[:4])}): open "
                            f"the group (enter) and acknowledge each (a), or h here.", style="bold red")
            else:
                left = fleet.hazards_left()
                if left:
                    text.append(f"{len(left)} hazard(s) not acknowledged (none blocking). ", style="yellow")
                text.append("Press A to apply the fleet.", style="bold")
            return text
        counts = fleet.counts()
        done = sum(counts[s] for s in (APPLIED, NO_CHANGES, FAILED, SKIPPED))
        if fleet.phase == "running":
            text.append("Applying" + (" (abort requested)" if fleet.abort_requested else "") + ": ", style="bold")
            text.append(f"{done}/{fleet.total} done")
        else:
            failed = counts[FAILED]
            text.append("Fleet apply finished: ", style="bold red" if failed else "bold green")
        parts = [f"{counts[s]} {word}" for s, word in ((RUNNING, "running"), (CHECKING, "checking"),
                                                       (QUEUED, "queued"), (APPLIED, "applied"),
                                                       (NO_CHANGES, "no changes"), (FAILED, "failed"),
                                                       (SKIPPED, "not started")) if counts[s]]
        text.append((" · " if fleet.phase == "running" else "") + ", ".join(parts) + ".")
        if fleet.phase == "finished":
            text.append(f" Exit status {fleet.exit_code()}" + (" (a target failed)." if fleet.exit_code() else "."))
        return text

    def _show_group(self) -> None:
        pane = self.query_one("#fleet-group", Static)
        number = self.query_one(FleetGroups).group_number
        fleet = self.fleet
        if number is None:
            if fleet.planning_failed and self.query_one(FleetGroups).highlighted is not None:
                pane.border_title = "Not planned"
                text = Text()
                for failed in fleet.planning_failed:
                    first = ((failed.error or "unknown error").strip().splitlines() or [""])[0]
                    text.append(fleet.label(failed.target), style="bold")
                    text.append(f": {first}\n")
                pane.update(text)
            else:
                pane.update("")
            return
        group = fleet.group(number)
        plan = group.plan
        pane.border_title = f"Plan [{number}]"
        text = Text()
        text.append(fleet.group_title(number) + "\n", style="bold")
        if not group.is_empty:
            text.append(f"{len(plan.steps)} step(s) in {len(plan.groups)} transaction group(s); "
                        f"shown for {fleet.label(group.members[0].target)}\n")
        hazards = hazard_line(fleet, number)
        if hazards:
            text.append("hazards: ")
            text.append_text(hazards)
            text.append("\n")
        names = member_names(fleet, number)
        shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        text.append(f"{_count(len(names), 'target')}: ", style="bold")
        text.append(shown)
        pane.update(text)

    # -------------------------------------------------------------- groups ---

    @on(OptionList.OptionHighlighted, "#fleet-groups")
    def _on_highlight(self) -> None:
        self._show_group()

    @on(OptionList.OptionSelected, "#fleet-groups")
    async def _on_select(self) -> None:
        number = self.query_one(FleetGroups).group_number
        if number is None:
            self.notify("These targets could not be planned: their errors are listed on the right.", timeout=4)
            return
        await self.app.open_group(number)

    def action_hazards(self) -> None:
        from pgschema_tui.tui.screens.hazards import HazardsScreen

        number = self.query_one(FleetGroups).group_number
        if number is None or self.fleet.group(number).is_empty:
            self.notify("Put the cursor on a plan with changes first.", timeout=3)
            return
        if not self.fleet.group_session(number).refs or not self.fleet.group_session(number).hazardous():
            self.notify(f"Plan [{number}] has no hazards.", timeout=3)
            return

        def closed(_result) -> None:
            self.query_one(FleetGroups).rebuild()
            self.redraw()

        self.app.push_screen(HazardsScreen(self.fleet.group_session(number)), closed)

    # --------------------------------------------------------------- apply ---

    def action_start_apply(self) -> None:
        from pgschema_tui.tui.screens.confirm import TypeYesScreen

        fleet = self.fleet
        if fleet.phase == "running":
            self.notify("The fleet apply is running.", severity="warning")
            return
        if fleet.phase == "finished":
            self.notify("The fleet was applied (see each target's outcome): quit and review again to plan anew.",
                        severity="warning", timeout=8)
            return
        if not fleet.changed_targets:
            self.notify("Nothing to apply: every planned target matches the desired state.")
            return
        if self.app.applier is None:
            self.notify("No database connection: open the reviewer with connection flags to apply.", severity="error")
            return
        blocking = fleet.blocking_left()
        if blocking:
            names = ", ".join(f"[{g}] step {i + 1} {fleet.hazard_kind(g, i, k)}" for g, i, k in blocking[:3])
            self.notify(f"Acknowledge every blocking hazard first (enter on the plan, then a; or h): {names}"
                        + (" …" if len(blocking) > 3 else ""), severity="error", timeout=8)
            return
        unchanged = fleet.total - fleet.changed_targets - len(fleet.planning_failed)
        changed = fleet.changed_groups()
        lines = [f"{_count(fleet.changed_targets, 'target')} with changes in {_count(len(changed), 'plan')} "
                 f"({', '.join(f'[{n}]' for n in changed)}); {unchanged} without changes (their fingerprints are "
                 f"checked). Writes to:"]
        where = fleet.database_lines()
        lines += [f"  {line}" for line in where[:8]]
        if len(where) > 8:
            lines.append(f"  and {len(where) - 8} more databases ({fleet.total} targets in all)")
        lines.append(f"{fleet.acknowledged_count()} acknowledged hazard(s), each allowed only in its own plan's "
                     f"targets.")
        left = fleet.hazards_left()
        if left:
            kinds = sorted({f"{fleet.hazard_kind(*h)} in [{h[0]}]" for h in left})
            lines.append(f"{len(left)} not acknowledged: {', '.join(kinds[:6])}.")
        if fleet.planning_failed:
            lines.append(f"{_count(len(fleet.planning_failed), 'target')} could not be planned and will not be "
                         f"applied.")
        lines.append("Each target on its own: lock, fingerprint check, hazards recounted; a failed target does "
                     "not stop the others.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._start()

        self.app.push_screen(TypeYesScreen("Apply the fleet?", "\n".join(lines)), confirmed)

    def _start(self) -> None:
        fleet = self.fleet
        work = [(target, plan, fleet.allowed_for(target)) for target, plan in fleet.work()]
        fleet.start()
        self.app.applying = True
        self.redraw()
        self._run_fleet(work)

    @work(thread=True, exclusive=True, group="fleet-apply", exit_on_error=False)
    def _run_fleet(self, work: list) -> None:
        try:
            self.app.applier.run(work, self.app.apply_options, lambda e: self.post_message(FleetProgress(e)))
        except Exception as exc:  # noqa: BLE001 - shown in the app, never a traceback
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.post_message(FleetRunEnded(first))
            return
        self.post_message(FleetRunEnded())

    @on(FleetProgress)
    def _on_progress(self, message: FleetProgress) -> None:
        self.fleet.record(message.event)
        self.query_one(FleetTargets).show_target(message.event.target)
        self._dirty = True

    @on(FleetRunEnded)
    def _on_ended(self, message: FleetRunEnded) -> None:
        self.fleet.finish(message.error)
        self.app.applying = False
        self.redraw()
        if self.app.exit_after_abort:
            self.app.exit_with_code()
        elif message.error:
            self.notify(f"The fleet apply stopped: {message.error}", severity="error", timeout=10)

    def action_abort(self) -> None:
        if self.fleet.phase != "running":
            self.notify("Nothing is running.", timeout=3)
            return
        from pgschema_tui.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.request_abort()

        self.app.push_screen(ConfirmScreen("Abort the fleet apply?",
                                           "The running targets' statements are cancelled (their committed groups "
                                           "stay applied); no other target starts."), answered)

    def request_abort(self) -> None:
        self.fleet.abort_requested = True
        if self.app.applier is not None:
            self.app.applier.abort()
        self.redraw()

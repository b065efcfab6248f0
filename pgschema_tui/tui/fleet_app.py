"""`pgschema-tui review` over several targets: the Fleet mode, and Review of one group's plan.

The reviewer of one plan (`ReviewApp`) with two modes: Fleet (`screens/fleet.py`, the default)
and Review, which shows the plan of the group chosen in Fleet, read-only (a banner names the
group's targets; its hazards are acknowledged there, for that group only). Explore, Graph and
the single-target Apply are not offered: a fleet is applied from the Fleet screen.
"""
from __future__ import annotations

from typing import Any

from textual.binding import Binding

from pgschema_tui.plan.model import Plan
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import Clock, system_clock
from pgschema_tui.tui.dependencies import PlanDependencies
from pgschema_tui.tui.fleet_model import FleetSession, member_names
from pgschema_tui.tui.screens.fleet import FleetScreen
from pgschema_tui.tui.screens.review import ReviewScreen
from pgschema_tui.tui.session import ReviewSession


class FleetApp(ReviewApp):
    """Fleet and Review modes over a `FleetSession`; `applier` applies the fleet (None: read-only).

    `applier.run(work, options, listener)` applies each `(target, plan, allowed hazard kinds)`
    and calls `listener(FleetEvent)` from its threads; `applier.abort()` stops it."""

    TITLE = "pgschema-tui review (fleet)"
    MODES = {"fleet": FleetScreen, "review": ReviewScreen}
    DEFAULT_MODE = "fleet"
    MODE_TABS = (("0", "fleet", "Fleet"), ("1", "review", "Review"))
    BINDINGS = [Binding("0", "switch_mode('fleet')", "Fleet mode", show=False)]

    def __init__(self, fleet: FleetSession, *, applier: Any = None, apply_options: Any = None,
                 clock: Clock = system_clock, source_label: str = "") -> None:
        changed = fleet.changed_groups()
        first = changed[0] if changed else (1 if fleet.groups else None)
        session = fleet.group_session(first) if first else ReviewSession(Plan(schema=""))
        super().__init__(session, apply_options=apply_options, clock=clock,
                         source_label=source_label or fleet.source)
        self.fleet = fleet
        self.applier = applier
        self.group_number: int | None = None  # the group Review shows (None: none opened yet)
        self.fleet_screen: FleetScreen | None = None
        self.exit_after_abort = False
        self.banner = "Open a plan group from the Fleet screen (0)."

    async def open_group(self, number: int) -> None:
        """Show group `number`'s plan in Review mode (its own session: marks persist)."""
        fleet = self.fleet
        group = fleet.group(number)
        self.group_number = number
        self.session = fleet.group_session(number)
        self.dependencies = PlanDependencies(self.session)
        self.selected_step = None
        self.graph_subject = None
        names = member_names(fleet, number)
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        count = f"{len(names)} target{'s' if len(names) != 1 else ''}"
        self.banner = (f"Plan [{number}] of the fleet, for {count}: {shown}. Shown as planned for "
                       f"{fleet.label(group.members[0].target)}; read-only here: acknowledge its hazards (a, H), "
                       f"then apply the fleet from the Fleet screen (0).")
        self.source_label = f"{fleet.source} · plan [{number}]".lstrip(" ·")
        if self.current_mode == "review":
            await self.switch_mode("fleet")
        await self.remove_mode("review")
        self.add_mode("review", ReviewScreen)
        await self.switch_mode("review")

    def action_switch_mode(self, mode: str) -> None:
        if mode == "fleet":
            self.switch_mode("fleet")
        elif mode == "review":
            if self.group_number is None:
                screen = self.fleet_screen
                number = None
                if screen is not None and screen.is_mounted:
                    from pgschema_tui.tui.widgets.fleet_groups import FleetGroups

                    number = screen.query_one(FleetGroups).group_number
                number = number or next(iter(self.fleet.changed_groups()), 1 if self.fleet.groups else None)
                if number is None:
                    self.notify("No plan to review: no target could be planned.", severity="warning")
                    return
                self.run_worker(self.open_group(number), exclusive=True, group="open-group")
                return
            self.switch_mode("review")
        else:
            self.notify("Over a fleet: 0 Fleet (the groups, apply, progress) and 1 Review (the selected plan). "
                        "Explore, Graph and the single-target Apply are for one schema.",
                        severity="warning", timeout=6)

    def action_refresh_plan(self) -> None:
        self.notify("Re-planning a fleet from the reviewer is not supported: quit and run review again.",
                    severity="warning", timeout=6)

    def write_plan(self, json_path):
        self.notify("A group's plan is one target's: write the fleet's plan with "
                    "`pgschema-tui plan --output-json` (one document with every target).",
                    severity="warning", timeout=8)
        return None

    def exit_with_code(self) -> None:
        """Leave with the CLI's exit status: 1 when a target could not be planned or failed to apply."""
        self.exit(return_code=self.fleet.exit_code())

    def action_quit_app(self) -> None:
        if not self.applying:
            self.exit_with_code()
            return
        from pgschema_tui.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.fleet_screen is not None:
                self.exit_after_abort = True
                self.fleet_screen.request_abort()

        self.push_screen(ConfirmScreen("The fleet apply is running. Abort it and quit?",
                                       "The running targets' statements are cancelled; committed groups stay "
                                       "applied; no other target starts."), answered)

    def get_system_commands(self, screen):
        from textual.app import SystemCommand

        yield SystemCommand("Fleet mode", "Plan groups, apply the fleet, progress (0)",
                            lambda: self.action_switch_mode("fleet"))
        yield SystemCommand("Review mode", "The selected group's plan (1)", lambda: self.action_switch_mode("review"))
        yield SystemCommand("Help", "Every key binding of every mode (?)", self.action_help)
        yield from super(ReviewApp, self).get_system_commands(screen)

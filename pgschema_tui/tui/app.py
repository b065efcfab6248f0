"""The reviewer application: four modes over one shared `ReviewSession`."""
from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any, Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen

from pgschema_tui.connection import ConnectionSettings
from pgschema_tui.tui.clock import Clock, system_clock
from pgschema_tui.tui.dependencies import PlanDependencies
from pgschema_tui.tui.plan_files import WrittenFiles, write_plan_files
from pgschema_tui.tui.screens.apply import ApplyScreen
from pgschema_tui.tui.screens.explore import ExploreScreen
from pgschema_tui.tui.screens.graph import GraphScreen
from pgschema_tui.tui.screens.review import ReviewScreen
from pgschema_tui.tui.session import ReviewSession


class ReviewApp(App):
    """`pgschema-tui review`: Review, Explore, Graph and Apply modes."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "pgschema-tui review"
    MODES = {"review": ReviewScreen, "explore": ExploreScreen, "graph": GraphScreen, "apply": ApplyScreen}
    DEFAULT_MODE = "review"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("1", "switch_mode('review')", "Review mode", show=False),
        Binding("2", "switch_mode('explore')", "Explore mode", show=False),
        Binding("3", "switch_mode('graph')", "Graph mode", show=False),
        Binding("4", "switch_mode('apply')", "Apply mode", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("r", "refresh_plan", "Re-plan", show=False),
        Binding("q,ctrl+c", "quit_app", "Quit"),
    ]

    selected_step: var[int | None] = var(None)
    """The step selected in Review mode; Graph and Apply modes start from it."""
    graph_subject: var[tuple | None] = var(None)
    """What Graph mode centres on: ("step", index) or ("object", collection, key, on_desired)."""
    applying: var[bool] = var(False)
    """True while the apply worker runs: quitting then needs a confirmation."""

    def __init__(self, session: ReviewSession, *, settings: ConnectionSettings | None = None,
                 apply_options: Any = None, clock: Clock = system_clock,
                 output_path: Path | str = "plan.json", source_label: str = "", notice: str = "",
                 replan: Callable[[], ReviewSession] | None = None) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.apply_options = apply_options
        self.clock = clock
        self.output_path = Path(output_path)
        self.source_label = source_label or session.source
        self.dependencies = PlanDependencies(session)
        self.last_written: WrittenFiles | None = None
        self.apply_screen: ApplyScreen | None = None  # set when Apply mode first opens
        self.notice = notice  # shown once the app is up (e.g. "no database: Apply is disabled")
        self.replan = replan  # re-inspects the database (and re-plans the files): `r`
        self.banner = ""  # shown atop Review, Explore and Graph; set for a read-only (unverified) plan

    @property
    def read_only(self) -> bool:
        """An unverified plan (another tool's): it can be read, never applied from here."""
        return bool(self.banner)

    def action_switch_mode(self, mode: str) -> None:
        if mode == "apply" and self.read_only:
            self.notify("Read-only: " + self.banner, severity="warning", timeout=8)
            return
        self.switch_mode(mode)

    PREBUILT_MODES = ("explore", "graph", "apply")
    """Built in the idle moments after the first screen appears (see `_prebuild_modes`)."""

    def on_mount(self) -> None:
        self.prepare_models()
        self._prebuild_modes()
        if self.notice:  # after the first screen exists, or the toast has nowhere to show
            self.call_after_refresh(self.notify, self.notice, severity="warning", timeout=10)

    def prepare_models(self) -> None:
        """What the modes compute once per plan, done while the plan opens rather than on the
        first key that needs it (issue 12: every key under 100 ms): both sides' dependency graphs
        (a drop step's details need the live one), the steps' graph nodes (Graph mode), the
        filter's lowercased text and, when the plan says which objects differ (no expression
        compared), Explore's pairs. About 0.15 s of an 8,000-step plan's opening; the cost of
        opening counts it (bench/bench_tui.py). Then freezes what exists for the collector."""
        session = self.session
        if self.has_ir:
            self.dependencies.prepare()
        session.haystacks()  # every step's searchable text, lowercased once
        if session.step_paths is not None:
            session.object_pairs()
        # As `review` froze the plan and IR it built (commands/common.collector_paused): Python's
        # full collections would otherwise scan these long-lived models, 25 to 40 ms inside
        # whichever key came next, every few keys. Reference counting still frees them.
        gc.freeze()

    def _prebuild_modes(self) -> None:
        """Compose and mount the other modes' screens, one per idle moment after the first screen
        is drawn, so a first switch only lays out and paints (issue 12: under 100 ms; building a
        screen is 50 to 90 ms of Textual's on an 8,000-step plan). Honest cost: the user waits
        for it only if a key comes in the middle of one screen's build; bench/bench_tui.py counts
        it in opening (it waits for `modes_ready`)."""
        self.modes_ready = asyncio.Event()
        self.call_after_refresh(self._prebuild_next)

    async def _prebuild_next(self) -> None:
        for mode in self.PREBUILT_MODES:
            if mode in self._modes and mode not in self._screen_stacks and not (mode == "apply" and self.read_only):
                await self._init_mode(mode)
                self.call_after_refresh(self._prebuild_next)
                return
        self.modes_ready.set()

    @property
    def has_ir(self) -> bool:
        return self.session.desired is not None or self.session.live is not None

    # --------------------------------------------------------------- actions ---

    def action_help(self) -> None:
        from pgschema_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_quit_app(self) -> None:
        if not self.applying:
            self.exit()
            return
        from pgschema_tui.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.apply_screen.request_abort(then_exit=True)

        self.push_screen(ConfirmScreen("An apply is running. Abort it and quit?",
                                       "The running statement is cancelled; committed groups stay applied."),
                         answered)

    def action_refresh_plan(self) -> None:
        """Re-inspect the database and plan again (after an apply, or a change made elsewhere)."""
        if self.applying:
            self.notify("An apply is running: refresh after it ends.", severity="warning")
            return
        if self.replan is None:
            self.notify("Nothing to refresh from: this reviewer has no database connection.", severity="warning")
            return
        self.notify("Re-inspecting the database and planning again…", timeout=3)
        self._replan_worker()

    @work(thread=True, exclusive=True, group="replan", exit_on_error=False)
    def _replan_worker(self) -> None:
        try:
            session = self.replan()
        except Exception as exc:  # noqa: BLE001 - one line in the app, never a traceback
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.call_from_thread(self.notify, f"Refresh failed: {first}", severity="error", timeout=8)
            return
        self.call_from_thread(self.load_session, session)

    async def load_session(self, session: ReviewSession) -> None:
        """Show `session` in every mode: each mode's screen is built again from it."""
        back = self.current_mode
        self.session = session
        self.dependencies = PlanDependencies(session)
        self.prepare_models()
        self.apply_screen = None
        self.selected_step = None
        self.graph_subject = None
        if "refreshing" not in self._modes:
            self.add_mode("refreshing", _RefreshingScreen)
        await self.switch_mode("refreshing")
        for mode, screen in self.MODES.items():
            await self.remove_mode(mode)
            self.add_mode(mode, screen)
        await self.switch_mode(back)
        self._prebuild_modes()
        self.notify(f"Refreshed: {session.summary().plan_line()}.", timeout=4)

    def write_plan(self, json_path: Path) -> WrittenFiles | None:
        try:
            files = write_plan_files(self.session.plan_to_save(), json_path)
        except OSError as exc:
            self.notify(f"Could not write the plan: {exc}", severity="error")
            return None
        self.last_written = files
        self.notify(f"Wrote {files.json_path}, {files.sql_path.name}, {files.human_path.name}")
        return files

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Review mode", "Step through the plan (1)", lambda: self.switch_mode("review"))
        yield SystemCommand("Explore mode", "Desired vs live objects (2)", lambda: self.switch_mode("explore"))
        yield SystemCommand("Graph mode", "Dependencies and plan layers (3)", lambda: self.switch_mode("graph"))
        if not self.read_only:
            yield SystemCommand("Apply mode", "Run the plan and watch it (4)", lambda: self.switch_mode("apply"))
        yield SystemCommand("Re-plan", "Re-inspect the database and plan again (r)", self.action_refresh_plan)
        yield SystemCommand("Write plan files", "JSON, SQL and human plan (w)", self._command_write)
        yield SystemCommand("Next unviewed step", "Jump to a step not marked viewed (n)", self._command_unviewed)
        yield SystemCommand("Help", "Every key binding of every mode (?)", self.action_help)
        yield from super().get_system_commands(screen)

    def _command_write(self) -> None:
        self.switch_mode("review")
        self.call_after_refresh(lambda: self.screen.action_write_plan())

    def _command_unviewed(self) -> None:
        self.switch_mode("review")
        self.call_after_refresh(lambda: self.screen.action_next_unviewed())


class _RefreshingScreen(Screen):
    """Shown for the moment the modes are rebuilt after a refresh."""

    def compose(self):
        from textual.widgets import Static

        yield Static("Refreshing…")

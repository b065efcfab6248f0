"""Review mode: step through the plan, read each statement and its hazards, mark and write it."""
from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.containers import Horizontal, Vertical
from textual.widgets import Static, Input

from pgschema_tui.tui.formatting import symbol
from pgschema_tui.tui.labels import fitted_title
from pgschema_tui.tui.widgets.ddl_pane import DdlPane
from pgschema_tui.tui.widgets.filter_bar import FilterBar
from pgschema_tui.tui.widgets.mode_bar import ModeBar
from pgschema_tui.tui.widgets.plan_tree import PlanTree
from pgschema_tui.tui.widgets.step_details import StepDetails
from pgschema_tui.tui.widgets.summary_bar import SummaryBar
from pgschema_tui.tui.screens.mode_screen import ModeScreen
from pgschema_tui.tui.widgets.footer import QuietFooter


class ReviewScreen(ModeScreen):
    """The default mode: tree of changes, DDL pane, details pane, summary bar."""

    AUTO_FOCUS = "#plan-tree"

    focused = Reactive(None, repaint=False)
    """Textual's Screen.focused, without its repaint of the whole screen on each focus change:
    the widgets gaining and losing focus restyle and redraw themselves (and the footer its
    keys); `/`, enter and escape, which show or hide the filter line, rendered the screen twice
    in one frame, for the new layout and for this repaint (~10 ms each on 8,000 steps)."""

    BINDINGS = [
        Binding("right_square_bracket", "next_step", "Next"),
        Binding("left_square_bracket", "previous_step", "Previous", show=False),
        Binding("space", "toggle_viewed", "Viewed"),
        Binding("a", "acknowledge", "Ack"),
        Binding("H", "hazards", "Ack one hazard", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("w", "write_plan", "Write"),
        Binding("n", "next_unviewed", "Next unviewed", show=False),
        Binding("v", "page_sql(False)", "Page the step's SQL", show=False),
        Binding("V", "page_sql(True)", "Page the whole plan's SQL", show=False),
        Binding("c", "copy_sql", "Copy the step's SQL", show=False),
        Binding("e", "edit_sql", "Step's SQL in $EDITOR (a read-only copy)", show=False),
    ]

    FILTER_DEBOUNCE_ABOVE = 1000
    """Plans with at least this many steps filter after a short typing pause."""

    _filter_timer = None

    def compose(self) -> ComposeResult:
        session = self.app.session
        yield ModeBar("review", self.app.source_label)
        if self.app.banner:
            yield Static(self.app.banner, classes="banner", markup=False)
        yield FilterBar("filter steps: path, kind, operation, hazard or SQL text", id="filter")
        with Horizontal(id="review-body"):
            yield PlanTree(session, id="plan-tree")
            with Vertical(id="review-right"):
                yield DdlPane("DDL", id="ddl")
                yield StepDetails(id="details")
        yield SummaryBar(id="summary")
        yield QuietFooter(compact=True)

    def on_mount(self) -> None:
        tree = self.query_one(PlanTree)
        tree.rebuild()
        tree.border_title = "Changes"
        tree.border_subtitle = "✓ viewed ! hazard a ack"
        self._refresh_summary()
        if self.app.session.refs:
            self.show_step(0, move_cursor=True)
        else:
            self.query_one(DdlPane).show_text("Nothing to do: the database matches the desired state.")
        tree.focus()

    # ----------------------------------------------------------- selection ---

    @property
    def current(self) -> int | None:
        return self.app.selected_step

    def show_step(self, index: int, move_cursor: bool = False) -> None:
        """Make `index` the selected step everywhere (tree cursor, DDL, details, other modes)."""
        session = self.app.session
        self.app.selected_step = index
        self.app.graph_subject = ("step", index)
        if move_cursor and not self.query_one(PlanTree).select_step(index):
            self._clear_filter()
            self.query_one(PlanTree).select_step(index)
        step = session.ref(index).step
        ref = session.ref(index)
        width = (self.query_one(DdlPane).size.width or 60) - 6
        title = fitted_title(f"{symbol(step.operation)} ", session.label(ref), session.action(ref), width)
        with self.app.batch_update():  # one repaint for the DDL and details panes
            self.query_one(DdlPane).show_sql(step.sql, title=title)
            self._refresh_details()

    def _refresh_details(self) -> None:
        if self.current is None:
            return
        neighbours = self.app.dependencies.for_step(self.current) if self.app.has_ir else None
        self.query_one(StepDetails).show(self.app.session, self.current, neighbours)

    def _refresh_summary(self) -> None:
        tree = self.query_one(PlanTree)
        needle = self.query_one(FilterBar).value
        self.query_one(SummaryBar).show(self.app.session.summary(), needle, len(tree.step_nodes))

    @on(PlanTree.Highlighted, "#plan-tree")
    def _on_highlight(self, event: PlanTree.Highlighted) -> None:
        index = event.data
        if isinstance(index, int) and index != self.current:
            self.show_step(index)

    # -------------------------------------------------------------- actions ---

    def action_next_step(self) -> None:
        self._step_by(+1)

    def action_previous_step(self) -> None:
        self._step_by(-1)

    def _step_by(self, delta: int) -> None:
        """Walk the plan in execution order, among the steps the filter shows."""
        tree = self.query_one(PlanTree)
        visible = sorted(tree.step_nodes)
        if not visible:
            return
        current = self.current if self.current is not None else -1
        if delta > 0:
            target = next((i for i in visible if i > current), visible[-1])
        else:
            target = next((i for i in reversed(visible) if i < current), visible[0])
        self.show_step(target, move_cursor=True)

    def action_next_unviewed(self) -> None:
        session = self.app.session
        start = (self.current or 0) + 1
        order = list(range(start, len(session.refs))) + list(range(0, start))
        target = next((i for i in order if i not in session.viewed), None)
        if target is not None:
            self.show_step(target, move_cursor=True)

    def _marked_step(self) -> int | None:
        """The step under the tree's cursor: marks act only on a step the user can see."""
        index = self.query_one(PlanTree).selected_index
        if index is None:
            self.notify("Put the cursor on a step first (this line is a group, or the filter shows none).",
                        timeout=3)
        elif index != self.current:
            self.show_step(index)
        return index

    def action_toggle_viewed(self) -> None:
        if self._marked_step() is None:
            return
        self.app.session.toggle_viewed(self.current)
        self._after_mark()

    def action_acknowledge(self) -> None:
        if self._marked_step() is None:
            return
        session = self.app.session
        if not session.ref(self.current).step.hazards:
            self.notify("This step has no hazards to acknowledge.", timeout=2)
            return
        session.acknowledge(self.current)
        self._after_mark()

    def action_hazards(self) -> None:
        """Each hazard of the step on its own line, acknowledged one by one (screens/hazards.py)."""
        if self._marked_step() is None:
            return
        from pgschema_tui.tui.screens.hazards import HazardsScreen

        self.app.push_screen(HazardsScreen(self.app.session, step=self.current), lambda _: self._after_mark())

    def _after_mark(self) -> None:
        self.query_one(PlanTree).refresh_step(self.current)
        self._refresh_details()
        self._refresh_summary()

    def _step_sql(self) -> tuple[str, str, str] | None:
        """(SQL, title, file name) of the step under the cursor, or None (with a note)."""
        index = self._marked_step()
        if index is None:
            return None
        ref = self.app.session.ref(index)
        return ref.step.sql, f"SQL of step {index + 1}: {self.app.session.title(ref)}", f"step-{index + 1}"

    def action_page_sql(self, whole: bool) -> None:
        from pgschema_tui.tui.screens.sql_pager import SqlPagerScreen

        if whole:
            from pgschema_tui.plan.render_sql import render_sql

            self.app.push_screen(SqlPagerScreen(render_sql(self.app.session.plan) or "-- nothing to do\n",
                                                f"SQL of the whole plan ({len(self.app.session.refs)} steps)", "plan"))
            return
        target = self._step_sql()
        if target is not None:
            self.app.push_screen(SqlPagerScreen(*target))

    def action_copy_sql(self) -> None:
        from pgschema_tui.tui.sql_actions import copy_sql

        target = self._step_sql()
        if target is not None:
            copy_sql(self.app, target[0], target[1].split(":", 1)[0])

    def action_edit_sql(self) -> None:
        from pgschema_tui.tui.sql_actions import open_in_editor

        target = self._step_sql()
        if target is not None:
            open_in_editor(self.app, target[0], target[2])

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(Input.Changed, "#filter")
    def _on_filter_changed(self, event: Input.Changed) -> None:
        # Rebuilding a tree of thousands of steps costs ~0.1 s: on big plans wait for a typing pause.
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if len(self.app.session.refs) < self.FILTER_DEBOUNCE_ABOVE:
            self._apply_filter(event.value)
        else:
            self._filter_timer = self.set_timer(0.2, lambda: self._apply_filter(event.value))

    def _apply_filter(self, needle: str) -> None:
        self._filter_timer = None
        tree = self.query_one(PlanTree)
        tree.rebuild(needle)
        if self.current is not None and self.current in tree.step_nodes:
            tree.select_step(self.current)
        elif tree.step_nodes:  # the selected step is filtered out: select the first one shown
            self.show_step(min(tree.step_nodes), move_cursor=True)
        self._refresh_summary()

    @on(FilterBar.Closed)
    def _on_filter_closed(self) -> None:
        if self._filter_timer is not None:  # enter before the typing pause: filter now
            self._filter_timer.stop()
            self._apply_filter(self.query_one(FilterBar).value)
        self.query_one(PlanTree).focus()

    def _clear_filter(self) -> None:
        bar = self.query_one(FilterBar)
        if bar.value:
            bar.value = ""
            bar.hide()
            self.query_one(PlanTree).rebuild()
            self._refresh_summary()

    def action_write_plan(self) -> None:
        from pgschema_tui.tui.screens.write_plan import WritePlanScreen

        def written(path: Path | None) -> None:
            if path is not None:
                self._confirm_and_write(path)

        self.app.push_screen(WritePlanScreen(self.app.output_path), written)

    def _confirm_and_write(self, path: Path) -> None:
        """Ask before creating a missing folder or replacing an existing file; then write."""
        from pgschema_tui.tui.plan_files import sibling_paths
        from pgschema_tui.tui.screens.confirm import ConfirmScreen

        files = sibling_paths(path)
        folder = files.json_path.parent
        existing = [p for p in (files.json_path, files.sql_path, files.human_path) if p.exists()]
        questions = []
        if not folder.exists():
            questions.append((f"Create the folder {folder}?", "It does not exist; the three plan files go in it."))
        if existing:
            questions.append(("Replace the existing file(s)?", ", ".join(str(p) for p in existing)))

        def ask(remaining: list) -> None:
            if not remaining:
                self.app.write_plan(path)
                return
            question, detail = remaining[0]

            def answered(yes: bool | None) -> None:
                if yes:
                    ask(remaining[1:])
                else:
                    self.notify("Nothing written.", timeout=3)

            self.app.push_screen(ConfirmScreen(question, detail), answered)

        ask(questions)

    def on_screen_resume(self) -> None:
        """Back from another mode: marks may have changed there (e.g. acknowledged in Graph)."""
        if not self.shown_again():
            return
        self.query_one(PlanTree).forget_labels()
        if self.current is not None:
            self.query_one(PlanTree).select_step(self.current)
            self._refresh_details()
            self._refresh_summary()

"""Graph mode: the plan's steps in execution order, and why each sits where it does (its dependencies)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static, Input

from pgschema_tui.tui.formatting import symbol
from pgschema_tui.tui.widgets.dependency_view import DependencyView, order_text
from pgschema_tui.tui.widgets.filter_bar import FilterBar
from pgschema_tui.tui.widgets.layer_tree import LayerTree
from pgschema_tui.tui.widgets.mode_bar import ModeBar
from pgschema_tui.tui.screens.mode_screen import ModeScreen
from pgschema_tui.tui.widgets.footer import QuietFooter


class GraphScreen(ModeScreen):
    """Layers on the left, the subject's neighbourhood on the right."""

    AUTO_FOCUS = "#layer-tree"

    BINDINGS = [
        Binding("right_square_bracket", "next_step", "Next"),
        Binding("left_square_bracket", "previous_step", "Previous", show=False),
        Binding("t", "toggle_transitive", "All levels"),
        Binding("slash", "filter", "Filter"),
    ]

    transitive = False
    """Show every level of dependencies and dependents, not only direct ones."""

    def compose(self) -> ComposeResult:
        yield ModeBar("graph", self.app.source_label)
        if self.app.banner:
            yield Static(self.app.banner, classes="banner", markup=False)
        yield FilterBar("filter steps: path, kind, operation, hazard or SQL text", id="graph-filter")
        with Horizontal(id="graph-body"):
            yield LayerTree(self.app.session, id="layer-tree")
            yield DependencyView(id="dependency-view")
        yield QuietFooter(compact=True)

    def on_mount(self) -> None:
        tree = self.query_one(LayerTree)
        self.plan_layers = self.app.dependencies.layers() if self.app.session.refs else []
        tree.rebuild(self.plan_layers)
        tree.border_title = f"Execution order ({len(self.plan_layers)} groups)"
        tree.focus()
        self._show_subject()

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(Input.Changed, "#graph-filter")
    def _on_filter(self, event: Input.Changed) -> None:
        self.query_one(LayerTree).rebuild(self.plan_layers, event.value)

    @on(FilterBar.Closed)
    def _on_filter_closed(self) -> None:
        tree = self.query_one(LayerTree)
        if self.app.selected_step is not None:
            tree.select_step(self.app.selected_step)
        tree.focus()

    def on_screen_resume(self) -> None:
        if self.shown_again():
            self._show_subject()

    def _show_subject(self) -> None:
        """Centre on what the user last selected: a step (Review) or an object (Explore)."""
        subject = self.app.graph_subject
        view = self.query_one(DependencyView)
        if subject and subject[0] == "object":
            _, collection, key, on_desired = subject
            hood = self.app.dependencies.for_object((collection, key), on_desired, self.transitive)
            side = "desired files" if on_desired else "live database"
            view.border_title = f"Object {key}"
            view.show(hood, hood.label, f"from the {side} (selected in Explore)")
            return
        index = subject[1] if subject else (0 if self.app.session.refs else None)
        if index is None:
            view.show(self.app.dependencies.desired.neighbourhood(None, "Nothing to do"), "Nothing to do")
            return
        self.show_step(index, move_cursor=True)

    def show_step(self, index: int, move_cursor: bool = False) -> None:
        session = self.app.session
        ref = session.ref(index)
        hood = self.app.dependencies.for_step(index, self.transitive)
        tree = self.query_one(LayerTree)
        if move_cursor:
            tree.select_step(index)
        order = self.app.dependencies.step_order(index)

        def named(i: int) -> str:
            other = session.ref(i)
            return f"step {i + 1} {symbol(other.step.operation)} {session.title(other)}"

        why = order_text([(named(i), r) for i, r in order.waits_for], [(named(i), r) for i, r in order.waited_by],
                         order.notes)
        context = (f"step {index + 1}: {symbol(ref.step.operation)} {ref.step.operation} {ref.step.type}"
                   f" · group {ref.group + 1}")
        if hood.note:
            context += f" · {hood.note}"
        view = self.query_one(DependencyView)
        view.border_title = f"{symbol(ref.step.operation)} {session.title(ref)}"
        view.show(hood, hood.label if hood.node else session.title(ref), context, order=why)
        self.app.selected_step = index

    @on(LayerTree.Highlighted, "#layer-tree")
    def _on_highlight(self, event: LayerTree.Highlighted) -> None:
        if isinstance(event.data, int):
            self.app.graph_subject = ("step", event.data)
            self.show_step(event.data)

    def action_toggle_transitive(self) -> None:
        self.transitive = not self.transitive
        self.query_one(DependencyView).levels = "all levels" if self.transitive else "direct"
        self._show_subject()

    def action_next_step(self) -> None:
        self._step_by(+1)

    def action_previous_step(self) -> None:
        self._step_by(-1)

    def _step_by(self, delta: int) -> None:
        total = len(self.app.session.refs)
        if not total:
            return
        current = self.app.selected_step if self.app.selected_step is not None else -delta
        index = min(max(current + delta, 0), total - 1)
        self.app.graph_subject = ("step", index)
        self.show_step(index, move_cursor=True)

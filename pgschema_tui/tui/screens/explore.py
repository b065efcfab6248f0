"""Explore mode: the desired and live schemas as two trees, and one object's DDL on both sides."""
from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from pgschema_tui.tui.ddl_text import object_ddl
from pgschema_tui.tui.explore_model import marked_diff
from pgschema_tui.tui.widgets.ddl_compare import DdlCompare
from pgschema_tui.tui.widgets.filter_bar import FilterBar
from pgschema_tui.tui.widgets.mode_bar import ModeBar
from pgschema_tui.tui.widgets.object_tree import ObjectTree
from pgschema_tui.tui.screens.mode_screen import ModeScreen
from pgschema_tui.tui.widgets.footer import QuietFooter


class ExploreScreen(ModeScreen):
    """Drift between the files and the database, object by object."""

    AUTO_FOCUS = "#desired-tree"

    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("d", "only_differences", "Only differences"),
        Binding("enter", "show_graph", "Graph of object", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield ModeBar("explore", self.app.source_label)
        if self.app.banner:
            yield Static(self.app.banner, classes="banner", markup=False)
        yield FilterBar("filter objects by name", id="explore-filter")
        session = self.app.session
        if session.desired is None and session.live is None:
            yield Static("Explore needs the IR of both sides: open the reviewer with --file "
                         "(a saved plan holds only its statements).", id="explore-empty")
        else:
            with Horizontal(id="explore-trees"):
                yield ObjectTree("desired", id="desired-tree")
                yield ObjectTree("live", sizes=session.sizes, id="live-tree")
            with Horizontal(id="explore-ddl"):
                yield DdlCompare("Desired (files)", id="desired-ddl")
                yield DdlCompare("Live (database)", id="live-ddl")
        yield QuietFooter(compact=True)

    BACKGROUND_ABOVE = 2000
    """Schemas with more objects than this are compared in a worker thread (comparing
    expressions may parse them), so the screen appears at once."""
    BACKGROUND_BY_PLAN_ABOVE = 20000
    """The same when the plan says which objects differ (no expression compared: about 12 µs an
    object): below this, comparing here and drawing once is cheaper than drawing twice."""

    only_differences = False
    grouped: list = []

    def on_mount(self) -> None:
        session = self.app.session
        if not self.query(ObjectTree):
            return
        desired_tree, live_tree = self.query_one("#desired-tree", ObjectTree), self.query_one("#live-tree", ObjectTree)
        desired_tree.border_title, desired_tree.border_subtitle = "Desired (files)", "= same ~ changed + new"
        live_tree.border_title, live_tree.border_subtitle = "Live (database)", "= same ~ changed - dropped"
        desired_tree.focus()
        sizes = sum(len(getattr(side, c)) for side in (session.desired, session.live) if side is not None
                    for c in side.COLLECTIONS)
        limit = self.BACKGROUND_ABOVE if session.step_paths is None else self.BACKGROUND_BY_PLAN_ABOVE
        if sizes > limit and not session.pairs_ready:
            desired_tree.border_title = "Desired (files): comparing…"
            self._compare_in_background()
        else:
            self._compared(session.object_pairs())

    @work(thread=True, exclusive=True, group="explore")
    def _compare_in_background(self) -> None:
        grouped = self.app.session.object_pairs()
        self.app.call_from_thread(self._compared, grouped)

    def _compared(self, grouped: list) -> None:
        self.grouped = grouped
        self.query_one("#desired-tree", ObjectTree).border_title = "Desired (files)"
        self._rebuild()

    def _visible_groups(self):
        if not self.only_differences:
            return self.grouped
        return [(c, [p for p in pairs if p.state != "same"]) for c, pairs in self.grouped]

    def _rebuild(self) -> None:
        needle = self.query_one(FilterBar).value
        for tree in self.query(ObjectTree):
            tree.rebuild(self._visible_groups(), needle)
        first = next((p for _, pairs in self._visible_groups() for p in pairs if p.state not in ("same", "ignored")),
                     None)
        for side, tree_id in (("desired", "#desired-tree"), ("live", "#live-tree")):
            if getattr(self.app.session, side) is None:  # a saved plan: nothing to compare with
                self.query_one(tree_id, ObjectTree).border_subtitle = "not loaded: review --file compares"
        if first is not None:  # the lists scroll to it once laid out
            self.show_pair(first)

    def show_pair(self, pair, sync: bool = True) -> None:
        """Show both sides' DDL of `pair`, with the cursor on it in both trees where present."""
        session = self.app.session
        desired_text = object_ddl(pair.desired, session.desired) if pair.desired is not None else ""
        live_text = object_ddl(pair.live, session.live) if pair.live is not None else ""
        if pair.ignored:
            note = "ignored by .pgschemaignore: not compared; the plan leaves it as it is"
            desired_marked = [(" ", ln) for ln in desired_text.splitlines()] if pair.desired is not None else None
            live_marked = [(" ", ln) for ln in live_text.splitlines()] if pair.live is not None else None
            desired_absent = live_absent = note
            for pane, title in (("#desired-ddl", "Desired"), ("#live-ddl", "Live")):
                self.query_one(pane, DdlCompare).border_title = f"{title}: {pair.key} (ignored)"
            self.query_one("#desired-ddl", DdlCompare).show(desired_marked, desired_absent)
            self.query_one("#live-ddl", DdlCompare).show(live_marked, live_absent)
            self.current_pair = pair
            return
        if pair.compared:
            desired_marked, live_marked = marked_diff(desired_text, live_text)
            desired_absent = "not in the desired files: the plan drops it"
            live_absent = "not in the database: the plan creates it"
        else:  # one side not loaded: show the other unmarked
            desired_marked = [(" ", ln) for ln in desired_text.splitlines()]
            live_marked = [(" ", ln) for ln in live_text.splitlines()]
            desired_absent = live_absent = "this side is not loaded (review --file compares both)"
        self.query_one("#desired-ddl", DdlCompare).border_title = f"Desired: {pair.key}"
        self.query_one("#live-ddl", DdlCompare).border_title = f"Live: {pair.key}"
        self.query_one("#desired-ddl", DdlCompare).show(
            desired_marked if pair.desired is not None else None, desired_absent)
        self.query_one("#live-ddl", DdlCompare).show(
            live_marked if pair.live is not None else None, live_absent)
        self.current_pair = pair
        if self.is_current:
            self.app.graph_subject = ("object", pair.collection, pair.key, pair.desired is not None)
        else:  # built ahead of its first showing (ReviewApp._prebuild_modes): Graph follows it then
            self._subject_pending = True
        if sync:
            for tree in self.query(ObjectTree):
                if tree.selected_pair is None or tree.selected_pair.key != pair.key:
                    tree.select_object(pair.collection, pair.key)

    _subject_pending = False

    def on_screen_resume(self) -> None:
        """Shown for the first time after being built ahead: its first object becomes Graph's
        subject, as when the screen is built on its first switch."""
        if self._subject_pending and self.is_mounted and self.is_current:
            self._subject_pending = False
            pair = self.current_pair
            self.app.graph_subject = ("object", pair.collection, pair.key, pair.desired is not None)

    @on(ObjectTree.Highlighted)
    def _on_highlight(self, event: ObjectTree.Highlighted) -> None:
        pair = event.data
        if pair is None or getattr(self, "current_pair", None) == pair:
            return
        # Only the focused tree drives the selection; the other one follows.
        if event.control.has_focus or getattr(self, "current_pair", None) is None:
            self.show_pair(pair)

    @on(ObjectTree.Selected)
    def _on_selected(self, event: ObjectTree.Selected) -> None:
        """Enter on an object (the tree takes enter before the screen does): its graph."""
        if event.data is not None:
            self.show_pair(event.data)
            self.action_show_graph()

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(Input.Changed, "#explore-filter")
    def _on_filter(self) -> None:
        if self.query(ObjectTree):
            self._rebuild()

    @on(FilterBar.Closed)
    def _on_filter_closed(self) -> None:
        trees = self.query(ObjectTree)
        if trees:
            trees.first().focus()

    def action_only_differences(self) -> None:
        self.only_differences = not self.only_differences
        if self.query(ObjectTree):
            self._rebuild()
        self.notify("Showing only objects that differ" if self.only_differences else "Showing every object",
                    timeout=2)

    def action_show_graph(self) -> None:
        self.app.switch_mode("graph")

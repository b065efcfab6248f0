"""`?`: every key binding of the app and of each mode, generated from the bindings themselves."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_KEY_NAMES = {"right_square_bracket": "]", "left_square_bracket": "[", "slash": "/", "space": "space",
              "question_mark": "?", "escape": "esc", "enter": "enter"}


def key_text(key: str) -> str:
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def help_sections(fleet: bool = False) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, what)]) for the app, each mode and the trees, without duplicates."""
    from pgschema_tui.tui.app import ReviewApp
    from pgschema_tui.tui.screens.apply import ApplyScreen
    from pgschema_tui.tui.screens.explore import ExploreScreen
    from pgschema_tui.tui.screens.graph import GraphScreen
    from pgschema_tui.tui.screens.review import ReviewScreen
    from pgschema_tui.tui.widgets.row_tree import RowTree

    def rows(bindings) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for b in bindings:
            b = b if isinstance(b, Binding) else Binding(*b)
            row = (key_text(b.key), b.description or b.action)
            if row not in out:
                out.append(row)
        return out

    lists = [("Everywhere", rows(ReviewApp.BINDINGS) + [("ctrl+p", "Command palette")]),
             ("Lists and trees", rows(RowTree.VIM_KEYS) + [("up/down", "Move"), ("enter", "Open/close a group")]),
             ("1 Review", rows(ReviewScreen.BINDINGS)),
             ("2 Explore", rows(ExploreScreen.BINDINGS) + [("tab", "Switch between the trees")]),
             ("3 Graph", rows(GraphScreen.BINDINGS)),
             ("4 Apply", rows(ApplyScreen.BINDINGS))]
    if fleet:  # review over several targets (tui/fleet_app.py)
        from pgschema_tui.tui.screens.fleet import FleetScreen

        lists.append(("0 Fleet (several targets)", [("enter", "Review the plan under the cursor (1)"),
                                                    ("0", "Back to the Fleet screen")] + rows(FleetScreen.BINDINGS)))
    return lists


class HelpScreen(ModalScreen[None]):
    """A scrolling list of key bindings; escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, items in help_sections(fleet=hasattr(self.app, "fleet")):
            table.add_row(Text(section, style="bold underline"), "")
            for key, what in items:
                table.add_row(key, what)
            table.add_row("", "")
        with VerticalScroll(id="help-dialog"):
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)

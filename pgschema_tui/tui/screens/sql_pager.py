"""A pager for SQL: one step's statement or the whole plan, scrollable, copyable, openable in $EDITOR."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea


class SqlPagerScreen(Screen):
    """Read-only SQL with less-like keys; `q` or escape goes back."""

    BINDINGS = [
        Binding("q,escape", "close", "Back"),
        Binding("c", "copy", "Copy"),
        Binding("e", "editor", "$EDITOR"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("space", "page(1)", "Page down", show=False),
        Binding("b", "page(-1)", "Page up", show=False),
        Binding("g", "edge(0)", "Top", show=False),
        Binding("G", "edge(1)", "Bottom", show=False),
    ]

    def __init__(self, sql: str, title: str, name_hint: str) -> None:
        super().__init__()
        self.sql, self.title_text, self.name_hint = sql, title, name_hint

    def compose(self) -> ComposeResult:
        lines = self.sql.count("\n") + 1
        yield Static(f" {self.title_text} · {lines} line(s) · read-only", id="pager-title", markup=False)
        area = TextArea(self.sql, read_only=True, soft_wrap=False, show_line_numbers=True, id="pager")
        yield area
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_copy(self) -> None:
        from pgschema_tui.tui.sql_actions import copy_sql

        copy_sql(self.app, self.sql, self.title_text)

    def action_editor(self) -> None:
        from pgschema_tui.tui.sql_actions import open_in_editor

        open_in_editor(self.app, self.sql, self.name_hint)

    def _move(self, row: int) -> None:
        area = self.query_one(TextArea)
        row = max(0, min(row, area.document.line_count - 1))
        area.move_cursor((row, 0), center=False)
        area.scroll_cursor_visible()

    def action_scroll(self, delta: int) -> None:
        self._move(self.query_one(TextArea).cursor_location[0] + delta)

    def action_page(self, delta: int) -> None:
        area = self.query_one(TextArea)
        self._move(area.cursor_location[0] + delta * max(1, area.size.height - 1))

    def action_edge(self, end: int) -> None:
        self._move(self.query_one(TextArea).document.line_count - 1 if end else 0)

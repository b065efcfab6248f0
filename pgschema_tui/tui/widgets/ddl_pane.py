"""Syntax-highlighted SQL of the selected step (pygments through rich, no tree-sitter needed)."""
from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class DdlPane(VerticalScroll):
    """A scrolling pane that shows one SQL text."""

    DEFAULT_CSS = """
    DdlPane > Static { width: 1fr; height: auto; }
    """

    def __init__(self, title: str = "DDL", **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = title
        self._body = Static(Text("select a step", style="dim"))

    def compose(self):
        yield self._body

    def show_sql(self, sql: str, title: str | None = None) -> None:
        if title is not None:
            self.border_title = title
        self._body.update(sql_renderable(sql))
        self.scroll_home(animate=False)

    def show_text(self, text: str | Text) -> None:
        self._body.update(text if isinstance(text, Text) else Text(text, style="dim"))


def sql_renderable(sql: str) -> Syntax:
    """SQL with highlighting that follows the terminal's palette (and NO_COLOR through Textual)."""
    return Syntax(sql.rstrip(), "sql", theme="ansi_dark", word_wrap=True, background_color="default")

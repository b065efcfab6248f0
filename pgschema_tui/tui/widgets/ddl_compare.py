"""One side's DDL of the selected object, with the lines that differ from the other side marked."""
from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

_MARK_STYLES = {"+": "green", "-": "red", " ": ""}


class DdlCompare(VerticalScroll):
    """Numbered-free SQL lines, each prefixed with `+`, `-` or a space."""

    DEFAULT_CSS = """
    DdlCompare > Static { width: 1fr; height: auto; }
    """

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = title
        self._body = Static(Text("select an object", style="dim"))

    def compose(self):
        yield self._body

    def show(self, marked_lines: list[tuple[str, str]] | None, absent: str = "") -> None:
        if marked_lines is None:
            self._body.update(Text(absent, style="dim italic"))
            return
        highlighted = Syntax("\n".join(ln for _, ln in marked_lines), "sql", theme="ansi_dark",
                             background_color="default").highlight("\n".join(ln for _, ln in marked_lines))
        lines = highlighted.split("\n", allow_blank=True)
        out = Text()
        for (mark, _), line in zip(marked_lines, lines):
            out.append(f"{mark} ", style=_MARK_STYLES[mark] + (" bold" if mark != " " else ""))
            out.append_text(line)
            out.append("\n")
        self._body.update(out)
        self.scroll_home(animate=False)

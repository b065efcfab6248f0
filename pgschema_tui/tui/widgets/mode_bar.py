"""The top line: what is being reviewed and which of the four modes is active."""
from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

MODES = (("1", "review", "Review"), ("2", "explore", "Explore"), ("3", "graph", "Graph"), ("4", "apply", "Apply"))


class ModeBar(Static):
    """`pgschema-tui · shop.sql   [1 Review]  2 Explore  3 Graph  4 Apply` (brackets, not colour)."""

    mode: reactive[str] = reactive("review")
    """The active mode's name."""

    def __init__(self, mode: str, source: str = "") -> None:
        super().__init__(id="mode-bar")
        self.source = source
        self.set_reactive(ModeBar.mode, mode)

    def render(self) -> Text:
        text = Text(" pgschema-tui", style="bold")
        if self.source:
            text.append(f" · {self.source}")
        tabs = Text()
        for key, name, title in getattr(self.app, "MODE_TABS", MODES):  # the fleet app has its own
            if name == self.mode:
                tabs.append(f" [{key} {title}] ", style="reverse bold")
            else:
                tabs.append(f"  {key} {title}  ")
        width = self.size.width or 80
        pad = max(1, width - text.cell_len - tabs.cell_len)
        if pad == 1 and text.cell_len + tabs.cell_len > width:  # narrow: the tabs matter more
            text = Text(" pgschema-tui", style="bold")
            pad = max(1, width - text.cell_len - tabs.cell_len)
        return text + Text(" " * pad) + tabs

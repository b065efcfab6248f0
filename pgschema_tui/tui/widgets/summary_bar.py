"""The bottom line of Review mode: `Plan: N to add, N to change, N to drop`, hazards, viewed."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from pgschema_tui.tui.session import PlanSummary


class SummaryBar(Static):
    """Counts of the whole plan, redrawn whenever a mark changes."""

    def show(self, summary: PlanSummary, filter_text: str = "", shown: int | None = None) -> None:
        text = Text(" " + summary.plan_line(), style="bold")
        if summary.hazards:
            left = summary.hazards - summary.hazards_acknowledged
            style = "bold red" if left else ""
            text.append(" │ ")
            text.append(f"hazards {summary.hazards_acknowledged}/{summary.hazards} acked", style=style)
        else:
            text.append(" │ no hazards")
        text.append(f" │ viewed {summary.viewed}/{summary.steps}")
        if filter_text:
            text.append(f" │ filter '{filter_text}': {shown} shown", style="italic")
        self.update(text)

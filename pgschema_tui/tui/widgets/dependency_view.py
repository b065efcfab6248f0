"""Graph mode's right side: what the subject depends on, the subject, and what requires it."""
from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgschema_tui.tui.dependencies import Neighbourhood

MAX_ORDER_LINES = 8  # per list; the rest is counted


class DependencyView(VerticalScroll):
    """A top-down drawing: dependencies, an arrow, the subject, an arrow, its dependents."""

    DEFAULT_CSS = """
    DependencyView > Static { width: 1fr; height: auto; }
    """

    levels = "direct"
    """"direct" or "all levels", shown in the headings."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Dependencies"
        self._body = Static("")

    def compose(self):
        yield self._body

    def show(self, hood: Neighbourhood, heading: str, context: str = "", order: Text | None = None) -> None:
        text = Text()
        if order is not None:
            text.append_text(order)
        text.append_text(dependency_text(hood, heading, context, self.levels))
        self._body.update(text)


def order_text(waits_for: list[tuple[str, str]], waited_by: list[tuple[str, str]], notes: tuple[str, ...]) -> Text:
    """"Why here": the steps this one waits for and the ones waiting for it, each with its reason."""
    text = Text()
    text.append("Why here\n", style="bold underline")
    for title, items in (("Waits for", waits_for), ("Waited for by", waited_by)):
        text.append(f"{title} ({len(items)})\n", style="bold")
        if not items:
            text.append("  (no step of the plan)\n", style="dim")
        shown = items[:MAX_ORDER_LINES]
        for i, (step, why) in enumerate(shown):
            tee = "└─" if i == len(shown) - 1 and len(items) <= MAX_ORDER_LINES else "├─"
            text.append(f"  {tee} {step}", style="bold")
            text.append(f": {why}\n")
        if len(items) > MAX_ORDER_LINES:
            text.append(f"  └─ and {len(items) - MAX_ORDER_LINES} more\n", style="dim")
    for note in notes:
        text.append(f"  · {note}\n", style="italic")
    text.append("\n")
    return text


def _column(title: str, items: tuple[str, ...], text: Text, tee_last: str) -> None:
    text.append(f"{title} ({len(items)})\n", style="bold")
    if not items:
        text.append("  (nothing)\n", style="dim")
    for i, item in enumerate(items):
        text.append(f"  {tee_last if i == len(items) - 1 else '├─'} {item}\n")


def dependency_text(hood: Neighbourhood, heading: str, context: str = "", levels: str = "direct") -> Text:
    text = Text()
    if hood.node is None:
        text.append(f"{heading}\n", style="bold")
        text.append("Not found in the IR of either side: no dependencies to show.\n", style="dim")
        return text
    _column(f"Depends on, {levels}", hood.depends_on, text, "└─")
    text.append("        │\n        ▼\n")
    text.append("  ■ ", style="bold")
    text.append(heading, style="bold reverse")
    text.append("\n")
    if context:
        text.append(f"    {context}\n", style="italic")
    text.append("        │\n        ▼\n")
    _column(f"Required by, {levels}", hood.required_by, text, "└─")
    return text

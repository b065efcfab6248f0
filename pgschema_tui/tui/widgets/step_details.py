"""The details of one step: hazards with sizes, dependencies, transaction group, marks."""
from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgschema_tui.tui.dependencies import Neighbourhood
from pgschema_tui.tui.formatting import OPERATION_STYLES, hazard_size, symbol
from pgschema_tui.tui.session import ReviewSession


class StepDetails(VerticalScroll):
    """Scrolling text about the selected step."""

    DEFAULT_CSS = """
    StepDetails > Static { width: 1fr; height: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Details"
        self._body = Static("")

    def compose(self):
        yield self._body

    def show(self, session: ReviewSession, index: int, neighbours: Neighbourhood | None) -> None:
        self._body.update(details_text(session, index, neighbours))


def details_text(session: ReviewSession, index: int, neighbours: Neighbourhood | None) -> Text:
    ref = session.ref(index)
    step = ref.step
    text = Text()
    text.append(f"{symbol(step.operation)} ", style=OPERATION_STYLES.get(step.operation, "bold"))
    text.append(step.path, style="bold")
    text.append(f"  {step.type} · {step.operation} · step {index + 1}/{len(session.refs)}\n")

    group_steps = session.group_steps(ref.group)
    mode = "one transaction" if all(r.step.can_run_in_transaction for r in group_steps) else "no transaction"
    text.append(f"Group {ref.group + 1}/{len(session.plan.groups)}: {mode}, {len(group_steps)} step(s)\n")
    if step.directive is not None:
        text.append(f"Waits: {step.directive.message}\n", style="italic")

    changes = session.attributes(ref)
    if changes:
        text.append("Changes:\n", style="bold")
        for change in changes:
            text.append(f"  {change.line()}\n", style="" if change.diff else "yellow")
            for line in change.diff:
                text.append(f"    {line}\n", style={"-": "red", "+": "green"}.get(line[:1], "dim"))

    if step.hazards:
        acked = session.is_acknowledged(index)
        text.append("Hazards " + ("(acknowledged):\n" if acked else "(press a to acknowledge them all, H one by one):\n"),
                    style="bold" if acked else "bold red")
        for position, hazard in enumerate(step.hazards):
            size = hazard_size(hazard)
            mark = "✓" if (index, position) in session.acknowledged_hazards else "!"
            text.append(f"  {mark} {hazard.type}", style="bold")
            text.append(f": {hazard.message}")
            if size and size not in hazard.message:  # planners often put the size in the message
                text.append(f" ({size})")
            text.append("\n")
    else:
        text.append("Hazards: none\n")

    if neighbours is not None and neighbours.node is not None:
        text.append("Depends on: ", style="bold")
        text.append((", ".join(neighbours.depends_on) or "nothing") + "\n")
        text.append("Required by: ", style="bold")
        text.append((", ".join(neighbours.required_by) or "nothing") + "\n")
    else:
        text.append("Dependencies: not known (no IR for this object)\n", style="dim")
    text.append("Viewed: " + ("yes" if index in session.viewed else "no (space)"))
    return text

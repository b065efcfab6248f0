"""`h`: every hazard of the plan (or of one step), each acknowledged on its own with space.

A step can carry several hazards (a lock, a rewrite, the loss of a column's values): accepting
one says nothing about the others, so each is a line of its own. Blocking kinds (those `apply`
refuses without `--allow-hazards`) are marked, with the rows a data check counted.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from pgschema_tui.tui.formatting import hazard_size
from pgschema_tui.tui.session import ReviewSession


def hazard_prompt(session: ReviewSession, index: int, position: int) -> Text:
    """`step 3 t.note · drop  data_loss (blocks apply): drops column note… (3 rows)`."""
    from pgschema_tui.apply.preflight import BLOCKING_HAZARDS

    ref = session.ref(index)
    hazard = ref.step.hazards[position]
    text = Text()
    text.append(f"step {index + 1} {session.title(ref)}  ")
    text.append(hazard.type, style="bold red" if hazard.type in BLOCKING_HAZARDS else "bold")
    if hazard.type in BLOCKING_HAZARDS:
        text.append(" (blocks apply)", style="red")
    message = " ".join(hazard.message.split())
    text.append(f": {message}")
    facts = [hazard_size(hazard)] if hazard_size(hazard) and hazard_size(hazard) not in message else []
    if hazard.count is not None:
        facts.append(f"{hazard.count} row(s) counted")
    if facts:
        text.append(f" ({', '.join(facts)})", style="italic")
    return text


class HazardsScreen(ModalScreen[None]):
    """A checklist of hazards: space acknowledges (or takes back) the highlighted one."""

    BINDINGS = [Binding("escape,h,q", "close", "Close")]
    DEFAULT_CSS = """
    HazardsScreen #hazards-dialog { width: 90%; height: auto; max-height: 90%; border: thick $accent;
                                    background: $surface; padding: 0 1; }
    HazardsScreen SelectionList { height: auto; max-height: 30; }
    """

    def __init__(self, session: ReviewSession, step: int | None = None) -> None:
        super().__init__()
        self.session, self.step = session, step

    def keys(self) -> list[tuple[int, int]]:
        refs = [self.session.ref(self.step)] if self.step is not None else self.session.refs
        return [(r.index, k) for r in refs for k in range(len(r.step.hazards))]

    def compose(self) -> ComposeResult:
        keys = self.keys()
        what = f"step {self.step + 1}" if self.step is not None else "the plan"
        with Vertical(id="hazards-dialog"):
            yield Label(f"Hazards of {what}: {len(keys)}", id="dialog-title")
            if keys:
                yield SelectionList[str](*(
                    Selection(hazard_prompt(self.session, i, k), f"{i}:{k}",
                              (i, k) in self.session.acknowledged_hazards) for i, k in keys), id="hazards-list")
            else:
                yield Label("No hazards.")
            yield Label("space: acknowledge / take back · escape: close", classes="hint")

    @property
    def list(self) -> SelectionList:
        return self.query_one(SelectionList)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        """The list's ticks are the acknowledgements of the hazards it shows."""
        selected = {tuple(int(x) for x in str(v).split(":")) for v in event.selection_list.selected}
        shown = set(self.keys())
        self.session.acknowledged_hazards -= shown
        self.session.acknowledged_hazards |= selected & shown

    def action_close(self) -> None:
        self.dismiss(None)

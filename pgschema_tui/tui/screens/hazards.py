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
    HazardsScreen SelectionList { height: auto; max-height: 45vh; }
    HazardsScreen #hazard-detail { width: 1fr; height: auto; margin-top: 1; }
    """

    def __init__(self, session: ReviewSession, step: int | None = None) -> None:
        super().__init__()
        self.session, self.step = session, step

    def keys(self) -> list[tuple[int, int]]:
        refs = [self.session.ref(self.step)] if self.step is not None else self.session.refs
        return [(r.index, k) for r in refs for k in range(len(r.step.hazards))]

    def compose(self) -> ComposeResult:
        keys = self.keys()
        with Vertical(id="hazards-dialog"):
            yield Label(self._title(), id="dialog-title")
            # the hint first: at 80x24 a long hazard under the list pushed it out of the dialog
            yield Label("space: acknowledge / take back · escape: close", classes="hint")
            if keys:
                yield SelectionList[str](*(
                    Selection(hazard_prompt(self.session, i, k), f"{i}:{k}",
                              (i, k) in self.session.acknowledged_hazards) for i, k in keys), id="hazards-list")
                # the list cuts each prompt to one line and shows its tick by colour only: the
                # highlighted hazard in full, wrapped, with its acknowledgement in words
                yield Label("", id="hazard-detail")
            else:
                yield Label("No hazards.")

    def _title(self) -> str:
        keys = self.keys()
        what = f"step {self.step + 1}" if self.step is not None else "the plan"
        acked = sum(1 for key in keys if key in self.session.acknowledged_hazards)
        return f"Hazards of {what}: {len(keys)}" + (f" · {acked} of {len(keys)} acknowledged" if keys else "")

    def _show_detail(self) -> None:
        """The highlighted hazard's whole prompt and whether it is acknowledged."""
        if not self.keys():
            return
        self.query_one("#dialog-title", Label).update(self._title())
        highlighted = self.list.highlighted
        if highlighted is None:
            return
        index, position = self.keys()[highlighted]
        text = hazard_prompt(self.session, index, position)
        acked = (index, position) in self.session.acknowledged_hazards
        text.append(" · acknowledged" if acked else " · not acknowledged", style="bold" if acked else "bold red")
        self.query_one("#hazard-detail", Label).update(text)

    def on_mount(self) -> None:
        self._show_detail()

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self._show_detail()

    @property
    def list(self) -> SelectionList:
        return self.query_one(SelectionList)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        """The list's ticks are the acknowledgements of the hazards it shows."""
        selected = {tuple(int(x) for x in str(v).split(":")) for v in event.selection_list.selected}
        shown = set(self.keys())
        self.session.acknowledged_hazards -= shown
        self.session.acknowledged_hazards |= selected & shown
        self._show_detail()

    def action_close(self) -> None:
        self.dismiss(None)

"""Apply mode's step list: every step with its state word, mark and duration."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from pgschema_tui.tui.apply_state import DONE, FAILED, RUNNING, STATE_MARKS, WAITING, ApplyState
from pgschema_tui.tui.formatting import duration, symbol
from pgschema_tui.tui.session import ReviewSession

_STATE_STYLES = {RUNNING: "bold", DONE: "green", FAILED: "bold red", WAITING: "yellow"}


class ApplySteps(DataTable):
    """One row per step; only changed cells are rewritten as events arrive."""

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.session = session
        self._shown: dict[int, tuple[str, str]] = {}

    def on_mount(self) -> None:
        # state and time first: the path is the column that may be cut on a narrow terminal
        self.add_column("#", key="n", width=2)
        self.add_column("state", key="state", width=9)
        self.add_column("time", key="time", width=6)
        self.add_column("op", key="op", width=3)
        self.add_column("step", key="path")
        for ref in self.session.refs:
            self.add_row(str(ref.index + 1), _state_cell("pending"), "", symbol(ref.step.operation),
                         self.session.label(ref), key=str(ref.index))

    def show(self, state: ApplyState) -> None:
        for index, step_state in enumerate(state.step_states):
            cell = (step_state, duration(state.durations.get(index)))
            if self._shown.get(index, ("pending", "")) == cell:
                continue
            self._shown[index] = cell
            self.update_cell(str(index), "state", _state_cell(step_state))
            self.update_cell(str(index), "time", cell[1])
        if state.current is not None:
            self.move_cursor(row=state.current)


def _state_cell(state: str) -> Text:
    return Text(f"{STATE_MARKS.get(state, ' ')} {state}", style=_STATE_STYLES.get(state, "dim"))

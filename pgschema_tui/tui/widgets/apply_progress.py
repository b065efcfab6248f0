"""Apply mode's progress line: overall steps, and the phase and percent of an index build."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar

from pgschema_tui.tui.apply_state import ApplyState
from pgschema_tui.tui.formatting import human_count


class ApplyProgress(Vertical):
    """`Steps 3/9 [====    ]` and, during an index build, `step 7: building index: scanning table [==  ] 42%`."""

    DEFAULT_CSS = """
    ApplyProgress { height: auto; }
    ApplyProgress Horizontal { height: 1; }
    ApplyProgress Label { width: auto; padding: 0 1 0 0; }
    ApplyProgress PercentageStatus { width: 5; }
    ApplyProgress ProgressBar { width: 1fr; }
    ApplyProgress Bar { width: 1fr; min-width: 10; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("Steps 0/0", id="steps-label")
            yield ProgressBar(total=1, show_eta=False, id="steps-bar")
        with Horizontal(id="phase-row"):
            yield Label("", id="phase-label")
            yield ProgressBar(total=100, show_eta=False, id="phase-bar")

    def show(self, state: ApplyState) -> None:
        self.query_one("#steps-label", Label).update(f"Steps {state.done_count}/{state.total_steps}")
        steps_bar = self.query_one("#steps-bar", ProgressBar)
        steps_bar.update(total=max(state.total_steps, 1), progress=state.done_count)
        phase_bar = self.query_one("#phase-bar", ProgressBar)
        progress = state.progress
        if progress is None or state.current is None:
            self.query_one("#phase-row").display = False
            return
        detail = ""
        if progress.blocks_total:
            detail = f" blocks {human_count(progress.blocks_done or 0)}/{human_count(progress.blocks_total)}"
        elif progress.tuples_total:
            detail = f" tuples {human_count(progress.tuples_done or 0)}/{human_count(progress.tuples_total)}"
        elif progress.lockers_total:
            detail = f" lockers {progress.lockers_done or 0}/{progress.lockers_total}"
        self.query_one("#phase-label", Label).update(f"step {progress.index + 1}: {progress.phase}{detail}")
        self.query_one("#phase-row").display = True
        phase_bar.update(total=100 if progress.percent is not None else None, progress=progress.percent or 0)

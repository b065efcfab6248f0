"""The Fleet screen's table of targets: one row each, its plan group, its status (queued,
pre-apply check, running, applied, no changes, failed, skipped: a mark and a word, never colour
alone) and the step it runs or the first line of its error."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from pgschema_tui.fleet.outcomes import APPLIED, FAILED, NO_CHANGES, SKIPPED
from pgschema_tui.tui.fleet_model import CHECKING, QUEUED, RUNNING, STATUS_MARKS, FleetSession, TargetProgress

_STYLES = {APPLIED: "green", FAILED: "bold red", SKIPPED: "yellow", RUNNING: "bold", CHECKING: "bold",
           NO_CHANGES: "dim"}
_WORDS = {CHECKING: "checking"}


def status_text(row: TargetProgress, phase: str = "running") -> Text:
    word = "planned" if phase == "ready" and row.status == QUEUED else _WORDS.get(row.status, row.status)
    return Text(f"{STATUS_MARKS[row.status]} {word}", style=_STYLES.get(row.status, ""))


def detail_text(row: TargetProgress) -> str:
    if row.status in (FAILED, SKIPPED) and row.message:
        first = (row.message.strip().splitlines() or [""])[0]
        return " ".join(first.split())
    if row.status == APPLIED:
        return f"{row.done_steps} step{'s' if row.done_steps != 1 else ''} in {row.seconds:.2f}s"
    return row.step_text()


class FleetTargets(DataTable):
    """Every target of the fleet; `show` updates only the rows whose text changed."""

    def __init__(self, session: FleetSession, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.session = session
        self._shown: dict[str, tuple] = {}

    def on_mount(self) -> None:
        self.add_column("target", key="target")
        self.add_column("plan", key="plan")
        self.add_column("status", key="status")
        self.add_column("step / detail", key="detail")
        for target in self.session.order:
            row = self.session.progress[target]
            cells = self._cells(row)
            key = self._key(row)
            self.add_row(*cells, key=key)
            self._shown[key] = tuple(str(c) for c in cells)

    def _key(self, row: TargetProgress) -> str:
        return f"{row.target.database}\0{row.target.schema}"

    def _cells(self, row: TargetProgress) -> tuple:
        group = f"[{row.group}]" if row.group is not None else "-"
        return (self.session.label(row.target), group, status_text(row, self.session.phase), detail_text(row))

    def show(self) -> None:
        """Every row (after the phase changed); `show_target` is the cheap path for one event."""
        for target in self.session.order:
            self.show_target(target)

    def show_target(self, target) -> None:
        row = self.session.progress.get(target)
        if row is None:
            return
        key = self._key(row)
        cells = self._cells(row)
        text = tuple(str(c) for c in cells)
        if self._shown.get(key) == text:
            return
        self._shown[key] = text
        self.update_cell(key, "status", cells[2])
        self.update_cell(key, "detail", cells[3], update_width=True)

"""Asks where to write the plan: one JSON path, the SQL and human plan go next to it."""
from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from pgschema_tui.tui.plan_files import sibling_paths


class WritePlanScreen(ModalScreen[Path | None]):
    """Enter writes, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        files = sibling_paths(self.default)
        with Vertical(id="dialog"):
            yield Label("Write the plan (JSON path; .sql and .txt go next to it)", id="dialog-title")
            yield Input(str(self.default), id="plan-path")
            yield Label(f"will write {files.json_path.name}, {files.sql_path.name}, {files.human_path.name}"
                        " · enter: write · escape: cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(Path(value) if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

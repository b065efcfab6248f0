"""Yes/no and type-`yes` confirmations (quit while applying, abort, start apply)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class ConfirmScreen(ModalScreen[bool]):
    """`y` confirms, `n` or escape declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="dialog-title")
            if self.detail:
                yield Label(self.detail, markup=False)  # error text and SQL: brackets are not markup
            yield Label("y: yes · n: no", classes="hint")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class TypeYesScreen(ModalScreen[bool]):
    """Confirms only when the user types exactly `yes` (apply is not undoable)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="dialog-title")
            if self.detail:
                yield Label(self.detail, markup=False)  # error text and SQL: brackets are not markup
            yield Input(placeholder="type yes to apply", id="confirm-input")
            yield Label("enter: confirm · escape: cancel", classes="hint", id="confirm-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() == "yes":
            self.dismiss(True)
        else:
            self.query_one("#confirm-hint", Label).update("Only 'yes' applies. escape: cancel")
            event.input.value = ""

    def action_cancel(self) -> None:
        self.dismiss(False)

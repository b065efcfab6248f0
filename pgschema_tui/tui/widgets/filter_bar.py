"""The `/` filter line: hidden until asked for, escape clears it, enter goes back to the list."""
from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """An input that tells its screen when the user is done with it."""

    BINDINGS = [Binding("escape", "clear_and_close", "Clear filter", show=False)]

    class Closed(Message):
        """The user left the filter (enter keeps the text, escape clears it)."""

    def __init__(self, placeholder: str, **kwargs) -> None:
        super().__init__(placeholder=placeholder, **kwargs)

    def open(self) -> None:
        self.display = True
        self.focus()

    def action_clear_and_close(self) -> None:
        self.value = ""
        self._close()

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close()

    def _close(self) -> None:
        if not self.value:
            self.display = False
        self.post_message(self.Closed())

    def on_mount(self) -> None:
        self.display = False

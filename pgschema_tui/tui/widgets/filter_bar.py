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
        self.hide()

    def hide(self) -> None:
        # Hidden widgets can still take focus in Textual, and keys would vanish into it.
        self.display = False
        self.can_focus = False

    def open(self) -> None:
        self.display = True
        self.can_focus = True
        self.focus()

    def action_clear_and_close(self) -> None:
        self.value = ""
        self._close()

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close()

    def _close(self) -> None:
        if not self.value:
            self.hide()
        self.post_message(self.Closed())

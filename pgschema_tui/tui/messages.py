"""Messages that carry apply events from the worker thread to the Apply screen."""
from __future__ import annotations

from textual.message import Message

from pgschema_tui.apply.events import Event


class ApplyEvent(Message):
    """One executor event, posted by the apply worker."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event
        """The plain event from `pgschema_tui.apply.events`."""


class ApplyCrashed(Message):
    """The executor raised instead of yielding `PlanFinished` (e.g. connection lost)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
        """One line describing the failure."""

"""Apply mode's lock waits: who blocks the running step, with what, for how long, running what.

Wrapped text rather than a table: at any width every fact shows (a table cut the age, the
attempt and the blocker's query off at 120 columns).
"""
from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgschema_tui.tui.apply_state import ApplyState


class LockTable(VerticalScroll):
    """One paragraph per blocking backend of the running step; a short line when nothing waits."""

    DEFAULT_CSS = """
    LockTable > Static { width: 1fr; height: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._body = Static("")

    def compose(self):
        yield self._body

    def show(self, state: ApplyState) -> None:
        self._body.update(lock_text(state))
        self.border_subtitle = f"{len(state.lock_waits)} blocker(s)" if state.lock_waits else "no lock waits"


def lock_text(state: ApplyState) -> Text:
    text = Text()
    if not state.lock_waits:
        text.append("Nothing is waiting for a lock.", style="dim")
        return text
    for wait in state.lock_waits.values():
        facts = [f"pid {wait.blocker_pid}" if wait.blocker_pid else "another session"]
        if wait.blocker_state:
            facts.append(wait.blocker_state)
        if wait.blocker_age_seconds is not None:
            facts.append(f"for {wait.blocker_age_seconds:.0f} s")
        facts.append(f"attempt {wait.attempt + 1}" if not wait.retry_in_seconds
                     else f"retry {wait.attempt} in {wait.retry_in_seconds:.1f} s")
        text.append(" · ".join(facts) + "\n", style="bold")
        wanted = wait.lock_mode or "a lock"
        who = f"step {wait.index + 1}" if wait.index >= 0 else "the pre-apply check"
        text.append(f"  {who} wants {wanted}" + (f" on {wait.relation}" if wait.relation else "") + "\n")
        query = " ".join((wait.blocker_query or "").split())
        if query:
            text.append(f"  {query}\n", style="italic")
    return text

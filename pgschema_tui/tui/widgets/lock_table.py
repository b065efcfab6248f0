"""Apply mode's lock waits: who blocks the running step, with what lock, for how long."""
from __future__ import annotations

from textual.widgets import DataTable

from pgschema_tui.tui.apply_state import ApplyState


class LockTable(DataTable):
    """One row per blocking backend of the running step; empty when nothing waits."""

    def on_mount(self) -> None:
        self.add_columns("blocker pid", "lock", "relation", "state", "age", "try", "query")
        self.cursor_type = "none"

    def show(self, state: ApplyState) -> None:
        self.clear()
        for wait in state.lock_waits.values():
            age = f"{wait.blocker_age_seconds:.0f} s" if wait.blocker_age_seconds is not None else ""
            query = (wait.blocker_query or "").replace("\n", " ")
            self.add_row(str(wait.blocker_pid or "?"), wait.lock_mode or "", wait.relation or "",
                         wait.blocker_state or "", age, str(wait.attempt), query[:60])
        self.border_subtitle = f"{len(state.lock_waits)} blocker(s)" if state.lock_waits else "no lock waits"

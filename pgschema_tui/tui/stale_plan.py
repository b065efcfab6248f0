"""Is the database still what the plan was made against? Checked by the apply worker first.

The same check as `apply --plan`: re-inspect, fingerprint, and name the objects that
changed, so Apply mode refuses a stale plan before running anything. Inspecting can wait
behind another session's lock (an ACCESS EXCLUSIVE lock blocks the catalog functions), so
the check reports who it waits for, from a second connection, and can be aborted.
"""
from __future__ import annotations

import threading
from typing import Callable


class CheckAborted(Exception):
    """The user aborted while the pre-apply check ran: nothing was applied."""


class PreApplyCheck:
    """One run of the check; `abort()` (any thread) cancels its query."""

    POLL_SECONDS = 0.3

    def __init__(self, plan, settings) -> None:
        self.plan, self.settings = plan, settings
        self._conn = None
        self._aborted = threading.Event()
        self._finished = threading.Event()

    def abort(self) -> None:
        self._aborted.set()
        conn = self._conn
        if conn is not None:
            try:
                conn.cancel()
            except Exception:  # the connection may be closing: the flag is enough then
                pass

    def run(self, on_wait: Callable | None = None) -> list[str]:
        """Objects that changed in the database since the plan was made (empty: safe to apply).
        `on_wait(blockers)` is called while the check waits for a lock (from another thread)."""
        if not self.plan.fingerprint:
            return []
        from pgschema_tui.apply.preflight import as_live_fingerprint, changed_objects
        from pgschema_tui.inspect import inspect_schema
        from pgschema_tui.ir.ignore import IgnoreRules, filter_schema
        from pgschema_tui.plan.fingerprint import fingerprint

        if self._aborted.is_set():
            raise CheckAborted()
        with self.settings.connect() as conn:
            self._conn = conn
            watcher = None
            if on_wait is not None:
                watcher = threading.Thread(target=self._watch, args=(conn.info.backend_pid, on_wait), daemon=True)
                watcher.start()
            try:
                # without what the plan's .pgschemaignore rules left out
                live_schema = filter_schema(inspect_schema(conn, self.plan.schema, tuple(self.plan.search_path)),
                                            IgnoreRules.from_json(self.plan.ignore))[0]
                live = as_live_fingerprint(fingerprint(live_schema))
            except Exception:
                if self._aborted.is_set():
                    raise CheckAborted() from None
                raise
            finally:
                self._finished.set()
                self._conn = None
                if watcher is not None:
                    watcher.join(timeout=2)
        if self._aborted.is_set():
            raise CheckAborted()
        return changed_objects(self.plan, live)

    def _watch(self, pid: int, on_wait: Callable) -> None:
        """Who the check's connection waits for, every POLL_SECONDS, until it is done."""
        from pgschema_tui.apply.monitor import StatementMonitor

        try:
            with self.settings.connect(autocommit=True) as monitor_conn:
                monitor = StatementMonitor(monitor_conn, pid, self.plan.schema)
                while not self._finished.wait(self.POLL_SECONDS):
                    blockers = monitor.blockers()
                    if blockers and not self._finished.is_set():
                        on_wait(blockers)
        except Exception:  # watching is a convenience: the check itself goes on
            return


def stale_plan_objects(plan, settings) -> list[str]:
    """Objects that changed in the database since the plan was made (empty: safe to apply)."""
    return PreApplyCheck(plan, settings).run()

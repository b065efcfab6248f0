"""Reading the live schema before (and at the start of) an apply, bounded and abortable.

One implementation for every pre-apply read: `apply --plan`'s fingerprint check, the inspection
before `apply --file`'s plan, the executor's re-check once it holds the apply lock, and the
reviewer's pre-apply check (which also shows whom it waits for, `watch`).

Reading the catalog takes ACCESS SHARE locks on some relations (definitions, sizes), so a
session holding ACCESS EXCLUSIVE on one (an open ALTER TABLE) stalls it. Each read runs under
the lock timeout; on a timeout it is retried (after a back-off, as the executor retries a
statement) up to the retry limit, then refused with a message naming the sessions holding the
locks (pid, application, state, age, query). `abort()` (any thread) cancels the running query.
"""
from __future__ import annotations

import random
import threading
from typing import Callable

from pgschema_tui.errors import UserError

LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"

# Sessions holding (or queued for: a reader waits behind them too) ACCESS EXCLUSIVE on a relation
# of the schema, which an inspection's ACCESS SHARE locks wait for.
_EXCLUSIVE_HOLDERS_SQL = """
SELECT DISTINCT ON (l.pid, c.relname) l.pid, c.relname, l.mode, l.granted, a.application_name, a.state, a.query,
       extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid()
  AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY l.pid, c.relname
"""


class InspectionAborted(UserError):
    """The user aborted while the live schema was read: nothing was applied."""


class LiveInspection:
    """Runs reads of the live schema on `conn` (autocommit) under `lock_timeout_ms` (None: no
    timeout of its own), retrying a lock timeout `lock_retries` times. `watch=(settings, on_wait)`
    calls `on_wait(blockers)` from a second connection while a read waits for a lock."""

    POLL_SECONDS = 0.3

    def __init__(self, conn, schema: str, lock_timeout_ms: int | None = None, lock_retries: int = 0, *,
                 options=None, watch: tuple[object, Callable] | None = None,
                 doing: str = "before applying"):
        self.conn, self.schema = conn, schema
        self.lock_timeout_ms, self.lock_retries = lock_timeout_ms, lock_retries
        self.options, self.watch, self.doing = options, watch, doing
        self._aborted = threading.Event()
        self._rng = random.Random()

    @classmethod
    def for_options(cls, conn, options, **kwargs) -> "LiveInspection":
        """Bounded as the apply's statements are: `options.lock_timeout_ms` and `lock_retries`."""
        return cls(conn, options.schema, options.lock_timeout_ms, options.lock_retries, options=options, **kwargs)

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    def abort(self) -> None:
        """Cancel the running read (and any back-off); `run` then raises InspectionAborted."""
        self._aborted.set()
        try:
            self.conn.cancel_safe()
        except Exception:  # finished meanwhile, or the connection is gone
            pass

    def run(self, what):
        """`what(conn)` (e.g. `lambda c: inspect_schema(c, schema)`), bounded, retried, abortable."""
        import psycopg

        from pgschema_tui.ddl.quote import literal

        attempt = 0
        while True:
            self._check_aborted()
            if self.lock_timeout_ms is not None:
                self.conn.execute(f"SET lock_timeout = {literal(f'{self.lock_timeout_ms}ms')}")
            try:
                return self._watched(what)
            except psycopg.Error as exc:
                if self.aborted:
                    raise self._aborted_error() from None
                if exc.sqlstate != LOCK_NOT_AVAILABLE:
                    raise
                holders = self._holders()
                attempt += 1
                if attempt > self.lock_retries:
                    raise UserError(self._timeout_text(holders)) from None
                if self._aborted.wait(self._delay(attempt)):
                    raise self._aborted_error() from None
            except BaseException:
                if self.aborted:
                    raise self._aborted_error() from None
                raise

    # ------------------------------------------------------------ helpers ---

    def _check_aborted(self) -> None:
        if self.aborted:
            raise self._aborted_error()

    def _aborted_error(self) -> InspectionAborted:
        return InspectionAborted(f"aborted while reading schema {self.schema!r} {self.doing}; nothing was applied")

    def _delay(self, attempt: int) -> float:
        from pgschema_tui.apply.options import ApplyOptions

        return (self.options or ApplyOptions()).retry_delay(attempt, self._rng)

    def _timeout_text(self, holders: str) -> str:
        retries = (f" (after {self.lock_retries} {'retry' if self.lock_retries == 1 else 'retries'})"
                   if self.lock_retries else "")
        return (f"reading schema {self.schema!r} {self.doing} waited more than the lock timeout "
                f"({self.lock_timeout_ms / 1000:g}s){retries} for a lock{holders}. Nothing was applied; try "
                f"again when it is released, or raise --lock-timeout.")

    def _watched(self, what):
        if self.watch is None:
            return what(self.conn)
        finished = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(self.conn.info.backend_pid, finished), daemon=True)
        watcher.start()
        try:
            return what(self.conn)
        finally:
            finished.set()
            watcher.join(timeout=2)

    def _watch(self, pid: int, finished: threading.Event) -> None:
        """Who the read waits for, every POLL_SECONDS, until it is done (for the reviewer)."""
        from pgschema_tui.apply.monitor import StatementMonitor

        settings, on_wait = self.watch
        try:
            with settings.connect(autocommit=True) as monitor_conn:
                monitor = StatementMonitor(monitor_conn, pid, self.schema)
                while not finished.wait(self.POLL_SECONDS):
                    blockers = monitor.blockers()
                    if blockers and not finished.is_set():
                        on_wait(blockers)
        except Exception:  # watching is a convenience: the read itself goes on
            return

    def _holders(self) -> str:
        try:
            rows = self.conn.execute(_EXCLUSIVE_HOLDERS_SQL, (self.schema,)).fetchall()
        except Exception:
            return ""
        if not rows:
            return ""
        parts = []
        for pid, rel, mode, granted, app, state, query, age in rows[:5]:
            flat = " ".join((query or "").split())
            facts = ", ".join(f for f in (f"application {app!r}" if app else None, state,
                                          f"{age:.1f}s" if age is not None else None) if f)
            parts.append(f"pid {pid} {'holds' if granted else 'is queued for'} {mode} on {rel}"
                         + (f" ({facts})" if facts else "") + (f": {flat[:80]}" if flat else ""))
        return ": " + "; ".join(parts)


class PreApplyCheck:
    """The reviewer's check before it starts the executor: is the database still what the plan
    was made against? On a connection of its own; `abort()` (any thread) cancels it, and
    `run(on_wait)` shows whom it waits for. Bounded as the apply is when given `options`."""

    def __init__(self, plan, settings, options=None) -> None:
        self.plan, self.settings, self.options = plan, settings, options
        self._inspection: LiveInspection | None = None
        self._aborted = threading.Event()

    def abort(self) -> None:
        self._aborted.set()
        inspection = self._inspection
        if inspection is not None:
            inspection.abort()

    def run(self, on_wait: Callable | None = None) -> list[str]:
        """Objects changed since the plan was made (empty: safe to apply); InspectionAborted when
        aborted, UserError when the lock timeout ran out. `on_wait(blockers)` is called (from
        another thread) while the check waits for a lock."""
        if not self.plan.fingerprint:
            return []
        if self._aborted.is_set():
            raise InspectionAborted("aborted during the pre-apply check; nothing was applied")
        watch = (self.settings, on_wait) if on_wait is not None else None
        with self.settings.connect() as conn:
            if self.options is not None:
                from dataclasses import replace

                inspection = LiveInspection.for_options(conn, replace(self.options, schema=self.plan.schema),
                                                        watch=watch)
            else:
                inspection = LiveInspection(conn, self.plan.schema, watch=watch)
            self._inspection = inspection
            if self._aborted.is_set():
                inspection.abort()
            try:
                return live_changes(self.plan, inspection)[1]
            finally:
                self._inspection = None


def stale_plan_objects(plan, settings) -> list[str]:
    """Objects that changed in the database since the plan was made (empty: safe to apply)."""
    return PreApplyCheck(plan, settings).run()


def live_changes(plan, inspection: LiveInspection):
    """(the live schema as the plan saw it, the objects changed since the plan was made: empty when
    none) read through `inspection`; the live schema is filtered by the plan's ignore rules."""
    from pgschema_tui.apply.preflight import as_live_fingerprint, changed_objects
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.ir.ignore import IgnoreRules, filter_schema
    from pgschema_tui.plan.fingerprint import fingerprint

    live_schema = inspection.run(lambda c: inspect_schema(c, plan.schema, tuple(plan.search_path)))
    live_schema = filter_schema(live_schema, IgnoreRules.from_json(plan.ignore))[0]
    return live_schema, changed_objects(plan, as_live_fingerprint(fingerprint(live_schema)))


def stale_plan_message(plan, changes: list[str], live_hash: str | None = None) -> str:
    """The refusal for a plan whose schema changed since it was made, naming what changed."""
    listing = "\n".join(f"  {c}" for c in changes)
    now = f", {live_hash[:12]} now" if live_hash else ""
    return (f"schema {plan.schema!r} changed since the plan was made (fingerprint {(plan.fingerprint or '')[:12]} "
            f"at plan time{now}). Changed objects:\n{listing}\nNothing was applied. Plan again against the "
            f"current database.")

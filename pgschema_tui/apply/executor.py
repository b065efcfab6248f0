"""Running a plan against a database, yielding events as it goes.

`execute(plan, settings, options)` is a generator of `apply.events` objects. Each statement
runs in a worker thread on the main connection while a second connection watches it (index
build progress, lock waits), so the generator keeps yielding while the statement runs and
`Executor.abort()` can cancel it from any thread.

Transactions: the whole plan runs in one transaction when every step can; otherwise every
group runs on its own (in a transaction when all its steps can, else step by step in
autocommit). A lock timeout (SQLSTATE 55P03) or a deadlock (40P01: the server rolled this
session back to let the other one through) retries with exponential backoff and jitter: the
failed step in autocommit, or the whole transaction from its first step, because PostgreSQL
has aborted it; the session waited for is named.

Safety: the whole run holds the schema's apply lock (`apply.advisory`), and a step that can
lose stored rows is guarded (`apply.guard`): its relations are locked and probed for rows in
the step's own transaction, right before it runs, unless data loss is accepted.
"""
from __future__ import annotations

import dataclasses
import random
import threading
import time
from dataclasses import dataclass
from typing import Iterator

from pgschema_tui.apply import advisory, guard
from pgschema_tui.apply.events import (
    Event, GroupCommitted, GroupRolledBack, GroupStarted, LockWait, Notice, PlanFinished,
    PlanStarted, Progress, StepFailed, StepFinished, StepStarted,
)
from pgschema_tui.apply.control import ApplyControl, checkpoint, step_checkpoint
from pgschema_tui.apply.lock_queue import watch_queue
from pgschema_tui.apply import index_builds
from pgschema_tui.apply.failures import (  # noqa: F401 - server_error_text: where callers look for it
    DEADLOCK_DETECTED, LOCK_NOT_AVAILABLE, _LockTimeout, _StepFailure, _deadlocked_with, _progress_changed, _span,
    _with, server_error_text,
)
from pgschema_tui.apply.monitor import Blocker, StatementMonitor
from pgschema_tui.apply.options import ApplyOptions, format_duration_ms
from pgschema_tui.apply.statements import concurrent_index, relation_names
from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.ddl.search_path import effective_path, setting_text
from pgschema_tui.errors import UserError
from pgschema_tui.plan.model import Group, Plan, Step

QUERY_CANCELED = "57014"

_INDEX_VALID_SQL = """
SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relname = %s AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
"""
_ANY_BUILD_SQL = "SELECT count(*) FROM pg_stat_progress_create_index WHERE datname = current_database()"


@dataclass(frozen=True)
class _Unit:
    """Groups that commit together: all of them in one transaction, or one group on its own."""

    groups: tuple[int, ...]
    transactional: bool


class Executor:
    """One apply run; `events()` drives it, `abort()` (any thread) cancels the running statement."""

    def __init__(self, plan: Plan, settings, options: ApplyOptions | None = None,
                 control: ApplyControl | None = None):
        self.plan = plan
        self.settings = settings
        self.options = options or ApplyOptions(schema=plan.schema)
        if control is None and self.options.stop_after_group is not None:  # apply --stop-after-group
            control = ApplyControl(stop_after_group=self.options.stop_after_group)
        self.control = control  # pause / stop after group N, asked at each commit point
        self.groups: list[Group] = [g for g in plan.groups if g.steps]
        self._first_step: list[int] = []
        offset = 0
        for group in self.groups:
            self._first_step.append(offset)
            offset += len(group.steps)
        self.total_steps = offset
        self._conn = None
        self._worker: threading.Thread | None = None  # runs the current statement
        self._monitor: StatementMonitor | None = None
        self._aborted = threading.Event()
        self._rng = random.Random()
        self._applied_groups: list[int] = []
        self._applied_steps: list[int] = []
        self._lock_conn = None  # holds the schema's apply lock (advisory.py) for the whole run
        self._invalid_indexes: list[str] = []
        self._dropped_indexes: list[tuple[int, str]] = []  # (step, index) a failed build left INVALID, dropped
        self._failure: _StepFailure | None = None
        self._failed_group: int | None = None
        self._rolled_back: tuple[int, ...] = ()
        self._in_transaction = False  # an explicit BEGIN is open on the main connection
        self._pending: list[str] = []  # notices raised outside a generator (the monitor was lost)
        self._monitor_losses = 0
        self._inspection = None  # the reads of apply/recheck.py, while they run
        self._queue_gave_up: str | None = None  # why we cancelled our own waiting statement
        self._stopped_before: int | None = None  # the run ended before this group, as asked
        self._stopped_at_step: int | None = None  # ... inside it (no transaction), before this step

    # ------------------------------------------------------------ control ---

    def abort(self) -> None:
        """Stop as soon as possible: cancel the running statement, run nothing more."""
        self._aborted.set()
        if self._inspection is not None:
            self._inspection.abort()
        self._cancel_running(wait=False)

    def _cancel_running(self, *, wait: bool) -> None:
        """Cancel the statement the worker thread runs, if any (and with `wait`, let it end)."""
        conn, worker = self._conn, self._worker
        if conn is None or conn.closed or worker is None or not worker.is_alive():
            return
        try:
            conn.cancel_safe()
        except Exception:  # finished meanwhile, or the connection is gone: nothing to cancel
            pass
        if wait:
            worker.join(timeout=5)

    @property
    def backend_pid(self) -> int | None:
        """The pid of the session that runs the plan's statements (None before it connects)."""
        conn = getattr(self, "_conn", None)
        try:
            return conn.info.backend_pid if conn is not None and not conn.closed else None
        except Exception:
            return None

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    # ------------------------------------------------------------- driving ---

    def events(self) -> Iterator[Event]:
        started = time.monotonic()
        yield PlanStarted(total_steps=self.total_steps, total_groups=len(self.groups),
                          fingerprint=self.plan.fingerprint)
        if not self.groups:
            yield PlanFinished(success=True, message="Nothing to apply.")
            return
        try:
            self._connect()
        except (UserError, advisory.ApplyLockBusy) as exc:
            self._close()
            yield PlanFinished(success=False, message=str(exc), duration_seconds=time.monotonic() - started)
            return
        except Exception as exc:  # the server went away while we set the session up
            self._close()
            yield PlanFinished(success=False, message=f"could not prepare the apply session: "
                               f"{server_error_text(exc)}\nNothing was applied.",
                               duration_seconds=time.monotonic() - started)
            return
        try:
            blocked = yield from index_builds.wait_for_other_builds(self)  # e.g. a killed apply's build
            if blocked:
                yield PlanFinished(success=False, message=blocked + "\nCommitted: nothing.",
                                   duration_seconds=round(time.monotonic() - started, 3))
                return
            refused = yield from self._recheck()  # on the schema as those builds left it
            if refused:
                yield PlanFinished(success=False, message=refused, duration_seconds=round(time.monotonic() - started, 3))
                return
            for unit in self._units():
                stop = yield from checkpoint(self, unit.groups[0])
                if stop:
                    break
                if unit.transactional:
                    ok = yield from self._run_transaction(unit)
                else:
                    ok = yield from self._run_autocommit(unit.groups[0])
                if not ok:
                    break
            if self._failure is None and self._stopped_before is None and len(self._applied_groups) < len(self.groups):
                self._stopped_before = len(self._applied_groups)  # the plan-wide unit ended at the limit
            # an abort while paused ends the run short: not a success (an abort that came after the
            # last commit changed nothing and is)
            success = self._failure is None and not (self.aborted and self._stopped_before is not None)
            yield PlanFinished(success=success, applied_groups=tuple(self._applied_groups),
                               applied_steps=tuple(self._applied_steps),
                               duration_seconds=round(time.monotonic() - started, 3),
                               message=self._summary(), invalid_indexes=tuple(self._invalid_indexes),
                               stopped_before=self._stopped_before if self._failure is None else None)
        finally:
            self._close()

    def _recheck(self):
        """The fingerprint and the data checks again, now that no other apply can run (recheck.py);
        read on the lock's session, whose settings are the defaults the plan was read with."""
        from pgschema_tui.apply import recheck

        def keep(inspection) -> None:
            self._inspection = inspection
            if self.aborted:
                inspection.abort()

        try:
            return (yield from recheck.after_lock(self.plan, self._lock_conn, self.options, keep))
        except UserError as exc:
            return str(exc)
        except Exception as exc:  # the server went away meanwhile
            return f"could not check the database again after taking the apply lock: {server_error_text(exc)}\n" \
                   f"Nothing was applied."
        finally:
            self._inspection = None

    def _units(self) -> list[_Unit]:
        if all(g.transactional for g in self.groups):
            # one transaction; "up to group N" known at the start ends it there
            limit = self.control.stop_after_group if self.control is not None else None
            last = len(self.groups) if limit is None else max(0, min(limit + 1, len(self.groups)))
            return [_Unit(tuple(range(last)), True)] if last else []
        return [_Unit((i,), g.transactional) for i, g in enumerate(self.groups)]

    def _steps_of(self, group: int) -> list[tuple[int, Step]]:
        first = self._first_step[group]
        return [(first + k, step) for k, step in enumerate(self.groups[group].steps)]

    @property
    def _search_path(self) -> str:
        return setting_text(effective_path(self.options.schema, tuple(self.plan.search_path or ())))

    def _connect(self) -> None:
        self._conn = self.settings.connect(autocommit=True)
        # Plan SQL is schema-agnostic: unqualified names must land in the target schema and
        # resolve as they were read, with the path the plan was made with (pg_catalog first
        # unless it names it, as in the user's sessions: ddl/search_path.py, inspect/__init__.py)
        self._conn.execute(f"SET search_path TO {self._search_path}")
        # Function bodies are text the plan orders nothing by: a SQL function calling one that
        # is created later (or a table created later) must not fail at CREATE time, as with
        # pg_dump's scripts. Bodies are checked when they run, as PostgreSQL does then.
        self._conn.execute("SET check_function_bodies = off")
        self._monitor = self._open_monitor()
        # One apply at a time on this schema, held by a connection of its own that never runs a
        # statement: when the apply dies (kill -9) that idle session ends at once and frees the
        # lock, while a CREATE INDEX CONCURRENTLY it left on the main session may still run (the
        # next apply then waits for that build: apply/index_builds.py)
        lock_settings = dataclasses.replace(self.settings,
                                            application_name=f"{self.settings.application_name} (apply lock)")
        self._lock_conn = lock_settings.connect(autocommit=True)
        advisory.acquire(self._lock_conn, self.options.schema, self.options.lock_timeout_ms)

    def _open_monitor(self) -> StatementMonitor:
        settings = dataclasses.replace(self.settings, application_name=f"{self.settings.application_name} (monitor)")
        conn = settings.connect(autocommit=True)
        conn.execute(f"SET search_path TO {self._search_path}")
        return StatementMonitor(conn, self._conn.info.backend_pid, self.options.schema)

    def _monitor_lost(self, exc: Exception) -> None:
        """The monitor's session died: open another (a few times at most), else go on without it."""
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        old, self._monitor = self._monitor, None
        if old is not None:
            try:
                old.conn.close()
            except Exception:
                pass
        self._monitor_losses += 1
        if self._monitor_losses <= 3:
            try:
                self._monitor = self._open_monitor()
            except Exception:
                self._monitor = None
        self._pending.append(f"the monitor connection was lost ({first}); " + (
            "reconnected: progress and lock waits are shown again" if self._monitor is not None
            else "the apply continues without progress and lock-wait reports"))

    def _between_statements(self, sql: str, params=()):
        """Rows of a catalog query run while no statement runs: on the monitor, or on the main
        connection (free right now) when the monitor is gone."""
        import psycopg

        if self._monitor is not None:
            try:
                return self._monitor.conn.execute(sql, params).fetchall()
            except psycopg.OperationalError as exc:
                self._monitor_lost(exc)
        return self._conn.execute(sql, params).fetchall()

    def _flush_notices(self, index: int | None = None):
        while self._pending:
            yield Notice(index=index, message=self._pending.pop(0))

    def _close(self) -> None:
        self._cancel_running(wait=True)  # the consumer may stop iterating while a statement runs
        for conn in (self._conn, self._monitor.conn if self._monitor else None, self._lock_conn):
            if conn is not None:
                try:
                    conn.close()  # an open transaction is rolled back by the server
                except Exception:
                    pass

    # -------------------------------------------------------- transactions ---

    def _run_transaction(self, unit: _Unit):
        """Run `unit`'s groups in one transaction, from the start again after a lock timeout."""
        attempt = 0
        while True:
            current = unit.groups[0]
            try:
                self._conn.execute("BEGIN")
                self._in_transaction = True
                for group in unit.groups:
                    current = group
                    yield GroupStarted(group=group, transactional=True)
                    for index, step in self._steps_of(group):
                        yield from self._run_step(index, group, step, attempt)
                last_index = self._steps_of(unit.groups[-1])[-1][0]
                self._commit(last_index)
            except _LockTimeout as timeout:
                self._rollback()
                for group in _started(unit, current):
                    yield GroupRolledBack(group=group, reason=timeout.why or timeout.reason)
                attempt += 1
                if attempt > self.options.lock_retries:
                    yield from self._fail_lock(timeout, current, _started(unit, current))
                    return False
                delay = self._backoff(attempt)
                yield self._lock_wait_event(timeout, attempt, delay)
                first = self._steps_of(unit.groups[0])[0][0]
                yield Notice(
                    index=timeout.index, group=current,
                    message=(f"{timeout.cause()}{_with(timeout)} (attempt {attempt} of "
                             f"{self.options.lock_retries}); its transaction was rolled back, so "
                             f"retrying from step {first + 1} (the start of group {unit.groups[0] + 1}) "
                             f"in {delay:.2f}s"))
                if self._aborted.wait(delay):
                    yield from self._fail_abort(timeout.index, current, _started(unit, current))
                    return False
                continue
            except _StepFailure as failure:
                self._rollback()
                for group in _started(unit, current):
                    yield GroupRolledBack(group=group, reason=failure.message)
                yield from self._fail(failure, current, _started(unit, current))
                return False
            for group in unit.groups:
                self._applied_groups.append(group)
                self._applied_steps.extend(i for i, _ in self._steps_of(group))
                yield GroupCommitted(group=group)
            return True

    def _run_autocommit(self, group: int):
        """Run a group that cannot be in a transaction step by step, retrying a step alone."""
        yield GroupStarted(group=group, transactional=False)
        for position, (index, step) in enumerate(self._steps_of(group)):
            if position and (yield from step_checkpoint(self, group, index)):
                return False  # stopped while paused: the steps before are applied, said by the summary
            attempt = 0
            while True:
                try:
                    yield from self._run_step(index, group, step, attempt)
                except _LockTimeout as timeout:
                    attempt += 1
                    if attempt > self.options.lock_retries:
                        yield from self._fail_lock(timeout, group, ())
                        return False
                    delay = self._backoff(attempt)
                    yield self._lock_wait_event(timeout, attempt, delay)
                    yield Notice(index=index, group=group,
                                 message=(f"{timeout.cause()}{_with(timeout)} (attempt {attempt} "
                                          f"of {self.options.lock_retries}); retrying it in {delay:.2f}s"))
                    if self._aborted.wait(delay):
                        yield from self._fail_abort(index, group, ())
                        return False
                    yield from self._drop_own_invalid_index(index, step)
                    continue
                except _StepFailure as failure:
                    yield from self._fail(failure, group, ())
                    return False
                self._applied_steps.append(index)
                break
        self._applied_groups.append(group)
        yield GroupCommitted(group=group)
        return True

    def _commit(self, last_index: int) -> None:
        import psycopg

        self._in_transaction = False
        try:
            self._conn.execute("COMMIT")
        except psycopg.Error as exc:  # deferred constraints are checked here
            raise _StepFailure(last_index, "COMMIT", server_error_text(exc), getattr(exc, "sqlstate", None))

    def _rollback(self) -> None:
        self._in_transaction = False
        try:
            self._conn.execute("ROLLBACK")
        except Exception:  # the connection may be gone; the server rolls back on close
            pass

    def _backoff(self, attempt: int) -> float:
        return self.options.retry_delay(attempt, self._rng)

    # --------------------------------------------------------------- steps ---

    def _run_step(self, index: int, group: int, step: Step, attempt: int):
        if self.aborted:
            raise _StepFailure(index, step.sql, "aborted by user")
        yield StepStarted(index=index, group=group, path=step.path, operation=step.operation, sql=step.sql,
                          message=step.directive.message if step.directive else "")
        started = time.monotonic()
        risks = [] if guard.DATA_LOSS in self.options.allow_hazards else guard.risks(step)
        if step.directive is not None and step.directive.type == "wait":
            if any(r.kind != guard.STORED for r in risks):
                raise _StepFailure(index, step.sql, "refusing a wait step that is not a read-only query: "
                                   + "; ".join(r.statement for r in risks))
            yield from self._wait(index, step)
        elif risks:
            yield from self._guarded(index, step, risks, attempt)
        else:
            yield from self._execute(index, step, attempt)
        yield from self._flush_notices(index)
        yield StepFinished(index=index, duration_seconds=round(time.monotonic() - started, 3))

    def _guarded(self, index: int, step: Step, risks, attempt: int):
        """Run a step that can lose rows: lock its relations, prove they hold none, then run it,
        all in one transaction (its own when the group has none)."""
        own = not self._in_transaction
        if own:
            self._conn.execute("BEGIN")
            self._in_transaction = True
        try:
            for relation in guard.relations(risks):
                if guard.exists(self._conn, relation):
                    yield from self._statement(index, guard.lock_sql(relation), attempt)
            blocked = [b for b in (guard.verdict(self._conn, risk) for risk in risks) if b is not None]
            if blocked:
                also = "".join(f"\n  and {b}" for b in blocked[1:])
                raise _StepFailure(index, step.sql, (
                    f"refusing step {index + 1}, which can lose stored data (data_loss): {blocked[0]}{also}\n"
                    f"(checked inside the step's transaction after locking the relations). Pass "
                    f"--allow-hazards data_loss to accept the loss."))
            yield from self._execute(index, step, attempt)
            if own:
                self._commit(index)
        except (_LockTimeout, _StepFailure):
            if own:
                self._rollback()
            raise
        except Exception as exc:  # the probe's own queries failed: refuse rather than guess
            if own:
                self._rollback()
            import psycopg

            if not isinstance(exc, psycopg.Error):
                raise
            raise _StepFailure(index, step.sql, f"refusing step {index + 1}: the data-loss check failed: "
                                                f"{server_error_text(exc)}", exc.sqlstate) from None

    def _execute(self, index: int, step: Step, attempt: int):
        """Run a step's statement; a concurrent index build goes through apply/index_builds.py
        (no lock_timeout once it has its table lock, its own failed INVALID index dropped)."""
        if not step.can_run_in_transaction and concurrent_index(step.sql):
            yield from index_builds.run_build(self, index, step.sql, attempt)
        else:
            yield from self._statement(index, step.sql, attempt)

    def _statement(self, index: int, sql: str, attempt: int):
        """Run one statement in a worker thread, yielding progress and lock waits meanwhile."""
        import psycopg

        self._conn.execute(f"SET lock_timeout = {literal(str(self.options.lock_timeout_ms) + 'ms')}")
        if self.options.statement_timeout_ms:  # --statement-timeout (index builds set their own)
            self._conn.execute(f"SET statement_timeout = {literal(str(self.options.statement_timeout_ms) + 'ms')}")
        seen: list[Blocker] = []
        outcome = yield from self._run_watched(sql, lambda finished: self._watch(index, attempt, finished, seen))
        error = outcome.get("error")
        if error is None:
            return outcome.get("rows")
        sqlstate = getattr(error, "sqlstate", None)
        if sqlstate in (LOCK_NOT_AVAILABLE, DEADLOCK_DETECTED):
            if not seen:
                seen.extend(self._holders_after_the_fact(sql))
            raise _LockTimeout(index, error, seen, _deadlocked_with(error, self._conn.info.backend_pid))
        if sqlstate == QUERY_CANCELED and self._queue_gave_up and not self.aborted:
            raise _LockTimeout(index, error, seen, why=self._queue_gave_up)
        if sqlstate == QUERY_CANCELED and self.aborted:
            raise _StepFailure(index, sql, "aborted by user: the running statement was cancelled", sqlstate)
        if sqlstate == QUERY_CANCELED and self.options.statement_timeout_ms and _says_statement_timeout(error):
            raise _StepFailure(index, sql, self._statement_timeout_text(index, error, seen), sqlstate)
        if isinstance(error, psycopg.Error):
            raise _StepFailure(index, sql, server_error_text(error), sqlstate)
        raise error

    def _statement_timeout_text(self, index: int, error, seen: list[Blocker]) -> str:
        """Why the server cancelled step `index`: it ran longer than --statement-timeout."""
        limit = format_duration_ms(self.options.statement_timeout_ms)
        waited = (f" (it was waiting for a lock held by pid {seen[-1].pid}: the time waited counts)"
                  if seen else "")
        return (f"step {index + 1} ran longer than --statement-timeout {limit}, so the server cancelled it"
                f"{waited}\n{server_error_text(error)}")

    def _run_watched(self, sql: str, watch, name: str = "pgschema-tui-statement"):
        """Run `sql` on the main connection in a worker thread (so `abort()` can cancel it) while
        `watch(finished)` yields events; returns {"rows": ...} or {"error": exception}. The one
        way every statement of the plan runs (apply/index_builds.py runs its builds through it)."""
        outcome: dict[str, object] = {}
        finished = threading.Event()
        self._queue_gave_up = None

        def work() -> None:
            try:
                cur = self._conn.execute(sql)
                outcome["rows"] = cur.fetchall() if cur.description else None
            except BaseException as exc:  # handed to the generator thread
                outcome["error"] = exc
            finally:
                finished.set()

        worker = threading.Thread(target=work, name=name, daemon=True)
        self._worker = worker
        worker.start()
        try:
            yield from watch(finished)
        except BaseException:  # the consumer stopped iterating: do not wait for the statement
            self._cancel_running(wait=True)
            raise
        finally:
            worker.join()
        return outcome

    def _watch(self, index: int, attempt: int, finished: threading.Event, seen: list[Blocker]):
        """Poll the monitor until `finished`: lock waits often, index progress every poll_interval."""
        options = self.options
        next_progress = time.monotonic() + options.poll_interval
        announced: dict[int, float] = {}
        queue_shown: tuple[float, tuple] = (0.0, ())
        last_progress: Progress | None = None
        while not finished.wait(options.lock_poll_interval):
            yield from self._flush_notices(index)
            if self._monitor is None:
                continue
            now = time.monotonic()
            try:
                blockers = self._monitor.blockers()
                progress = self._monitor.progress(index) if now >= next_progress else None
            except Exception as exc:  # the monitor is a convenience: never fail the apply over it
                self._monitor_lost(exc)
                continue
            for blocker in blockers:
                if blocker.pid not in announced or now - announced[blocker.pid] >= 1.0:
                    announced[blocker.pid] = now
                    seen[:] = [b for b in seen if b.pid != blocker.pid] + [blocker]
                    yield blocker.lock_wait(index, attempt)
            if blockers:
                queue = yield from watch_queue(self, index, queue_shown)
                if queue is not None:
                    queue_shown = queue
            if now >= next_progress:
                next_progress = now + options.poll_interval
                if progress is not None and _progress_changed(last_progress, progress):
                    last_progress = progress
                    yield progress

    def _holders_after_the_fact(self, sql: str) -> list[Blocker]:
        try:
            return self._monitor.lock_holders(relation_names(sql)) if self._monitor else []
        except Exception:
            return []

    def _wait(self, index: int, step: Step):
        """A wait directive: poll its SQL (done, progress) until done, as Progress events."""
        message = step.directive.message if step.directive else "waiting"
        stalled_since: float | None = None
        last_percent = None
        while True:
            if self.aborted:
                raise _StepFailure(index, step.sql, "aborted by user")
            rows = yield from self._statement(index, step.sql, 0)
            row = rows[0] if rows else None
            done = bool(row[0]) if row else False
            percent = float(row[1]) if row and len(row) > 1 and row[1] is not None else None
            if done:
                yield Progress(index=index, phase=message, percent=100.0)
                return
            yield Progress(index=index, phase=message, percent=percent)
            building = self._between_statements(_ANY_BUILD_SQL)[0][0] > 0
            now = time.monotonic()
            if building or percent != last_percent:
                stalled_since = None
            elif stalled_since is None:
                stalled_since = now
            elif now - stalled_since > self.options.wait_stall_seconds:
                raise _StepFailure(index, step.sql, (
                    f"gave up waiting ({message}): not done after {self.options.wait_stall_seconds:.0f}s "
                    f"and no index build is running"))
            last_percent = percent
            self._aborted.wait(self.options.poll_interval)

    def _index_valid(self, name: str) -> bool | None:
        """indisvalid of index `name` in the target schema; None when there is no such index."""
        rows = self._between_statements(_INDEX_VALID_SQL, (name, self.options.schema))
        row = rows[0] if rows else None
        return None if row is None else bool(row[0])

    def _drop_own_invalid_index(self, index: int, step: Step):
        """Before retrying a CREATE INDEX CONCURRENTLY, drop the INVALID index our failed try left."""
        built = concurrent_index(step.sql)
        if not built or built.name not in self._invalid_indexes:
            return
        drop = f"DROP INDEX CONCURRENTLY IF EXISTS {ident(self.options.schema)}.{ident(built.name)}"
        yield Notice(index=index, message=f"dropping INVALID index {built.name} left by the failed attempt")
        try:
            yield from self._statement(index, drop, 0)
        except _LockTimeout as timeout:
            raise _StepFailure(index, drop, server_error_text(timeout.error), LOCK_NOT_AVAILABLE)
        self._invalid_indexes.remove(built.name)

    # ------------------------------------------------------------ failures ---

    def _lock_wait_event(self, timeout: _LockTimeout, attempt: int, delay: float | None) -> LockWait:
        if timeout.blockers:
            return timeout.blockers[-1].lock_wait(timeout.index, attempt, delay)
        return LockWait(index=timeout.index, blocker_pid=None, attempt=attempt, retry_in_seconds=delay)

    def _fail_lock(self, timeout: _LockTimeout, group: int, rolled_back: tuple[int, ...]):
        who = timeout.who()
        if who:
            who = f"; {'deadlocked with' if timeout.deadlock else 'blocked by'} {who}"
        cause = (f"gave its lock request up: {timeout.why}" if timeout.why
                 else server_error_text(timeout.error))
        message = (f"{cause}\n(gave up after {self.options.lock_retries} "
                   f"{'retry' if self.options.lock_retries == 1 else 'retries'}{who})")
        step_sql = self._step_sql(timeout.index)
        sqlstate = DEADLOCK_DETECTED if timeout.deadlock else LOCK_NOT_AVAILABLE
        yield from self._fail(_StepFailure(timeout.index, step_sql, message, sqlstate), group, rolled_back)

    def _fail_abort(self, index: int, group: int, rolled_back: tuple[int, ...]):
        yield from self._fail(_StepFailure(index, self._step_sql(index), "aborted by user"), group, rolled_back)

    def _fail(self, failure: _StepFailure, group: int, rolled_back: tuple[int, ...]):
        self._failure, self._failed_group, self._rolled_back = failure, group, tuple(rolled_back)
        yield from self._flush_notices(failure.index)
        yield StepFailed(index=failure.index, error=failure.message, sql=failure.sql, sqlstate=failure.sqlstate)

    def _step_sql(self, index: int) -> str:
        return self.plan.steps[index].sql if 0 <= index < self.total_steps else ""

    def _summary(self) -> str:
        """What was applied, in words: the last line a user reads after apply."""
        if self._failure is None and self._stopped_before is not None:
            return self._stop_summary(self._stopped_before)
        if self._failure is None:
            return f"Applied {self.total_steps} steps in {len(self.groups)} groups."
        lines = []
        if self._applied_groups:
            lines.append(f"Committed: group(s) {_span(self._applied_groups)} "
                         f"(steps {_span(self._committed_steps())}).")
        else:
            lines.append("Committed: nothing.")
        if self._rolled_back:
            rolled_steps = [i for g in self._rolled_back for i, _ in self._steps_of(g)]
            lines.append(f"Rolled back: group(s) {_span(list(self._rolled_back))} "
                         f"(steps {_span(rolled_steps)}): none of their statements took effect.")
        else:
            partial = [i for i, _ in self._steps_of(self._failed_group) if i in self._applied_steps]
            if partial:
                lines.append(f"Group {self._failed_group + 1} runs without a transaction: steps "
                             f"{_span(partial)} of it were applied before step {self._failure.index + 1} failed.")
            else:
                how = "was aborted by user" if self.aborted else "failed"
                lines.append(f"Group {self._failed_group + 1} (no transaction): none of its steps completed "
                             f"(step {self._failure.index + 1} {how}).")
        not_run = [g for g in range(len(self.groups))
                   if g not in self._applied_groups and g not in self._rolled_back and g != self._failed_group]
        if not_run:
            lines.append(f"Not run: group(s) {_span(not_run)}.")
        for step, name in self._dropped_indexes:
            how = "interrupted" if self.aborted else "failed"
            lines.append(f"Dropped: the INVALID index {name} the {how} build of step {step + 1} left "
                         f"(DROP INDEX CONCURRENTLY).")
        if self._invalid_indexes:
            lines.append(f"INVALID index(es) left behind: {', '.join(self._invalid_indexes)} "
                         f"(plan again: the planner drops and rebuilds them).")
        return "\n".join(lines)

    def _stop_summary(self, first_not_run: int) -> str:
        how = "Aborted while paused" if self.aborted else "Stopped as asked"
        done = (f"Committed: group(s) {_span(self._applied_groups)} (steps {_span(self._committed_steps())})."
                if self._applied_groups else "Committed: nothing.")
        if self._stopped_at_step is not None:  # inside a group without a transaction
            group, step = first_not_run, self._stopped_at_step
            ran = [i for i, _ in self._steps_of(group) if i < step]
            rest = [i for i, _ in self._steps_of(group) if i >= step]
            later = list(range(group + 1, len(self.groups)))
            return (f"{how} inside group {group + 1} (no transaction), before step {step + 1}: "
                    f"step{'s' if len(ran) != 1 else ''} {_span(ran)} of it {'were' if len(ran) != 1 else 'was'} "
                    f"applied (each committed on its own). {done}\n"
                    f"Not run: step{'s' if len(rest) != 1 else ''} {_span(rest)} of group {group + 1}"
                    + (f", group(s) {_span(later)}" if later else "") + ".")
        left = list(range(first_not_run, len(self.groups)))
        steps = [i for g in left for i, _ in self._steps_of(g)]
        return (f"{how} before group {first_not_run + 1}. {done}\n"
                f"Not run: group(s) {_span(left)} (steps {_span(steps)}).")

    def _committed_steps(self) -> list[int]:
        return [i for g in self._applied_groups for i, _ in self._steps_of(g)]


def _says_statement_timeout(error) -> bool:
    """A cancel the server made for statement_timeout (not pg_cancel_backend, not ours); with
    lc_messages in another language the text cannot tell, so any other cancel counts too."""
    text = str(getattr(getattr(error, "diag", None), "message_primary", None) or error)
    return "user request" not in text


def _started(unit: _Unit, current: int) -> tuple[int, ...]:
    """The groups of a transaction that had started by the time group `current` failed."""
    return unit.groups[: unit.groups.index(current) + 1]


def execute(plan: Plan, settings, options: ApplyOptions | None = None) -> Iterator[Event]:
    """Apply `plan` to the database of `settings`, yielding events; see `Executor` to abort."""
    return Executor(plan, settings, options).events()

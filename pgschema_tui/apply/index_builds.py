"""CREATE INDEX CONCURRENTLY under real conditions: what a build waits for, and what it leaves.

A concurrent build waits, between its phases, for other transactions to end: writers of the
table, then every transaction holding a snapshot older than the build's (a report running on
another table counts). PostgreSQL waits on those transactions' virtualxid locks, so a
`lock_timeout` cuts the build there, after the table scan, and leaves an INVALID index. Here:

- `run_build` runs a build with no lock_timeout (and `statement_timeout` set to
  `--index-build-timeout`, none by default). Only the first wait, for the table's SHARE UPDATE
  EXCLUSIVE lock, is a real lock wait: the monitor times it out as lock_timeout would (before
  anything is built), so the executor's retries still apply. Every other wait is shown as an
  `IndexBuildWait` event naming the session (pid, query, transaction age).
- A build that fails (duplicate keys, the timeout, an abort) leaves an INVALID index. When the
  index did not exist before, it is ours and is dropped at once with `DROP INDEX CONCURRENTLY`;
  a UNIQUE build's message names the duplicate key.
- `wait_for_other_builds` finds builds of other sessions on the relations the plan touches
  (after `kill -9` of an apply, the server goes on building): the apply waits for them to end,
  saying who builds what, instead of queueing behind them (a deadlock, or a lock timeout).

The executor calls `run_build` for a `CREATE INDEX CONCURRENTLY` step and
`wait_for_other_builds` once before its first step.
"""
from __future__ import annotations

import re
import threading
import time

from pgschema_tui.apply.events import IndexBuildInProgress, IndexBuildWait, Notice, Progress
from pgschema_tui.apply.lock_queue import queue_limit_reached
from pgschema_tui.apply.monitor import OtherBuild, Wait
from pgschema_tui.apply.statements import concurrent_index, relation_names
from pgschema_tui.ddl.quote import ident, literal

QUERY_CANCELED = "57014"
UNIQUE_VIOLATION = "23505"
ANNOUNCE_EVERY = 1.0  # seconds between two events about the same wait, at first
ANNOUNCE_AT_MOST = 30.0  # ... then a fifth of the time waited so far, up to this


def _due(announced: dict[int, float], first_seen: dict[int, float], pid: int, now: float) -> bool:
    """Whether to report wait `pid` again: often at first, less and less as it goes on."""
    if pid not in announced:
        return True
    every = max(ANNOUNCE_EVERY, min(ANNOUNCE_AT_MOST, (now - first_seen.get(pid, now)) / 5))
    return now - announced[pid] >= every
_DUPLICATE = re.compile(r"Key \((?P<columns>.*)\)=\((?P<values>.*)\) is duplicated", re.DOTALL)

_INDEX_STATE_SQL = """
SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relname = %s AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
"""


class BuildLockTimeout(Exception):
    """The build waited longer than lock_timeout for its table lock; we cancelled it."""


def index_state(conn, schema: str, name: str) -> bool | None:
    """indisvalid of index `name` in `schema`; None when there is no such index."""
    row = conn.execute(_INDEX_STATE_SQL, (name, schema)).fetchone()
    return None if row is None else bool(row[0])


# ------------------------------------------------------------------ builds ---


def run_build(executor, index: int, sql: str, attempt: int):
    """Run one `CREATE INDEX CONCURRENTLY` step for `executor` (a generator of events).

    Raises the executor's `_LockTimeout` when the table lock was not granted in time, and its
    `_StepFailure` for anything else, after dropping the INVALID index the failed build left.
    """
    from pgschema_tui.apply import executor as ex

    name = concurrent_index(sql).name
    tables = [n for n in relation_names(sql) if n != name]
    blocked = yield from wait_for_other_builds(executor, tables, index=index)
    if blocked:
        raise ex._StepFailure(index, sql, blocked)
    before = _state(executor, name, default=True)  # unknown: never treat the index as ours
    run = _Build(executor, index, name, attempt)
    error = yield from run.execute(sql)
    if error is None:
        if _state(executor, name, default=None) is False:
            executor._invalid_indexes.append(name)
            raise ex._StepFailure(index, sql, (
                f"index {name} exists but is INVALID (left by an earlier failed CREATE INDEX "
                f"CONCURRENTLY), so this statement did not build it; plan again: the planner drops "
                f"and rebuilds invalid indexes"))
        return
    sqlstate = getattr(error, "sqlstate", None)
    if run.queue_gave_up and sqlstate == QUERY_CANCELED and not executor.aborted:
        why = run.queue_gave_up  # the drop below runs a statement, which resets the executor's
        cleanup = yield from _drop_failed_build(executor, index, name, before)
        if cleanup:
            yield Notice(index=index, message=cleanup)
        raise ex._LockTimeout(index, error, [], why=why)
    if run.lock_timed_out:
        yield from _drop_failed_build(executor, index, name, before)
        raise ex._LockTimeout(index, BuildLockTimeout(run.lock_timeout_text()), run.lock_blockers)
    if sqlstate == QUERY_CANCELED and executor.aborted:
        message = "aborted by user: the running statement was cancelled"
    elif sqlstate == QUERY_CANCELED and executor.options.index_build_timeout_ms:
        message = run.build_timeout_text()
    elif sqlstate == UNIQUE_VIOLATION:
        message = _duplicate_text(error, name) + "\n" + ex.server_error_text(error)
    elif hasattr(error, "sqlstate"):
        message = ex.server_error_text(error)
    else:
        raise error
    cleanup = yield from _drop_failed_build(executor, index, name, before)
    if cleanup and name not in executor._invalid_indexes:  # dropped: the summary says so
        executor._dropped_indexes.append((index, name))
    raise ex._StepFailure(index, sql, message + (f"\n{cleanup}" if cleanup else ""), sqlstate)


class _Build:
    """One run of the statement in a worker thread, watched through the monitor connection."""

    def __init__(self, executor, index: int, name: str, attempt: int):
        self.executor, self.index, self.name, self.attempt = executor, index, name, attempt
        self.lock_timed_out = False
        self.queue_gave_up: str | None = None  # why we cancelled the build (--max-lock-queue)
        self.lock_blockers: list = []
        self.last_wait: Wait | None = None
        self._lock_wait: Wait | None = None

    def execute(self, sql: str):
        """Run `sql`, yielding events while it runs; returns the exception it raised, or None."""
        executor, options = self.executor, self.executor.options
        conn = executor._conn
        conn.execute("SET lock_timeout = 0")
        conn.execute(f"SET statement_timeout = {literal(str(options.index_build_timeout_ms) + 'ms')}")
        try:
            outcome = yield from executor._run_watched(sql, self._watch, "pgschema-tui-index-build")
        finally:
            try:
                conn.execute("RESET statement_timeout")
            except Exception:  # the connection is gone: the next statement says so
                pass
        return outcome.get("error")

    def _watch(self, finished: threading.Event):
        from pgschema_tui.apply.executor import _progress_changed

        executor, options = self.executor, self.executor.options
        monitor = executor._monitor
        lock_timeout = options.lock_timeout_ms / 1000
        next_progress = time.monotonic() + options.poll_interval
        announced: dict[int, float] = {}
        first_seen: dict[int, float] = {}
        last_progress: Progress | None = None
        queue_shown: tuple[float, tuple] = (0.0, ())
        while not finished.wait(options.lock_poll_interval):
            now = time.monotonic()
            try:
                waits = monitor.waits()
                progress = monitor.progress(self.index) if now >= next_progress else None
                queue = monitor.build_queue(self.index) if now >= next_progress else None
            except Exception:  # the monitor is a convenience: never fail the build over it
                yield Notice(index=self.index, message=(
                    f"lost the monitor connection: the build of {self.name} goes on, but what it waits "
                    f"for can no longer be shown, nor its wait for the table lock timed out"))
                finished.wait()
                return
            for wait in waits:
                first_seen.setdefault(wait.blocker_pid, now)
                if _due(announced, first_seen, wait.blocker_pid, now):
                    announced[wait.blocker_pid] = now
                    yield self._event(wait, now - first_seen[wait.blocker_pid])
                if not wait.on_transaction:
                    self._lock_wait = wait
                    self.lock_blockers = [w.blocker() for w in waits if not w.on_transaction]
                    waited = wait.waited_seconds if wait.waited_seconds is not None \
                        else now - first_seen[wait.blocker_pid]
                    if waited >= lock_timeout and not self.lock_timed_out:
                        self.lock_timed_out = True  # the table lock is still not ours: nothing is built yet
                        _cancel(executor._conn)
                else:
                    self.last_wait = wait
            if now >= next_progress:
                next_progress = now + options.poll_interval
                if progress is not None and _progress_changed(last_progress, progress):
                    last_progress = progress
                    yield progress
                if queue is not None:
                    queue_shown = yield from self._queue(queue, queue_shown, now)

    def _queue(self, queue, shown: tuple[float, tuple], now: float):
        """Yield the queue behind the build when it changes (and every second while it is not
        empty); give the build up when `--max-lock-queue` sessions wait behind it."""
        shape = tuple((s.pid, s.mode) for s in queue.sessions)
        if shape != shown[1] or (shape and now - shown[0] >= 1.0):
            yield queue
            shown = (now, shape)
        why = queue_limit_reached(self.executor.options, queue)
        if why and self.queue_gave_up is None and not self.lock_timed_out:
            self.queue_gave_up = (f"{why}; behind a concurrent build: sessions asking for a lock that conflicts "
                                  f"with its {queue.lock_mode or 'table lock'}, and the ones waiting behind them")
            _cancel(self.executor._conn)
        return shown

    def _event(self, wait: Wait, waited: float):
        if not wait.on_transaction:  # the table lock: a lock wait like any other statement's
            return wait.blocker().lock_wait(self.index, self.attempt)
        return IndexBuildWait(index=self.index, index_name=self.name, phase=wait.phase or "",
                              blocker_pid=wait.blocker_pid, blocker_query=wait.blocker_query,
                              blocker_state=wait.blocker_state, blocker_application=wait.blocker_application,
                              transaction_age_seconds=wait.blocker_age_seconds,
                              waited_seconds=round(wait.waited_seconds if wait.waited_seconds is not None
                                                   else waited, 3))

    def lock_timeout_text(self) -> str:
        wait = self._lock_wait
        what = f"{wait.lock_mode} on {wait.relation}" if wait else "its table lock"
        return (f"ERROR:  canceling statement due to lock timeout (CREATE INDEX CONCURRENTLY {self.name} "
                f"waited {self.executor.options.lock_timeout_ms} ms for {what})")

    def build_timeout_text(self) -> str:
        seconds = self.executor.options.index_build_timeout_ms / 1000
        text = f"index build of {self.name} did not finish within --index-build-timeout {seconds:g}s"
        if self.last_wait is not None:
            text += f"; it was {describe_wait(self.last_wait)}"
        return text


def _cancel(conn) -> None:
    try:
        conn.cancel_safe()
    except Exception:  # finished meanwhile: nothing to cancel
        pass


def describe_wait(wait: Wait) -> str:
    """`waiting for old snapshots: pid 42 (report, idle in transaction, transaction open 3.1s): SELECT ...`."""
    facts = [f for f in (wait.blocker_application, wait.blocker_state,
                         f"transaction open {wait.blocker_age_seconds:.1f}s"
                         if wait.blocker_age_seconds is not None else None) if f]
    text = f"{wait.phase or 'waiting'}: pid {wait.blocker_pid}" + (f" ({', '.join(facts)})" if facts else "")
    if wait.blocker_query:
        text += ": " + " ".join(wait.blocker_query.split())[:80]
    return text


def _duplicate_text(error, name: str) -> str:
    detail = getattr(getattr(error, "diag", None), "message_detail", None) or ""
    match = _DUPLICATE.search(detail)
    key = f" duplicate key ({match['columns']})=({match['values']})" if match else " duplicate keys"
    return (f"cannot build UNIQUE index {name}: the table holds{key}; remove the duplicates "
            f"(or make the index non-unique) and apply again")


def _state(executor, name: str, default):
    """`index_state` through the monitor connection (a lost one is said and replaced, as for every
    query between statements), else on the main connection, free right now; `default` when
    neither can say."""
    import psycopg

    monitor = executor._monitor
    if monitor is not None:
        try:
            return index_state(monitor.conn, executor.options.schema, name)
        except psycopg.OperationalError as exc:
            executor._monitor_lost(exc)
    try:
        return index_state(executor._conn, executor.options.schema, name)
    except Exception:
        return default


def _drop_failed_build(executor, index: int, name: str, before: bool | None):
    """Drop the INVALID index a failed build of ours left; returns a sentence saying what happened."""
    from pgschema_tui.apply import executor as ex

    schema = executor.options.schema
    state = _state(executor, name, default=None)
    if before is not None or state is not False:
        return ""  # nothing built, or not ours (it existed before this statement)
    drop = f"DROP INDEX CONCURRENTLY IF EXISTS {ident(schema)}.{ident(name)}"
    yield Notice(index=index, message=f"dropping the INVALID index {name} the failed build left ({drop})")
    try:
        yield from executor._statement(index, drop, 0)
    except (ex._LockTimeout, ex._StepFailure) as exc:
        executor._invalid_indexes.append(name)
        reason = ex.server_error_text(exc.error) if isinstance(exc, ex._LockTimeout) else exc.message
        return f"The INVALID index {name} it left could not be dropped: {reason.splitlines()[0]}"
    return (f"The failed build left index {name} INVALID; apply dropped the INVALID index {name} "
            f"(DROP INDEX CONCURRENTLY): nothing is left behind.")


# ------------------------------------------------------- other sessions' builds ---


def plan_relations(executor) -> list[str]:
    """Names of every relation the plan's statements mention (tables, indexes it builds)."""
    names: list[str] = []
    for step in executor.plan.steps:
        if step.directive is not None:
            continue
        built = concurrent_index(step.sql)
        for name in relation_names(step.sql) + ([built.name] if built else []):
            if name not in names:
                names.append(name)
    return names


def wait_for_other_builds(executor, relations: list[str] | None = None, index: int | None = None):
    """Wait until no other session builds an index on `relations` (default: all the plan touches).

    Yields `IndexBuildInProgress` events and notices; returns None when there is nothing (left)
    to wait for, or a message when the wait was aborted or ran past --index-build-timeout.
    """
    monitor = executor._monitor
    if monitor is None:  # lost and not reopened: the statements will wait or time out on their own
        return None
    ours = [executor._conn.info.backend_pid, monitor.conn.info.backend_pid]
    if relations is None:  # parse the plan's statements only when the schema has a build at all
        try:
            if not monitor.other_builds(None, ours):
                return None
        except Exception:
            return None
        relations = plan_relations(executor)
    options = executor.options
    started = time.monotonic()
    seen: dict[int, OtherBuild] = {}
    announced: dict[int, float] = {}
    first_seen: dict[int, float] = {}
    while True:
        try:
            builds = monitor.other_builds(relations, ours)
        except Exception:  # the monitor is a convenience: the statements will wait or time out
            return None
        now = time.monotonic()
        for build in builds:
            if build.pid not in seen:
                yield Notice(index=index, message=_explain(build))
            seen[build.pid] = build
            first_seen.setdefault(build.pid, now)
            if _due(announced, first_seen, build.pid, now):
                announced[build.pid] = now
                yield IndexBuildInProgress(pid=build.pid, index_name=build.index_name, table=build.table,
                                           phase=build.phase, percent=build.percent,
                                           application_name=build.application_name, state=build.state,
                                           running_seconds=build.running_seconds, index=index)
        running = {b.pid for b in builds}
        for pid in [p for p in seen if p not in running]:
            ended = seen.pop(pid)
            yield Notice(index=index, message=_ended(ended, executor))
        if not builds:
            return None
        limit = options.index_build_timeout_ms / 1000
        who = ", ".join(f"pid {b.pid} ({b.index_name or 'index'} on {b.table})" for b in builds)
        if limit and now - started > limit:
            return (f"gave up after --index-build-timeout {limit:g}s waiting for the index build(s) of "
                    f"{who} to end. Nothing more was run.")
        if executor._aborted.wait(options.poll_interval):
            return f"aborted by user while waiting for the index build(s) of {who} to end"


def _explain(build: OtherBuild) -> str:
    app = f", application {build.application_name!r}" if build.application_name else ""
    percent = f" {build.percent:.0f}%" if build.percent is not None else ""
    return (f"index {build.index_name or '(not named yet)'} on {build.table} is being built by pid {build.pid} "
            f"(phase '{build.phase}'{percent}{app}), perhaps by an earlier apply that was interrupted: the "
            f"server finishes a build even after its client is gone. Waiting for it to end before running "
            f"anything that would queue behind it (abort to stop waiting; SELECT pg_cancel_backend({build.pid}) "
            f"stops that build, leaving an INVALID index the next plan rebuilds).")


def _ended(build: OtherBuild, executor) -> str:
    state = None
    if build.index_name:
        state = _state(executor, build.index_name, default=None)
    now = {True: "now valid", False: "left INVALID", None: "not there"}[state]
    return f"the build of {build.index_name or 'an index'} on {build.table} by pid {build.pid} ended ({now})"


# ------------------------------------------------------------------- words ---


def describe_event(event) -> str | None:
    """The sentence the CLI printer and the reviewer show for this module's events."""
    if isinstance(event, IndexBuildWait):
        facts = [f for f in (event.blocker_application, event.blocker_state,
                             f"transaction open {event.transaction_age_seconds:.1f}s"
                             if event.transaction_age_seconds is not None else None) if f]
        text = (f"index {event.index_name} {event.phase or 'waits'}: waiting for pid {event.blocker_pid}"
                + (f" ({', '.join(facts)})" if facts else ""))
        if event.waited_seconds is not None:
            text += f" for {event.waited_seconds:.1f}s"
        if event.blocker_query:
            text += ": " + " ".join(event.blocker_query.split())[:60]
        return text
    if isinstance(event, IndexBuildInProgress):
        percent = f" {event.percent:.0f}%" if event.percent is not None else ""
        app = f" ({event.application_name})" if event.application_name else ""
        return (f"waiting for pid {event.pid}{app} building index {event.index_name or '?'} on "
                f"{event.table}: {event.phase}{percent}")
    return None


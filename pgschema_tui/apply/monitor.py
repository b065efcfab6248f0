"""Watching a running statement from a second connection: index-build progress and lock waits.

The executing connection is busy with the statement, so only another session can see what
it is doing: `pg_stat_progress_create_index` for builds and `pg_blocking_pids` (with
`pg_locks`/`pg_stat_activity`) for whoever holds the lock it waits for.
"""
from __future__ import annotations

from dataclasses import dataclass

from pgschema_tui.apply.events import LockQueue, LockWait, Progress, QueuedSession

_PROGRESS_SQL = """
SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total
FROM pg_stat_progress_create_index WHERE pid = %s
"""

def _same_target(a: str, b: str) -> str:
    """SQL: pg_locks rows `a` and `b` are on the same lockable object."""
    fields = ("database", "relation", "page", "tuple", "virtualxid", "transactionid", "classid", "objid", "objsubid")
    return f"{a}.locktype = {b}.locktype AND " + " AND ".join(
        f"{a}.{f} IS NOT DISTINCT FROM {b}.{f}" for f in fields)


# Who blocks `pid`, what they run, which lock `pid` waits for, what each blocker holds on the
# same object (NULL: it holds nothing there, it waits ahead of `pid` in the queue), and the wait
# chain behind a blocker that itself waits: its first blocker, that one's, ... (5 at most).
_BLOCKERS_SQL = f"""
SELECT b.pid, a.query, a.state,
       extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8,
       w.mode, w.relation::regclass::text,
       (SELECT string_agg(h.mode, ', ' ORDER BY h.mode) FROM pg_locks h
        WHERE h.pid = b.pid AND h.granted AND {_same_target("h", "w")}),
       (WITH RECURSIVE chain(pid, depth) AS (
            SELECT b.pid, 0
            UNION ALL
            SELECT (pg_blocking_pids(c.pid))[1], c.depth + 1 FROM chain c
            WHERE c.depth < 5 AND cardinality(pg_blocking_pids(c.pid)) > 0)
        SELECT coalesce(array_agg(pid ORDER BY depth), '{{}}') FROM chain WHERE depth > 0)
FROM unnest(pg_blocking_pids(%(pid)s)) AS b(pid)
LEFT JOIN pg_stat_activity a ON a.pid = b.pid
LEFT JOIN LATERAL (SELECT l.* FROM pg_locks l WHERE l.pid = %(pid)s AND NOT l.granted LIMIT 1) w ON true
ORDER BY b.pid
"""

# The lock `pid` waits for: the object, the mode it asked for, since when.
_OUR_WAIT_SQL = """
SELECT l.relation::regclass::text, l.mode, extract(epoch FROM clock_timestamp() - l.waitstart)::float8
FROM pg_locks l WHERE l.pid = %(pid)s AND NOT l.granted LIMIT 1
"""

# The queue on that lock: the sessions `pid` waits for (holding a conflicting lock, or waiting
# ahead of it) and the sessions waiting for `pid` (behind it: pg_blocking_pids names `pid` for
# them, also when they only conflict with what `pid` asked for). Only sessions waiting for a
# heavyweight lock are asked for their blockers (pg_blocking_pids is not free).
_QUEUE_SQL = f"""
WITH w AS MATERIALIZED (SELECT l.* FROM pg_locks l WHERE l.pid = %(pid)s AND NOT l.granted LIMIT 1),
waiting AS MATERIALIZED (
    SELECT a.pid FROM pg_stat_activity a WHERE a.wait_event_type = 'Lock' AND a.pid <> %(pid)s
),
queue AS MATERIALIZED (
    SELECT b.pid, 'ahead'::text AS place FROM unnest(pg_blocking_pids(%(pid)s)) AS b(pid)
    UNION
    SELECT q.pid, 'behind' FROM waiting q WHERE %(pid)s = ANY(pg_blocking_pids(q.pid))
)
SELECT q.pid,
       CASE WHEN q.place = 'ahead' AND held.modes IS NOT NULL THEN 'holds' ELSE q.place END,
       CASE WHEN q.place = 'ahead' AND held.modes IS NOT NULL THEN held.modes ELSE wants.mode END,
       a.state, extract(epoch FROM clock_timestamp() - wants.waitstart)::float8,
       extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8,
       a.query, a.application_name
FROM queue q
CROSS JOIN w
LEFT JOIN pg_stat_activity a ON a.pid = q.pid
LEFT JOIN LATERAL (SELECT string_agg(h.mode, ', ' ORDER BY h.mode) AS modes FROM pg_locks h
                   WHERE h.pid = q.pid AND h.granted AND {_same_target("h", "w")}) held ON true
LEFT JOIN LATERAL (SELECT l.mode, l.waitstart FROM pg_locks l WHERE l.pid = q.pid AND NOT l.granted LIMIT 1
                  ) wants ON true
ORDER BY q.place <> 'ahead', wants.waitstart NULLS FIRST, q.pid
"""

# The queue behind a CREATE INDEX CONCURRENTLY: every session waiting for `pid`, directly
# (pg_blocking_pids names it: it asked for a lock conflicting with the build's SHARE UPDATE
# EXCLUSIVE, held or requested) or through a session itself waiting for `pid` (readers behind
# an ALTER TABLE that waits for the build). A build holds its lock for its whole run, so this
# is read in every phase, not only while it waits for a lock. Plain reads and writes never
# conflict with the build: they appear only behind such DDL. `relation`/`mode` is the build's
# own lock on its table.
_BUILD_QUEUE_SQL = """
WITH RECURSIVE ours AS MATERIALIZED (
    SELECT l.relation::regclass::text AS relation, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE l.pid = %(pid)s AND l.locktype = 'relation' AND c.relkind IN ('r', 'p', 'm')
    ORDER BY l.granted LIMIT 1
),
waiting AS MATERIALIZED (
    SELECT a.pid, pg_blocking_pids(a.pid) AS blockers FROM pg_stat_activity a
    WHERE a.wait_event_type = 'Lock' AND a.pid <> %(pid)s
),
behind(pid, depth) AS (
    SELECT w.pid, 1 FROM waiting w WHERE %(pid)s = ANY(w.blockers)
    UNION
    SELECT w.pid, b.depth + 1 FROM waiting w JOIN behind b ON b.pid = ANY(w.blockers) WHERE b.depth < 8
),
queue AS (SELECT pid, min(depth) AS depth FROM behind GROUP BY pid)
SELECT o.relation, o.mode, q.pid, wants.mode, a.state,
       extract(epoch FROM clock_timestamp() - wants.waitstart)::float8,
       extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8,
       a.query, a.application_name
FROM ours o
LEFT JOIN queue q ON true
LEFT JOIN pg_stat_activity a ON a.pid = q.pid
LEFT JOIN LATERAL (SELECT l.mode, l.waitstart FROM pg_locks l WHERE l.pid = q.pid AND NOT l.granted LIMIT 1
                  ) wants ON true
ORDER BY q.depth, wants.waitstart NULLS FIRST, q.pid
"""

# Fallback when the wait ended before we saw it: sessions holding locks on these relations
# (what our statement asked for is no longer known; the mode is the one they hold).
_HOLDERS_SQL = """
SELECT DISTINCT ON (l.pid) l.pid, a.query, a.state,
       extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8,
       NULL::text, c.relname, l.mode
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND l.pid <> %(pid)s AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %(schema)s)
  AND c.relname = ANY(%(names)s) AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY l.pid
"""

# What `pid` waits for right now (the lock it has not been granted) and who holds it: for a
# CREATE INDEX CONCURRENTLY, a `virtualxid` lock is another transaction it waits to see end.
_WAITS_SQL = """
SELECT w.locktype, w.mode, w.relation::regclass::text,
       extract(epoch FROM clock_timestamp() - w.waitstart)::float8,
       b.pid, a.query, a.state, a.application_name,
       extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8,
       (SELECT p.phase FROM pg_stat_progress_create_index p WHERE p.pid = %(pid)s)
FROM pg_locks w
CROSS JOIN LATERAL unnest(pg_blocking_pids(%(pid)s)) AS b(pid)
LEFT JOIN pg_stat_activity a ON a.pid = b.pid
WHERE w.pid = %(pid)s AND NOT w.granted
ORDER BY b.pid
"""

# Index builds by other sessions on these relations of the schema (a killed apply's build
# goes on in the server until it ends).
_OTHER_BUILDS_SQL = """
SELECT p.pid, ic.relname, t.relname, p.phase, p.blocks_done, p.blocks_total, p.tuples_done, p.tuples_total,
       a.application_name, a.state, extract(epoch FROM clock_timestamp() - a.query_start)::float8
FROM pg_stat_progress_create_index p
JOIN pg_class t ON t.oid = p.relid
LEFT JOIN pg_class ic ON ic.oid = p.index_relid
LEFT JOIN pg_stat_activity a ON a.pid = p.pid
WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %(schema)s)
  AND p.pid <> ALL(%(ours)s)
  AND (%(names)s::text[] IS NULL OR t.relname = ANY(%(names)s) OR ic.relname = ANY(%(names)s))
ORDER BY p.pid
"""

# Share of the whole build each phase covers, so the percentage only ever grows.
# (start, end) in percent; a phase with a block or tuple counter fills its band by it.
_PHASE_BANDS: dict[str, tuple[float, float]] = {
    "initializing": (0, 1),
    "waiting for writers before build": (1, 2),
    "building index: scanning table": (2, 45),
    "building index: sorting live tuples": (45, 50),
    "building index: loading tuples in tree": (50, 70),
    "waiting for writers before validation": (70, 72),
    "index validation: scanning index": (72, 80),
    "index validation: sorting tuples": (80, 82),
    "index validation: scanning table": (82, 96),
    "waiting for old snapshots": (96, 98),
    "waiting for readers before marking dead": (98, 99),
    "waiting for readers before dropping": (99, 100),
}


def build_percent(phase: str, blocks_done, blocks_total, tuples_done, tuples_total) -> float | None:
    """Overall completion of an index build from one progress row (None for unknown phases)."""
    band = next((b for name, b in _PHASE_BANDS.items() if phase.startswith(name)), None)
    if band is None:
        return None
    start, end = band
    if blocks_total:
        fraction = blocks_done / blocks_total
    elif tuples_total:
        fraction = tuples_done / tuples_total
    else:
        fraction = 0.0
    return round(start + (end - start) * min(max(fraction, 0.0), 1.0), 1)


@dataclass(frozen=True)
class Blocker:
    pid: int
    query: str | None
    state: str | None
    age_seconds: float | None
    lock_mode: str | None  # what the waiting statement asked for
    relation: str | None
    held_mode: str | None = None  # what the blocker holds there (None: it waits ahead, or unknown)
    waits_for: tuple[int, ...] | list[int] | None = ()  # the chain the blocker itself waits on

    def lock_wait(self, index: int, attempt: int, retry_in: float | None = None) -> LockWait:
        return LockWait(index=index, blocker_pid=self.pid, blocker_query=self.query,
                        blocker_state=self.state, blocker_age_seconds=self.age_seconds,
                        lock_mode=self.lock_mode, relation=self.relation, attempt=attempt,
                        retry_in_seconds=retry_in, blocker_mode=self.held_mode,
                        blocker_waits_for=tuple(self.waits_for or ()))


@dataclass(frozen=True)
class Wait:
    """One session `pid` waits for: the lock it was not granted and the session holding it."""

    locktype: str
    lock_mode: str | None
    relation: str | None
    waited_seconds: float | None
    blocker_pid: int
    blocker_query: str | None
    blocker_state: str | None
    blocker_application: str | None
    blocker_age_seconds: float | None
    phase: str | None  # the index build's phase, when `pid` builds one

    @property
    def on_transaction(self) -> bool:
        """Waiting for a transaction to end (virtualxid/transaction), not for a lock on an object."""
        return self.locktype in ("virtualxid", "transactionid")

    def blocker(self) -> Blocker:
        return Blocker(self.blocker_pid, self.blocker_query, self.blocker_state, self.blocker_age_seconds,
                       self.lock_mode, self.relation)


@dataclass(frozen=True)
class OtherBuild:
    """An index build another session runs (pg_stat_progress_create_index)."""

    pid: int
    index_name: str | None
    table: str
    phase: str
    percent: float | None
    application_name: str | None
    state: str | None
    running_seconds: float | None


class StatementMonitor:
    """Polls one backend (`pid`) through its own connection; every method returns fresh facts."""

    def __init__(self, conn, pid: int, schema: str):
        self.conn, self.pid, self.schema = conn, pid, schema
        self._last_percent: dict[int, float] = {}

    def progress(self, index: int) -> Progress | None:
        """A Progress event for step `index` when `pid` is building an index, else None."""
        row = self.conn.execute(_PROGRESS_SQL, (self.pid,)).fetchone()
        if row is None:
            return None
        phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total = row
        percent = build_percent(phase, blocks_done, blocks_total, tuples_done, tuples_total)
        if percent is not None:  # one build's percentage never goes backwards
            percent = max(percent, self._last_percent.get(index, 0.0))
            self._last_percent[index] = percent
        return Progress(index=index, phase=phase, percent=percent, blocks_done=blocks_done,
                        blocks_total=blocks_total, tuples_done=tuples_done, tuples_total=tuples_total,
                        lockers_done=lockers_done, lockers_total=lockers_total)

    def blockers(self) -> list[Blocker]:
        """Sessions `pid` is waiting for right now (empty when it is not waiting)."""
        rows = self.conn.execute(_BLOCKERS_SQL, {"pid": self.pid}).fetchall()
        return [Blocker(*row) for row in rows]

    def queue(self, index: int) -> LockQueue | None:
        """The queue on the lock `pid` waits for (None when it waits for none)."""
        ours = self.conn.execute(_OUR_WAIT_SQL, {"pid": self.pid}).fetchone()
        if ours is None:
            return None
        rows = self.conn.execute(_QUEUE_SQL, {"pid": self.pid}).fetchall()
        return LockQueue(index=index, relation=ours[0], lock_mode=ours[1], waited_seconds=ours[2],
                         sessions=tuple(QueuedSession(*row) for row in rows))

    def build_queue(self, index: int) -> LockQueue | None:
        """The sessions queued behind a running CREATE INDEX CONCURRENTLY (`_BUILD_QUEUE_SQL`);
        None when it holds or asks for no lock on a table (not started, or finished)."""
        rows = self.conn.execute(_BUILD_QUEUE_SQL, {"pid": self.pid}).fetchall()
        if not rows:
            return None
        sessions = tuple(QueuedSession(pid, "behind", mode, state, waited, running, query, app)
                         for _rel, _ours, pid, mode, state, waited, running, query, app in rows if pid is not None)
        return LockQueue(index=index, relation=rows[0][0], lock_mode=rows[0][1], waited_seconds=None,
                         sessions=sessions)

    def waits(self) -> list[Wait]:
        """What `pid` waits for right now, one row per blocking session (empty when not waiting)."""
        rows = self.conn.execute(_WAITS_SQL, {"pid": self.pid}).fetchall()
        return [Wait(*row) for row in rows]

    def other_builds(self, relations: list[str] | None, ours: list[int]) -> list[OtherBuild]:
        """Index builds of other sessions (not `ours`) on these relations (tables or indexes) of the
        schema, or on any of its relations when `relations` is None."""
        if relations is not None and not relations:
            return []
        rows = self.conn.execute(_OTHER_BUILDS_SQL, {"schema": self.schema, "names": relations,
                                                     "ours": ours}).fetchall()
        return [OtherBuild(pid, index_name, table, phase,
                           build_percent(phase, blocks_done, blocks_total, tuples_done, tuples_total),
                           app, state, running)
                for pid, index_name, table, phase, blocks_done, blocks_total, tuples_done, tuples_total,
                app, state, running in rows]

    def lock_holders(self, relations: list[str]) -> list[Blocker]:
        """Other sessions holding any lock on these relations of the schema (after the fact)."""
        if not relations:
            return []
        rows = self.conn.execute(_HOLDERS_SQL, {"pid": self.pid, "schema": self.schema,
                                                "names": relations}).fetchall()
        return [Blocker(*row) for row in rows]

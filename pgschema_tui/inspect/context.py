"""What every catalog reader needs: the connection, the target schema and server facts.

Readers run one set-based query each through `InspectContext.rows`, filtered by the
schema's namespace oid, and name other objects with `qualify` so that names outside the
target schema keep their schema prefix (the IR's reference convention).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row, tuple_row

from pgschema_tui.inspect.version import ServerVersion

# Filters out objects that belong to an extension (CREATE EXTENSION makes them, the
# extension script owns them); `{cls}` is the catalog, `{oid}` the column holding the oid.
NOT_EXTENSION_MEMBER = """NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ext
    WHERE ext.classid = '{cls}'::regclass AND ext.objid = {oid} AND ext.deptype = 'e')"""

_IN_ERROR = TransactionStatus.INERROR

SYSTEM_SCHEMAS = frozenset({"pg_catalog", "information_schema", "pg_toast"})


def not_extension_member(catalog: str, oid_column: str) -> str:
    """SQL condition: the object with oid `oid_column` in `catalog` is not an extension member."""
    return NOT_EXTENSION_MEMBER.format(cls=f"pg_catalog.{catalog}", oid=oid_column)


@dataclass
class InspectContext:
    """The state shared by the readers of one `inspect_schema` call.

    `ahead` runs the queries sent ahead (`send_ahead`) on a thread of its own: a reader asking
    for one of them waits for its rows instead of running it."""

    conn: object  # psycopg.Connection
    schema: str
    namespace_oid: int
    version: ServerVersion
    current_user: str
    ahead: "_QueriesAhead | None" = None
    # (table oid, attnum) -> name of every column of the schema's tables, inherited ones
    # included: `read_tables` fills it, `read_constraints` (which runs after it) names keys with it
    column_names: dict = field(default_factory=dict)

    def rows(self, sql: str, params: dict | None = None) -> list[dict]:
        """Run one query with `%(nsp)s` (namespace oid) and `%(schema)s` (name) bound; rows as dicts."""
        return self._fetch((sql, _frozen(params), False, False))

    def tuples(self, sql: str, params: dict | None = None, *, hash_joins: bool = False) -> list[tuple]:
        """Like `rows`, with plain tuples (for the big queries: no dict per row).

        `hash_joins` switches nested-loop joins off for this query: right after DDL the
        catalogs' statistics are stale (a thousand new tables estimated as one row), and a
        query joining all of pg_depend to them runs 3x slower as the nested loops planned
        from that. Only for queries that read whole catalogs anyway.
        """
        return self._fetch((sql, _frozen(params), True, hash_joins))

    def send_ahead(self, keys: list[tuple], open_connection=None) -> None:
        """Run the queries `keys` (as recorded by `QueryRecorder`) in order on a thread, while
        the readers work through the rows of the first ones: the server's time and the readers'
        overlap (the thread waits on the socket without the GIL). The connection is the
        thread's until `finish_ahead`, or until every query has run.

        `open_connection` (optional) opens a second connection, set up like the first, on which
        a second thread takes the next query not yet started: the server runs two at a time."""
        self.ahead = _QueriesAhead(self, keys, open_connection)

    def finish_ahead(self) -> None:
        """Stop running queries ahead (the one running completes) and give the connection back."""
        if self.ahead is not None:
            self.ahead.stop()
            self.ahead = None

    def _fetch(self, key: tuple) -> list:
        if self.ahead is not None:
            found = self.ahead.take(key)
            if found is not None:
                return found
            self.finish_ahead()  # not sent ahead: the connection is needed here
        return self._run(key)

    def _run(self, key: tuple) -> list:
        sql, params, as_tuples, hash_joins = key
        bound = {"nsp": self.namespace_oid, "schema": self.schema, **dict(params)}
        with self.conn.cursor(row_factory=tuple_row if as_tuples else dict_row) as cur:
            if not hash_joins:
                return cur.execute(sql, bound).fetchall()
            # for this query only: RESET returns to the value the session started with
            self.conn.execute("SELECT set_config('enable_nestloop', 'off', false)")
            try:
                return cur.execute(sql, bound).fetchall()
            finally:
                # (in a failed transaction the RESET would fail too, and the rollback undoes the SET)
                if self.conn.info.transaction_status != _IN_ERROR:
                    self.conn.execute("RESET enable_nestloop")

    def qualify(self, namespace: str, name: str) -> str:
        """Raw reference name: `name` in the target schema, `namespace.name` elsewhere."""
        return name if namespace == self.schema else f"{namespace}.{name}"


class _QueriesAhead:
    """The threads running an inspection's queries, each taking the next query not yet started,
    and the rows (or the error) of each query.

    A query's rows are handed over once (`take`); after an error no new query starts, and the
    reader asking for the failed query gets the error."""

    def __init__(self, ctx: InspectContext, keys: list[tuple], open_connection=None):
        self._keys = list(dict.fromkeys(keys))  # a query asked twice runs once ahead
        self._done = {key: threading.Event() for key in self._keys}
        self._results: dict[tuple, object] = {}
        self._lock = threading.Lock()
        self._next = 0
        self._stopping = False
        self._running = 1 + (open_connection is not None)
        self._threads = [threading.Thread(target=self._work, args=(ctx,), name="inspect-queries", daemon=True)]
        if open_connection is not None:
            self._threads.append(threading.Thread(target=self._work_on_second, args=(ctx, open_connection),
                                                  name="inspect-queries-2", daemon=True))
        for thread in self._threads:
            thread.start()

    def _claim(self) -> tuple | None:
        with self._lock:
            if self._stopping or self._next == len(self._keys):
                return None
            self._next += 1
            return self._keys[self._next - 1]

    def _work(self, ctx: InspectContext) -> None:
        try:
            while (key := self._claim()) is not None:
                try:
                    self._results[key] = ctx._run(key)
                except Exception as exc:  # handed to the reader that asks for it
                    self._results[key] = exc
                    self._stopping = True
                finally:
                    self._done[key].set()
        finally:
            self._thread_ended()

    def _work_on_second(self, ctx: InspectContext, open_connection) -> None:
        try:
            conn = open_connection()
        except Exception:  # (a connection limit, say) the first connection runs every query
            self._thread_ended()
            return
        with conn:
            self._work(replace(ctx, conn=conn, ahead=None))

    def _thread_ended(self) -> None:
        with self._lock:
            self._running -= 1
            last = self._running == 0
        if last:  # queries never started: their readers run them
            for event in self._done.values():
                event.set()

    def take(self, key: tuple) -> list | None:
        """The rows of `key`, waiting for them; None when it was not (or not yet) run ahead."""
        event = self._done.get(key)
        if event is None:
            return None
        event.wait()
        if key not in self._results:  # not started before a stop, or already handed over
            return None
        found = self._results.pop(key)
        if isinstance(found, Exception):
            raise found
        return found

    def stop(self) -> None:
        self._stopping = True
        for thread in self._threads:
            thread.join()


class QueryRecorder(InspectContext):
    """A context that runs no query: it records each one a reader asks for and answers it
    with no rows. Readers choose their SQL from the server version alone, so running them
    against a recorder first lists the queries they will ask for, to send them ahead."""

    def __init__(self, ctx: InspectContext):
        super().__init__(ctx.conn, ctx.schema, ctx.namespace_oid, ctx.version, ctx.current_user)
        self.keys: list[tuple] = []

    def _fetch(self, key: tuple) -> list:
        self.keys.append(key)
        return []


def recorded_queries(ctx: InspectContext, read) -> list[tuple]:
    """The queries `read(ctx)` asks for, in order (`read` runs against a `QueryRecorder`)."""
    recorder = QueryRecorder(ctx)
    read(recorder)
    return recorder.keys


def _frozen(params: dict | None) -> tuple:
    """Query parameters as part of a query's key (hashable, order-independent)."""
    return tuple(sorted((params or {}).items()))


def collation_name_sql(collation: str, namespace: str, schema_param: str = "%(schema)s") -> str:
    """SQL expression printing a collation as a reference: quoted, qualified outside the
    target schema and pg_catalog (`"C"`, `other."de_DE"`)."""
    return (f"CASE WHEN {namespace}.nspname IN ('pg_catalog', {schema_param}) "
            f"THEN quote_ident({collation}.collname) "
            f"ELSE quote_ident({namespace}.nspname) || '.' || quote_ident({collation}.collname) END")


def comment_sql(catalog: str, oid: str, sub: str = "0") -> str:
    """Scalar subquery for an object's COMMENT (an index lookup per row, whatever the statistics)."""
    return (f"(SELECT d.description FROM pg_catalog.pg_description d"
            f" WHERE d.classoid = 'pg_catalog.{catalog}'::regclass AND d.objoid = {oid} AND d.objsubid = {sub})")


def function_name_sql(oid: str, schema_param: str = "%(schema)s") -> str:
    """SQL expression naming a function by oid as a reference: quoted, qualified outside the
    target schema and pg_catalog; NULL for oid 0. (`regproc` output is not used because it
    qualifies every overloaded name, e.g. a user `numeric_accum` next to pg_catalog's.)"""
    return (f"(SELECT CASE WHEN fn.nspname IN ('pg_catalog', {schema_param}) THEN quote_ident(fp.proname)"
            f" ELSE quote_ident(fn.nspname) || '.' || quote_ident(fp.proname) END"
            f" FROM pg_catalog.pg_proc fp JOIN pg_catalog.pg_namespace fn ON fn.oid = fp.pronamespace"
            f" WHERE fp.oid = {oid})")

"""What every catalog reader needs: the connection, the target schema and server facts.

Readers run one set-based query each through `InspectContext.rows`, filtered by the
schema's namespace oid, and name other objects with `qualify` so that names outside the
target schema keep their schema prefix (the IR's reference convention).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from psycopg.rows import dict_row, tuple_row

from pgschema_tui.inspect.version import ServerVersion

# Filters out objects that belong to an extension (CREATE EXTENSION makes them, the
# extension script owns them); `{cls}` is the catalog, `{oid}` the column holding the oid.
NOT_EXTENSION_MEMBER = """NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ext
    WHERE ext.classid = '{cls}'::regclass AND ext.objid = {oid} AND ext.deptype = 'e')"""

SYSTEM_SCHEMAS = frozenset({"pg_catalog", "information_schema", "pg_toast"})


def not_extension_member(catalog: str, oid_column: str) -> str:
    """SQL condition: the object with oid `oid_column` in `catalog` is not an extension member."""
    return NOT_EXTENSION_MEMBER.format(cls=f"pg_catalog.{catalog}", oid=oid_column)


@dataclass
class InspectContext:
    """The state shared by the readers of one `inspect_schema` call.

    `sent` holds the results of queries sent ahead in one pipeline (`send_ahead`): a reader
    asking for one of them gets its rows without a round trip of its own."""

    conn: object  # psycopg.Connection
    schema: str
    namespace_oid: int
    version: ServerVersion
    current_user: str
    sent: dict = field(default_factory=dict)  # query key -> cursor holding its pending result

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

    def send_ahead(self, keys: list[tuple]) -> None:
        """Send the queries `keys` (as recorded by `QueryRecorder`) in one pipeline without
        waiting for them: the server runs them back to back while the readers work through
        the results of the first ones. Must run inside `conn.pipeline()`."""
        for key in keys:
            if key not in self.sent:
                self.sent[key] = self._execute(key)

    def _fetch(self, key: tuple) -> list:
        cur = self.sent.pop(key, None)
        if cur is None:
            cur = self._execute(key)
        with cur:
            return cur.fetchall()

    def _execute(self, key: tuple):
        sql, params, as_tuples, hash_joins = key
        bound = {"nsp": self.namespace_oid, "schema": self.schema, **dict(params)}
        cur = self.conn.cursor(row_factory=tuple_row if as_tuples else dict_row)
        if hash_joins:  # for this query only: RESET returns to the value the session started with
            self.conn.execute("SELECT set_config('enable_nestloop', 'off', false)")
            cur.execute(sql, bound)
            self.conn.execute("RESET enable_nestloop")
        else:
            cur.execute(sql, bound)
        return cur


    def qualify(self, namespace: str, name: str) -> str:
        """Raw reference name: `name` in the target schema, `namespace.name` elsewhere."""
        return name if namespace == self.schema else f"{namespace}.{name}"


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

"""What every catalog reader needs: the connection, the target schema and server facts.

Readers run one set-based query each through `InspectContext.rows`, filtered by the
schema's namespace oid, and name other objects with `qualify` so that names outside the
target schema keep their schema prefix (the IR's reference convention).
"""
from __future__ import annotations

from dataclasses import dataclass

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
    """The state shared by the readers of one `inspect_schema` call."""

    conn: object  # psycopg.Connection
    schema: str
    namespace_oid: int
    version: ServerVersion
    current_user: str

    def rows(self, sql: str, params: dict | None = None) -> list[dict]:
        """Run one query with `%(nsp)s` (namespace oid) and `%(schema)s` (name) bound; rows as dicts."""
        bound = {"nsp": self.namespace_oid, "schema": self.schema, **(params or {})}
        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql, bound)
            return cur.fetchall()

    def tuples(self, sql: str, params: dict | None = None, *, hash_joins: bool = False) -> list[tuple]:
        """Like `rows`, with plain tuples (for the big queries: no dict per row).

        `hash_joins` switches nested-loop joins off for this query: right after DDL the
        catalogs' statistics are stale (a thousand new tables estimated as one row), and a
        query joining all of pg_depend to them runs 3x slower as the nested loops planned
        from that. Only for queries that read whole catalogs anyway.
        """
        bound = {"nsp": self.namespace_oid, "schema": self.schema, **(params or {})}
        with self.conn.cursor(row_factory=tuple_row) as cur:
            if hash_joins:
                cur.execute("SELECT current_setting('enable_nestloop'), set_config('enable_nestloop', 'off', false)")
                previous = cur.fetchone()[0]
            try:
                cur.execute(sql, bound)
                return cur.fetchall()
            finally:
                if hash_joins:
                    cur.execute("SELECT set_config('enable_nestloop', %s, false)", (previous,))

    def qualify(self, namespace: str, name: str) -> str:
        """Raw reference name: `name` in the target schema, `namespace.name` elsewhere."""
        return name if namespace == self.schema else f"{namespace}.{name}"


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

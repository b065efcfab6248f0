"""Catalog inspection: a live database schema -> `ir.Schema`.

`inspect_schema` runs one set-based query per object kind (never one per object), with
`search_path` set to the inspected schema (then the session's other schemas, pg_catalog
implicitly first: `ddl/search_path.py`) so that `format_type`, `regclass` and the
`pg_get_*def` functions print the names the session reaches unqualified, others qualified. Each reader module documents the representation choices the parser mirrors.
Objects that belong to an extension and system-generated objects (array and row types,
TOAST tables, identity sequences, internal triggers) are skipped.
"""
from __future__ import annotations

from contextlib import contextmanager

from pgschema_tui.errors import UserError
from pgschema_tui.inspect.aggregates import read_aggregates
from pgschema_tui.inspect.constraints import read_constraints
from pgschema_tui.inspect.context import InspectContext, comment_sql, recorded_queries
from pgschema_tui.inspect.deps import read_dependencies
from pgschema_tui.inspect.domains import read_domains
from pgschema_tui.inspect.indexes import read_indexes
from pgschema_tui.inspect.policies import read_policies
from pgschema_tui.inspect.privileges import read_default_privileges, read_grants
from pgschema_tui.inspect.rare_kinds import read_rare_kinds
from pgschema_tui.inspect.routines import read_routines
from pgschema_tui.inspect.sequences import read_sequences
from pgschema_tui.inspect.tables import read_tables
from pgschema_tui.inspect.triggers import read_triggers
from pgschema_tui.inspect.types import read_types
from pgschema_tui.inspect.version import ServerVersion
from pgschema_tui.inspect.views import read_views
from pgschema_tui.ir import model as ir

__all__ = ["inspect_schema", "schema_exists"]

_NAMESPACE = f"""
SELECT n.oid, {comment_sql('pg_namespace', 'n.oid')} AS description
FROM pg_catalog.pg_namespace n
WHERE n.nspname = %s
"""


def schema_exists(conn, schema: str) -> bool:
    """Whether the database has a schema named `schema` (raw name)."""
    return conn.execute(_NAMESPACE, (schema,)).fetchone() is not None


# The namespace with the session facts the readers need, in one round trip.
_SESSION = f"""
SELECT namespace.oid, namespace.description, current_user::text,
       current_setting('server_version_num')::int
FROM ({_NAMESPACE}) namespace
"""


def inspect_schema(conn, schema: str, search_path: tuple[str, ...] = (), open_connection=None) -> ir.Schema:
    """Read every object of `schema` from the live database into the IR, with `search_path`
    set to `schema` and then the other schemas of `search_path` (`ddl/search_path.py`).

    `open_connection` (optional, e.g. `ConnectionSettings.connect`) opens a second connection
    to the same database: the catalog queries then run two at a time (closed on return).

    Raises `UserError` when the schema does not exist.
    """
    found = conn.execute(_SESSION, (schema,)).fetchone()
    if found is None:
        raise UserError(f'schema "{schema}" does not exist')
    namespace_oid, comment, current_user, version_number = found
    ctx = InspectContext(conn, schema, namespace_oid, ServerVersion(version_number), current_user)
    result = ir.Schema(name=schema, comment=comment)
    from pgschema_tui.ddl.search_path import effective_path  # lazily: dump imports ddl in a thread meanwhile

    def read_all(ctx):
        deps = read_dependencies(ctx)
        readers = (
            read_types(ctx, deps), read_domains(ctx, deps), read_sequences(ctx), read_routines(ctx, deps),
            read_aggregates(ctx, deps), read_tables(ctx, deps), read_constraints(ctx, deps),
            read_indexes(ctx, deps), read_views(ctx, deps), read_triggers(ctx, deps),
            read_policies(ctx, deps), read_grants(ctx), read_default_privileges(ctx),
        ) + (read_rare_kinds(ctx, deps),)  # collations, statistics, rules and the other rare kinds
        return readers

    path = effective_path(schema, search_path)

    def open_second():
        second = open_connection()
        try:
            _set_search_path(second, path)
        except BaseException:
            second.close()
            raise
        return second

    with _search_path(conn, path):
        ctx.send_ahead(recorded_queries(ctx, read_all), open_second if open_connection else None)
        try:
            readers = read_all(ctx)
        finally:
            ctx.finish_ahead()
    for objects in readers:
        for obj in objects:
            result.add(obj)
    return result


@contextmanager
def _search_path(conn, path: tuple[str, ...]):
    """Set search_path to `path` for the duration; then restore it.

    pg_catalog is left out (so it comes first) as in the user's own sessions: the built-in
    `text` prints bare even when the schema has a table `text`, whose row type prints
    qualified, and the plan's SQL runs with the same path (apply/executor.py)."""
    from psycopg.pq import TransactionStatus

    previous = _set_search_path(conn, path)
    try:
        yield
    finally:
        # in a failed transaction the statement would fail too, hiding the error; the
        # rollback that follows undoes the SET
        if conn.info.transaction_status != TransactionStatus.INERROR:
            conn.execute("SELECT set_config('search_path', %s, false)", (previous,))


def _set_search_path(conn, path: tuple[str, ...]) -> str:
    """Set the session's search_path to `path`; returns the setting it had."""
    from pgschema_tui.ddl.search_path import setting_text

    return conn.execute("SELECT current_setting('search_path'), set_config('search_path', %s, false)",
                        (setting_text(path),)).fetchone()[0]

"""Objects of the schema the tool does not model, so commands can say they are left alone.

Text search parsers and templates live in a schema but not in the IR: a dump would silently lack them and
a plan would never touch them. Listing them turns that silence into a warning.
"""
from __future__ import annotations

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.inspect.context import not_extension_member

_UNMANAGED = f"""
SELECT 'text search parser ' || quote_ident(p.prsname) FROM pg_catalog.pg_ts_parser p
WHERE p.prsnamespace = %(nsp)s AND {not_extension_member('pg_ts_parser', 'p.oid')}
UNION ALL
SELECT 'text search template ' || quote_ident(t.tmplname) FROM pg_catalog.pg_ts_template t
WHERE t.tmplnamespace = %(nsp)s AND {not_extension_member('pg_ts_template', 't.oid')}
ORDER BY 1
"""


def unmanaged_objects(conn, schema: str) -> list[str]:
    """Descriptions (`text search parser p`) of the objects of `schema` the tool leaves alone."""
    row = conn.execute("SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    if row is None:
        return []
    return [text for (text,) in conn.execute(_UNMANAGED, {"nsp": row[0]}).fetchall()]


def warning(objects: list[str], doing: str) -> str:
    """One warning line for the objects the command `doing` (`dumped`, `planned`) leaves out."""
    shown = ", ".join(objects[:5]) + (f" and {len(objects) - 5} more" if len(objects) > 5 else "")
    return comment_text(f"Warning: not {doing} (pgschema-tui does not manage these kinds yet): {shown}")

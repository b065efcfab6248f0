"""Objects of the schema the tool does not model, so commands can say they are left alone.

Rules on tables, collations, extended statistics and text search parsers and templates live in
a schema but not in the IR: a dump would silently lack them and
a plan would never touch them. Listing them turns that silence into a warning.
"""
from __future__ import annotations

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.inspect.context import not_extension_member

_UNMANAGED = f"""
SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || quote_ident(c.relname)
FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = %(nsp)s AND r.rulename <> '_RETURN' AND {not_extension_member('pg_class', 'c.oid')}
UNION ALL
SELECT 'collation ' || quote_ident(o.collname) FROM pg_catalog.pg_collation o
WHERE o.collnamespace = %(nsp)s AND {not_extension_member('pg_collation', 'o.oid')}
UNION ALL
SELECT 'statistics object ' || quote_ident(s.stxname) FROM pg_catalog.pg_statistic_ext s
WHERE s.stxnamespace = %(nsp)s AND {not_extension_member('pg_statistic_ext', 's.oid')}
UNION ALL
SELECT 'text search parser ' || quote_ident(p.prsname) FROM pg_catalog.pg_ts_parser p
WHERE p.prsnamespace = %(nsp)s AND {not_extension_member('pg_ts_parser', 'p.oid')}
UNION ALL
SELECT 'text search template ' || quote_ident(t.tmplname) FROM pg_catalog.pg_ts_template t
WHERE t.tmplnamespace = %(nsp)s AND {not_extension_member('pg_ts_template', 't.oid')}
ORDER BY 1
"""


def unmanaged_objects(conn, schema: str) -> list[str]:
    """Descriptions (`rule r on t`) of the objects of `schema` the tool leaves alone."""
    row = conn.execute("SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    if row is None:
        return []
    return [text for (text,) in conn.execute(_UNMANAGED, {"nsp": row[0]}).fetchall()]


def warning(objects: list[str], doing: str) -> str:
    """One warning line for the objects the command `doing` (`dumped`, `planned`) leaves out."""
    shown = ", ".join(objects[:5]) + (f" and {len(objects) - 5} more" if len(objects) > 5 else "")
    return comment_text(f"Warning: not {doing} (pgschema-tui does not manage these kinds yet): {shown}")

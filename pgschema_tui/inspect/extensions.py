"""The extensions installed in a database, so `--plan-db` can install them too.

Desired-state files often use an extension's types or functions without creating the
extension (the live database has it already); a scratch server lacks it, and running the
files there would fail on the first `citext` column.
"""
from __future__ import annotations

_EXTENSIONS = """
SELECT e.extname, n.nspname
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname
"""


def installed_extensions(conn) -> list[tuple[str, str]]:
    """(extension name, schema it is installed in) for every extension but plpgsql."""
    return [(name, schema) for name, schema in conn.execute(_EXTENSIONS).fetchall()]

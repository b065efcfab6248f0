"""The live database's foreign servers, as DDL for the `--plan-db` server.

Servers and wrappers are database-wide (no part of a schema's IR), yet `CREATE FOREIGN TABLE`
needs its server to exist: the scratch database that runs the desired files gets each server
the live database has (without options, which a foreign table does not need), on its wrapper:
the extension that provides it (postgres_fdw, file_fdw), or a wrapper of the same name without
handler.
"""
from __future__ import annotations

from pgschema_tui.ddl.quote import ident

_SERVERS = """
SELECT s.srvname, w.fdwname, e.extname
FROM pg_catalog.pg_foreign_server s
JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_foreign_data_wrapper'::regclass
     AND d.objid = w.oid AND d.deptype = 'e'
LEFT JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
ORDER BY s.srvname
"""


def server_ddl(conn) -> tuple[str, ...]:
    """Statements creating the live database's wrappers and servers (each may fail on its own)."""
    rows = conn.execute(_SERVERS).fetchall()
    wrappers = {}
    for _server, fdw, extension in rows:
        wrappers[fdw] = (f"CREATE EXTENSION IF NOT EXISTS {ident(extension)}" if extension
                         else f"CREATE FOREIGN DATA WRAPPER {ident(fdw)}")
    return (*wrappers.values(), *(f"CREATE SERVER {ident(server)} FOREIGN DATA WRAPPER {ident(fdw)}"
                                  for server, fdw, _extension in rows))

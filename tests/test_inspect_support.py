"""Helpers for the inspection tests: load a `testdata/schemas/<case>/schema.sql` with psql and inspect it.

(No tests here; the module name keeps it next to the tests it serves.)
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pgschema_tui.inspect import inspect_schema
from pgschema_tui.ir import model as ir

SCHEMAS = Path(__file__).resolve().parent.parent / "testdata" / "schemas"
CASES = sorted(p.name for p in SCHEMAS.iterdir() if (p / "schema.sql").exists())


def psql_file(pg_server, settings, path: Path) -> None:
    """Run an SQL file with plain psql, stopping at the first error (as a user would load it)."""
    env = dict(os.environ, PGHOST=settings.host or "", PGPORT=settings.port or "",
               PGUSER=settings.user or "", PGDATABASE=settings.db or "")
    if settings.password:
        env["PGPASSWORD"] = settings.password
    result = subprocess.run([pg_server.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def load_case(pg_server, settings, case: str, schema: str = "public") -> ir.Schema:
    """Load one shared schema case into the (fresh) database and inspect it."""
    from conftest import skip_case_if_server_older

    skip_case_if_server_older(pg_server, case)
    psql_file(pg_server, settings, SCHEMAS / case / "schema.sql")
    with settings.connect() as conn:
        return inspect_schema(conn, schema)

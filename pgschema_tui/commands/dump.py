"""`pgschema-tui dump`: the live schema as SQL (placeholder until inspection lands)."""
from __future__ import annotations

from pgschema_tui.commands.common import connect_to_schema
from pgschema_tui.errors import UserError


def run(args) -> int:
    _settings, conn = connect_to_schema(args)
    conn.close()
    raise UserError("dump is not implemented yet")

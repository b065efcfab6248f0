"""Foreign tables (a `Table` with a server): OPTIONS changes, and ALTER FOREIGN TABLE spelling.

A foreign table's columns, defaults, NOT NULL, CHECK constraints and comments change like a
table's (diff/tables.py); its statements are spelled `ALTER FOREIGN TABLE`, which says what they
touch: no stored rows (plan/sql_hazards.py). A new server, or a table becoming foreign or the
reverse, is a replace (tables.table_needs_replace).
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.quote import ident, literal


def options_clause(old: tuple[str, ...], new: tuple[str, ...]) -> str | None:
    """`OPTIONS (DROP a, SET b 'x', ADD c 'y')` turning generic options `old` into `new`, or None."""
    before = dict(o.split("=", 1) for o in old)
    after = dict(o.split("=", 1) for o in new)
    parts = [f"DROP {ident(k)}" for k in before if k not in after]
    parts += [f"SET {ident(k)} {literal(v)}" for k, v in after.items() if k in before and before[k] != v]
    parts += [f"ADD {ident(k)} {literal(v)}" for k, v in after.items() if k not in before]
    return f"OPTIONS ({', '.join(parts)})" if parts else None


def foreign_replace_reason(old, new) -> str | None:
    if (old.foreign_server is None) != (new.foreign_server is None):
        return "a table becomes a foreign table or the reverse"
    if old.foreign_server != new.foreign_server:
        return "foreign table server changed"
    return None


def table_options_statement(old, new) -> str | None:
    clause = options_clause(old.foreign_options, new.foreign_options) if new.foreign_server else None
    return f"ALTER FOREIGN TABLE {ident(new.name)} {clause};" if clause else None


def column_options_statement(table, old, new) -> str | None:
    clause = options_clause(old.foreign_options, new.foreign_options)
    return f"ALTER FOREIGN TABLE {ident(table.name)} ALTER COLUMN {ident(new.name)} {clause};" if clause else None


def spelled_foreign(change, table):
    """`change` with its `ALTER TABLE <t>` statements spelled `ALTER FOREIGN TABLE <t>`."""
    head, foreign = f"ALTER TABLE {ident(table.name)} ", f"ALTER FOREIGN TABLE {ident(table.name)} "

    def respell(statements):
        return tuple(foreign + s[len(head):] if s.startswith(head) else s for s in statements)
    return replace(change, statements=respell(change.statements), drop_statements=respell(change.drop_statements))

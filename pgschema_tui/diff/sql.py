"""Small SQL spelling helpers shared by the comparers: names, literals, option lists.

Statements are schema-agnostic like the dump (the executor sets `search_path` to the target
schema), so names of objects in the target schema are rendered unqualified.
"""
from __future__ import annotations

from pgschema_tui.ddl.quote import ident, literal


def column_ref(table: str, column: str) -> str:
    return f"{ident(table)}.{ident(column)}"


def comment_literal(comment: str | None) -> str:
    """The right-hand side of COMMENT ON ... IS: a literal, or NULL to remove the comment."""
    return "NULL" if comment is None else literal(comment)


def option_names(options: tuple[str, ...]) -> dict[str, str]:
    """reloptions ("fillfactor=70",) as a dict name -> value."""
    out = {}
    for opt in options:
        name, _, value = opt.partition("=")
        out[name.strip()] = value.strip()
    return out


def set_reset_options(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The `SET (...)` and `RESET (...)` clauses that turn reloptions `old` into `new`."""
    old_opts, new_opts = option_names(old), option_names(new)
    to_set = [f"{k}={v}" for k, v in new_opts.items() if old_opts.get(k) != v]
    to_reset = [k for k in old_opts if k not in new_opts]
    return (f"SET ({', '.join(to_set)})" if to_set else None,
            f"RESET ({', '.join(to_reset)})" if to_reset else None)

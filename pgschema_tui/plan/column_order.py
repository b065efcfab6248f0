"""Where a plan cannot give a table the column order its file gives.

PostgreSQL adds a column after every existing one and never moves a column, so a column the file
puts in the middle of a table lands at its end, and two columns the file lists in another order
than the table has stay as they are. Neither is planned (only rebuilding the table could do it),
but `SELECT *`, `INSERT` and `COPY` without a column list see the table's order, so each such
table gets one note (`column_order_notes`), shown by `plan`, `apply --file` and `review` before the plan
(`commands/plan.say_column_order`).
"""
from __future__ import annotations

from pgschema_tui.ddl.names import maybe_quoted
from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.ir.model import Schema, Table

_SHOWN = 4  # columns of each order named around the first difference


def _order_after(live: Table, desired: Table) -> list[str]:
    """The table's column order once the plan has run: live columns that stay, then the new ones."""
    wanted = {c.name for c in desired.columns}
    kept = [c.name for c in live.columns if c.name in wanted]
    known = set(kept)
    return kept + [c.name for c in desired.columns if c.name not in known]


def _excerpt(names: list[str], start: int) -> str:
    shown = [maybe_quoted(n) for n in names[start:start + _SHOWN]]
    more = len(names) - start - len(shown)
    head = "..., " if start else ""
    return head + ", ".join(shown) + (f", ... ({more} more)" if more > 0 else "")


def column_order_notes(live: Schema, desired: Schema) -> list[str]:
    """One note per table present on both sides whose column order after the plan differs from
    the file's; partitions and inheritance children take their order from elsewhere, so they are
    left out."""
    notes = []
    for table in desired.tables.values():
        current = live.tables.get(table.key)
        if current is None or table.partition_of or table.inherits or current.partition_of:
            continue
        after = _order_after(current, table)
        wanted = [c.name for c in table.columns]
        if after == wanted:
            continue
        first = next(i for i, (a, w) in enumerate(zip(after, wanted)) if a != w)
        added = [c.name for c in table.columns if current.column(c.name) is None]
        why = ("PostgreSQL adds new columns at the end and never moves one" if added
               else "PostgreSQL never moves a column")
        notes.append(comment_text(
                     f"Note: table {maybe_quoted(table.name)}: its columns will be in the order ({_excerpt(after, first)}), "
                     f"not the file's ({_excerpt(wanted, first)}): {why}; only rebuilding the table could "
                     f"change that, so it is not planned (SELECT *, INSERT and COPY without a column list "
                     f"see the table's order)"))
    return notes

"""Sequences: ALTER SEQUENCE for option and ownership changes (identity columns reuse the clauses)."""
from __future__ import annotations

from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import create_change, drop_change
from pgschema_tui.diff.registry import compares, pairs
from pgschema_tui.ddl.comment import comment_on, comment_target
from pgschema_tui.ir.model import SequenceOptions


def option_clauses(old: SequenceOptions, new: SequenceOptions, *, identity: bool = False) -> list[str]:
    """ALTER SEQUENCE clauses turning options `old` into `new` (None means the default)."""
    out: list[str] = []
    if not identity and old.data_type != new.data_type and new.data_type:
        out.append(f"AS {new.data_type}")
    if old.increment != new.increment:
        out.append(f"INCREMENT BY {new.increment if new.increment is not None else 1}")
    if old.min_value != new.min_value:
        out.append(f"MINVALUE {new.min_value}" if new.min_value is not None else "NO MINVALUE")
    if old.max_value != new.max_value:
        out.append(f"MAXVALUE {new.max_value}" if new.max_value is not None else "NO MAXVALUE")
    if old.start != new.start and new.start is not None:
        out.append(f"START WITH {new.start}")
    elif new.start is None and (old.min_value, old.max_value) != (new.min_value, new.max_value):
        # the default start is the bound the sequence counts from; keep it inside the new range
        bound = new.max_value if (new.increment or 1) < 0 else new.min_value
        if bound is not None:
            out.append(f"START WITH {bound}")
    if old.cache != new.cache:
        out.append(f"CACHE {new.cache if new.cache is not None else 1}")
    if old.cycle != new.cycle:
        out.append("CYCLE" if new.cycle else "NO CYCLE")
    return out


def owned_by_clause(owned_by: str | None) -> str:
    if not owned_by:
        return "OWNED BY NONE"
    table, _, column = owned_by.rpartition(".")
    return f"OWNED BY {ident(table)}.{ident(column)}"


@compares("sequences")
def compare_sequences(ctx):
    for _key, old, new in pairs(ctx, "sequences"):
        if new is None:
            owner_table = old.owned_by.rpartition(".")[0] if old.owned_by else None
            if owner_table and ctx.relation_gone(owner_table):
                continue  # an owned sequence goes with its table
            yield drop_change(ctx, "sequence", old)
            continue
        path = ctx.path(new)
        if old is None:
            # OWNED BY needs the table, and the table's default needs the sequence: own change after both.
            yield create_change(ctx, "sequence", new)
            if new.owned_by:
                yield Change("alter", "sequence", path, new=new,
                             statements=(f"ALTER SEQUENCE {ident(new.name)} {owned_by_clause(new.owned_by)};",),
                             depends_on=frozenset({f"tables:{new.owned_by.rpartition('.')[0]}"}))
            continue
        clauses = option_clauses(old.options, new.options)
        statements = []
        if clauses:
            statements.append(f"ALTER SEQUENCE {ident(new.name)} {' '.join(clauses)};")
        deps = frozenset()
        released = ()
        if old.owned_by != new.owned_by:
            if old.owned_by and ctx.relation_gone(old.owned_by.rpartition(".")[0]):
                # DROP TABLE would take an owned sequence along: let go of it first
                released = (f"ALTER SEQUENCE {ident(new.name)} OWNED BY NONE;",)
            if new.owned_by or not released:
                statements.append(f"ALTER SEQUENCE {ident(new.name)} {owned_by_clause(new.owned_by)};")
            if new.owned_by:
                deps = frozenset({f"tables:{new.owned_by.rpartition('.')[0]}"})
        if old.comment != new.comment:
            statements.append(comment_on(comment_target(new), new.comment))
        if statements or released:
            # placed by the table it leaves, so the release runs before that table's drop
            anchor = ctx.live.tables.get(old.owned_by.rpartition(".")[0]) if released else None
            yield Change("alter", "sequence", path, old=old, new=new, statements=tuple(statements),
                         drop_statements=released, reason="sequence options changed", depends_on=deps,
                         anchor=anchor)

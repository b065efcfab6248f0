"""Tables and their columns: ALTER TABLE wherever PostgreSQL allows it.

Generated columns that cannot change in place, or that read a column changing type, are
dropped and added again (`diff/generated.py` decides which); they are listed after the
other column changes, and column drops after them, so a generated column lets go of what
it reads before that changes or goes, and comes back after.
"""
from __future__ import annotations

import re
from dataclasses import replace

from pgschema_tui.ddl.comment import column_comment_on, comment_on, comment_target
from pgschema_tui.ddl.create import render_column, render_storage
from pgschema_tui.ddl.implicit_names import identity_sequence_name
from pgschema_tui.ddl.not_null import effective_not_null_name, expected_not_null_name, not_null_columns
from pgschema_tui.ddl.storage import default_storage
from pgschema_tui.ddl.names import maybe_quoted, sql_ref
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.creates import drop_change, create_statements, drop_statement
from pgschema_tui.diff.generated import generation_changed, in_place, read_by_rebuilt, rebuild_reason, \
    calls, rebuilt, record_generated_rebuilds
from pgschema_tui.diff.foreign import (
    column_options_statement, foreign_replace_reason, spelled_foreign, table_options_statement,
)
from pgschema_tui.diff.registry import compares, pairs, prepares, replaced_when
from pgschema_tui.diff.sequences import option_clauses
from pgschema_tui.diff.reloptions import set_reset_options
from pgschema_tui.errors import UserError
from pgschema_tui.ir.model import Column, Identity, SequenceOptions, Table

# Base types between which an assignment cast exists, so ALTER COLUMN TYPE needs no USING.
_CASTABLE_FAMILIES = (
    {"character varying", "text", "character", "bpchar", "varchar", "char"},
    {"smallint", "integer", "bigint", "numeric", "real", "double precision", "decimal"},
    {"timestamp without time zone", "timestamp with time zone", "timestamp", "timestamptz"},
    {"time without time zone", "time with time zone", "time", "timetz"},
    {"bit", "bit varying"},
)
_STRING_TYPES = _CASTABLE_FAMILIES[0]


def base_type(type_text: str) -> str:
    """`character varying(20)[]` -> `character varying[]`: the type without its modifier."""
    return re.sub(r"\([^)]*\)", "", type_text).replace("  ", " ").strip()


def needs_using(old_type: str, new_type: str) -> bool:
    """True when no assignment cast turns `old_type` into `new_type` (USING col::new is needed)."""
    old_base, new_base = base_type(old_type), base_type(new_type)
    if old_base == new_base:
        return False
    if old_base.endswith("[]") != new_base.endswith("[]"):
        return True
    old_base, new_base = old_base.removesuffix("[]"), new_base.removesuffix("[]")
    if new_base in _STRING_TYPES and not old_type.endswith("[]"):
        return False  # every type has an assignment I/O cast to the string types
    return not any(old_base in fam and new_base in fam for fam in _CASTABLE_FAMILIES)


def identity_clause(identity: Identity) -> str:
    kind = "ALWAYS" if identity.always else "BY DEFAULT"
    opts = option_clauses(SequenceOptions(), identity.options, identity=True)
    if identity.sequence_name is not None:
        opts.insert(0, f"SEQUENCE NAME {ident(identity.sequence_name)}")
    return f"GENERATED {kind} AS IDENTITY" + (f" ({' '.join(opts)})" if opts else "")


def _identity_sequence(table: Table, column: Column) -> str:
    """The raw name of a column's identity sequence, the implicit one when none is recorded."""
    return column.identity.sequence_name or identity_sequence_name(table.name, column.name)


def _identity_rename(table: Table, old: Column, new: Column) -> list[str]:
    """ALTER SEQUENCE for a changed SEQUENCE NAME: the sequence keeps its counter, no identity drop."""
    before, after = _identity_sequence(table, old), _identity_sequence(table, new)
    return [] if before == after else [f"ALTER SEQUENCE {ident(before)} RENAME TO {ident(after)};"]


def effective_columns(table: Table, schema, _seen: frozenset[str] = frozenset()) -> dict[str, Column]:
    """The table's own columns plus those it gets from its partition parent or INHERITS parents.

    The IR lists only local columns, and whether PostgreSQL counts a partition's column as local
    depends on how it became a partition; comparing whole column sets avoids that history.
    """
    columns: dict[str, Column] = {}
    for parent_name in ((table.partition_of,) if table.partition_of else ()) + tuple(table.inherits):
        parent = schema.tables.get(parent_name)
        if parent is not None and parent.name not in _seen:
            columns.update(effective_columns(parent, schema, _seen | {table.name}))
    columns.update({c.name: c for c in table.columns})
    return columns


def _default_blocks_drop(col: Column) -> bool:
    """A default that holds a dependency (nextval, a function): it must go before that object does."""
    return bool(col.default is not None and (col.depends_on or "nextval(" in col.default.text))


def _default_uses_rebuilt_function(col: Column, ctx) -> bool:
    """A default calling a function that is dropped (or dropped and created again, as a changed
    signature is) has to let go of it first: DROP DEFAULT before, SET DEFAULT after."""
    if col.default is None:
        return False
    called = calls(col)
    return bool(called) and not called.isdisjoint(ctx.gone_functions())


@prepares
def record_reshaped_columns(ctx) -> None:
    """Columns dropped or changing type, so replace rules can rebuild the views that read them."""
    for name, old, new in pairs(ctx, "tables"):
        if old is None or new is None:
            continue
        new_columns = {c.name: c for c in new.columns}
        for col in old.columns:
            other = new_columns.get(col.name)
            if other is None or other.type != col.type or other.collation != col.collation:
                ctx.reshaped_columns.setdefault(name, set()).add(col.name)
        record_generated_rebuilds(ctx, name, old, new)


@replaced_when("tables")
def table_needs_replace(old: Table, new: Table, ctx) -> str | None:
    if old.partition_by != new.partition_by:
        return "partition key changed"
    return foreign_replace_reason(old, new)


@compares("tables")
def compare_tables(ctx):
    for _name, old, new in pairs(ctx, "tables"):
        if new is None:
            yield drop_change(ctx, "table", old)
        elif old is None:
            created = create_statements(new, ctx.desired)
            yield Change("create", "table", ctx.path(new), new=new, statements=created)
        elif ctx.replaced(new):
            created = create_statements(new, ctx.desired)
            yield Change("replace", "table", ctx.path(new), old=old, new=new, reason=ctx.replace_reason(new),
                         drop_statements=(drop_statement(old),), statements=created)
        elif new.foreign_server is not None:
            yield from (spelled_foreign(change, new) for change in _alter_table(old, new, ctx))
        else:
            yield from _alter_table(old, new, ctx)


def _alter_table(old: Table, new: Table, ctx):
    t = ident(new.name)
    path = ctx.path(new)
    old_columns, new_columns = effective_columns(old, ctx.live), effective_columns(new, ctx.desired)
    same_parent = bool((old.partition_of and old.partition_of == new.partition_of)
                       or set(old.inherits) & set(new.inherits))
    own = {c.name for c in old.columns} | {c.name for c in new.columns}
    parent_columns = set(new_columns) - {c.name for c in new.columns} if same_parent else set()

    def inherited(name: str) -> bool:
        return same_parent and name not in own

    # a column a rebuilt generated column reads is dropped after that one (in the drop phase)
    read = read_by_rebuilt(ctx, old)
    dropped = [name for name, _col in old_columns.items() if name not in new_columns and not inherited(name)]
    yield from _drop_columns(old, path, old_columns, [name for name in dropped if name not in read])
    regenerated = []  # after the other column changes: they may read what those add or retype
    for name, col in new_columns.items():
        before = old_columns.get(name)
        if inherited(name):
            continue
        if before is None:
            comment = (column_comment_on(new.name, name, col.comment),) \
                if col.comment is not None else ()
            storage = (render_storage(new.name, col),) if col.storage else ()
            yield Change("create", "table.column", f"{path}.{name}", new=col, anchor=new,
                         statements=(f"ALTER TABLE {t} ADD COLUMN {render_column(col)};", *storage, *comment))
        elif before != col or rebuilt(ctx, new.name, name):
            changes = _alter_column(before, col, new, ctx, inherited=same_parent and name in parent_columns)
            if generation_changed(before, col) or rebuilt(ctx, new.name, name):
                regenerated.extend(changes)
            else:
                yield from changes
        elif col.default is not None and _default_uses_rebuilt_function(before, ctx):
            alter = f"ALTER TABLE {t} ALTER COLUMN {ident(name)}"
            yield Change("alter", "table.column", f"{path}.{name}", old=before, new=col, anchor=new,
                         reason="its default calls a function that is recreated",
                         drop_statements=(f"{alter} DROP DEFAULT;",), statements=(f"{alter} SET DEFAULT {col.default.text};",))
    yield from regenerated
    yield from _drop_columns(old, path, old_columns, [name for name in dropped if name in read])
    yield from _not_null_renames(old, new, ctx)
    yield from _table_options(old, new, ctx)
    yield from _comment_changes(old, new, ctx)


def _not_null_renames(old: Table, new: Table, ctx):
    """PostgreSQL 18 names NOT NULL constraints (`ddl/not_null.py`): RENAME CONSTRAINT where the
    desired name differs from the live one, or from the one SET NOT NULL / ADD COLUMN gives.
    A constraint a partition or child inherits cannot be renamed (PostgreSQL refuses); its name
    is set when the table is created. Older servers keep no names: nothing to compare."""
    if not ctx.server_version or ctx.server_version < 180000 or (not old.not_null_names and not new.not_null_names
                                                                 and not old.partition_of and not new.partition_of
                                                                 and not old.inherits and not new.inherits):
        return
    live_columns = not_null_columns(old, ctx.live)
    live_parents = [t for t in (ctx.live.tables.get(p) for p in ((old.partition_of,) if old.partition_of else ())
                                + old.inherits) if t is not None]
    statements, inherited = [], False
    for column in sorted(not_null_columns(new, ctx.desired)):
        after = effective_not_null_name(new, column, ctx.desired)
        if column in live_columns:
            before = effective_not_null_name(old, column, ctx.live)
            held = any(column in not_null_columns(parent, ctx.live) for parent in live_parents)
        else:
            before = expected_not_null_name(new, column, ctx.desired)  # what SET NOT NULL will name it
            held = False
        if before != after:
            statements.append(f"ALTER TABLE {ident(new.name)} RENAME CONSTRAINT {ident(before)} TO {ident(after)};")
            inherited = inherited or held
    if not statements:
        return
    if not inherited:
        yield Change("alter", "table.not_null", ctx.path(new), old=old, new=new, statements=tuple(statements),
                     reason="NOT NULL constraint name changed")
    elif old.partition_of and old.partition_of == new.partition_of and old.partition_bound == new.partition_bound:
        # a partition's inherited constraint is renamed detached, then attached again (which keeps it)
        t, parent = ident(new.name), ident(new.partition_of)
        yield Change("alter", "table.partition", ctx.path(new), old=old, new=new,
                     drop_statements=(f"ALTER TABLE {parent} DETACH PARTITION {t};",),
                     statements=(*statements, f"ALTER TABLE {parent} ATTACH PARTITION {t} {new.partition_bound};"),
                     reason="NOT NULL constraint names of a partition changed (renamed while detached)")
    else:
        raise UserError(f"table {new.name}: its NOT NULL constraints are inherited from {', '.join(old.inherits)} and "
                        f"PostgreSQL cannot rename them ({' '.join(statements)}); rename them on the parent, or "
                        f"create the table again")


def _drop_columns(table: Table, path: str, columns: dict[str, Column], names: list[str]):
    for name in names:
        yield Change("drop", "table.column", f"{path}.{name}", old=columns[name], anchor=table, reason="column removed",
                     statements=(f"ALTER TABLE {ident(table.name)} DROP COLUMN {ident(name)};",))


def _alter_column(old: Column, new: Column, table: Table, ctx, *, inherited: bool):
    t, c = ident(table.name), ident(new.name)
    path = f"{ctx.path(table)}.{new.name}"
    alter = f"ALTER TABLE {t} ALTER COLUMN {c}"
    regenerate = in_place(old, new, table, ctx) if generation_changed(old, new) else None
    if rebuilt(ctx, table.name, new.name) or (generation_changed(old, new) and regenerate is None):
        comment = (column_comment_on(table.name, new.name, new.comment),) if new.comment is not None else ()
        yield Change("replace", "table.column", path, old=old, new=new, anchor=table,
                     reason=rebuild_reason(old, new, table.name, ctx),
                     drop_statements=(f"ALTER TABLE {t} DROP COLUMN {c};",),
                     statements=(f"ALTER TABLE {t} ADD COLUMN {render_column(new)};",
                                 *([render_storage(table.name, new)] if new.storage else []), *comment))
        return
    early: list[str] = []  # run with the drops: they release what the old column needed
    statements: list[str] = []
    live = old
    if regenerate == "set_expression":
        statements.append(f"{alter} SET EXPRESSION AS ({new.generated.text});")
    elif regenerate == "drop_expression":
        statements.append(f"{alter} DROP EXPRESSION;")
    if regenerate:  # what follows compares the rest of the column
        old = replace(old, generated=new.generated, generated_stored=new.generated_stored)
    type_changed = (old.type != new.type or old.collation != new.collation) and not inherited
    using = type_changed and old.type != new.type and needs_using(old.type, new.type)
    # a default calling a function that is recreated is dropped early and set again, unchanged
    default_changed = old.default != new.default or (
        new.default is not None and _default_uses_rebuilt_function(old, ctx))
    if old.default is not None and (default_changed or using):
        if _default_blocks_drop(old):
            early.append(f"{alter} DROP DEFAULT;")
        elif using or new.default is None:
            statements.append(f"{alter} DROP DEFAULT;")
    if old.identity is not None and new.identity is None:
        statements.append(f"{alter} DROP IDENTITY IF EXISTS;")
    if type_changed:
        collate = f" COLLATE {maybe_quoted(new.collation)}" if new.collation else ""
        using_clause = f" USING {c}::{sql_ref(new.type)}" if using else ""
        statements.append(f"{alter} TYPE {sql_ref(new.type)}{collate}{using_clause};")
    if new.default is not None and (default_changed or using):
        statements.append(f"{alter} SET DEFAULT {new.default.text};")
    if old.not_null != new.not_null and not (new.identity is not None and old.identity is None):
        statements.append(f"{alter} {'SET' if new.not_null else 'DROP'} NOT NULL;")
    if new.identity is not None:
        if old.identity is None:
            statements.append(f"{alter} ADD {identity_clause(new.identity)};")
        else:
            clauses = []
            if old.identity.always != new.identity.always:
                clauses.append(f"SET GENERATED {'ALWAYS' if new.identity.always else 'BY DEFAULT'}")
            clauses += [f"SET {cl}" for cl in option_clauses(old.identity.options, new.identity.options, identity=True)]
            if clauses:
                statements.append(f"{alter} {' '.join(clauses)};")
            statements += _identity_rename(table, old, new)
    statements.extend(_storage_changes(old, new, alter, ctx, type_changed))
    if old.comment != new.comment:
        statements.append(column_comment_on(table.name, new.name, new.comment))
    if old.foreign_options != new.foreign_options and (options := column_options_statement(table, old, new)):
        statements.append(options)
    if statements or early:
        reason = "generation expression changed" if regenerate else \
            "column type changed" if type_changed else "column changed"
        yield Change("alter", "table.column", path, old=live, new=new, anchor=table, reason=reason,
                     statements=tuple(statements), drop_statements=tuple(early))


def _storage_changes(old: Column, new: Column, alter: str, ctx, type_changed: bool) -> list[str]:
    """SET STORAGE / SET COMPRESSION. A new type resets both to its defaults, so they are set
    again after ALTER COLUMN TYPE. Back to the default: the type's keyword for storage (SET
    STORAGE DEFAULT needs PostgreSQL 16), `default` for compression."""
    statements = []
    if old.storage != new.storage or (type_changed and new.storage):
        storage = new.storage or default_storage(new.type, ctx.desired)
        statements.append(f"{alter} SET STORAGE {storage};")
    if old.compression != new.compression or (type_changed and new.compression):
        statements.append(f"{alter} SET COMPRESSION {ident(new.compression) if new.compression else 'default'};")
    return statements


def _table_options(old: Table, new: Table, ctx):
    t = ident(new.name)
    path = ctx.path(new)
    if old.partition_of != new.partition_of or (new.partition_of and old.partition_bound != new.partition_bound):
        # detach with the drops (the old parent may go), attach once the columns match the new parent
        detach = (f"ALTER TABLE {ident(old.partition_of)} DETACH PARTITION {t};",) if old.partition_of else ()
        attach = (f"ALTER TABLE {ident(new.partition_of)} ATTACH PARTITION {t} {new.partition_bound};",) \
            if new.partition_of else ()
        yield Change("alter", "table.partition", path, old=old, new=new, statements=attach, drop_statements=detach,
                     reason="partition membership changed")
    statements = []
    for parent in old.inherits:
        if parent not in new.inherits:
            statements.append(f"ALTER TABLE {t} NO INHERIT {ident(parent)};")
    for parent in new.inherits:
        if parent not in old.inherits:
            statements.append(f"ALTER TABLE {t} INHERIT {ident(parent)};")
    if old.unlogged != new.unlogged:
        statements.append(f"ALTER TABLE {t} SET {'UNLOGGED' if new.unlogged else 'LOGGED'};")
    if old.access_method != new.access_method:
        # PostgreSQL 15+; no access method recorded means the default, heap on every stock server
        # (SET ACCESS METHOD DEFAULT would follow default_table_access_method, but needs 17)
        statements.append(f"ALTER TABLE {t} SET ACCESS METHOD {ident(new.access_method or 'heap')};")
    set_clause, reset_clause = set_reset_options(old.options, new.options)
    for clause in (reset_clause, set_clause):
        if clause:
            statements.append(f"ALTER TABLE {t} {clause};")
    if old.foreign_options != new.foreign_options and (options := table_options_statement(old, new)):
        statements.append(options)
    if statements:
        yield Change("alter", "table", path, old=old, new=new, statements=tuple(statements), reason="table options changed")
    yield from _rls_change(old, new, ctx)


def _rls_change(old: Table | None, new: Table, ctx):
    old_enabled = old.rls_enabled if old else False
    old_forced = old.rls_forced if old else False
    t = ident(new.name)
    statements = []
    if old_enabled != new.rls_enabled:
        statements.append(f"ALTER TABLE {t} {'ENABLE' if new.rls_enabled else 'DISABLE'} ROW LEVEL SECURITY;")
    if old_forced != new.rls_forced:
        statements.append(f"ALTER TABLE {t} {'FORCE' if new.rls_forced else 'NO FORCE'} ROW LEVEL SECURITY;")
    if statements:
        yield Change("alter", "table.rls", ctx.path(new), old=old, new=new, statements=tuple(statements),
                     reason="row level security changed")


def _comment_changes(old: Table | None, new: Table, ctx):
    """COMMENT ON TABLE / COLUMN statements turning `old`'s comments into `new`'s."""
    statements = []
    old_comment = old.comment if old else None
    if new.comment != old_comment:
        statements.append(comment_on(comment_target(new), new.comment))
    if old is None:
        for col in new.columns:
            if col.comment is not None:
                statements.append(column_comment_on(new.name, col.name, col.comment))
    if statements:
        yield Change("alter", "table.comment", ctx.path(new), old=old, new=new, statements=tuple(statements),
                     reason="comment changed")

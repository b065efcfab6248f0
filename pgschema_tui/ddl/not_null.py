"""NOT NULL constraint names (PostgreSQL 18 records NOT NULL as named constraints, contype 'n').

Which name a NOT NULL constraint gets depends on how the table was made: a table's own NOT NULL
is `<table>_<column>_not_null` (cut like every implicit name) unless a name is written; a
partition created with `PARTITION OF` (or a child created with `INHERITS`) takes its parent's
constraint name, while a table created on its own and attached later (pg_dump's form) keeps
its own. `Table.not_null_names` records only what the structure does not say: the names that
differ from `expected_not_null_name` (the one the tool's own CREATE TABLE gives). Both loaders
compute each table's actual names and reduce them here, so they agree whatever the history.
Older servers record no names: the inspector reduces nothing, and the diff ignores the field.
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.ddl.implicit_names import make_object_name


def implicit_not_null_name(table: str, column: str) -> str:
    return make_object_name(table, column, "not_null")


def _parents(table, schema) -> list:
    names = ((table.partition_of,) if table.partition_of else ()) + tuple(table.inherits)
    return [schema.tables[n] for n in names if n in schema.tables]


def not_null_columns(table, schema, _seen: frozenset[str] = frozenset()) -> set[str]:
    """Names of the columns that are NOT NULL on `table`, inherited ones included."""
    columns = {c.name for c in table.columns if c.not_null}
    for parent in _parents(table, schema):
        if parent.name not in _seen:
            columns |= not_null_columns(parent, schema, _seen | {table.name})
    return columns


def expected_not_null_name(table, column: str, schema, _seen: frozenset[str] = frozenset()) -> str:
    """The name CREATE TABLE as the tool renders it gives `column`'s NOT NULL: the first parent's
    when a parent's column is NOT NULL (PARTITION OF / INHERITS copy it), else the implicit one."""
    for parent in _parents(table, schema):
        if parent.name not in _seen and column in not_null_columns(parent, schema):
            return effective_not_null_name(parent, column, schema, _seen | {table.name})
    return implicit_not_null_name(table.name, column)


def effective_not_null_name(table, column: str, schema, _seen: frozenset[str] = frozenset()) -> str:
    """The name `column`'s NOT NULL has on `table`: the recorded one, else the expected one."""
    recorded = dict(table.not_null_names).get(column)
    return recorded if recorded is not None else expected_not_null_name(table, column, schema, _seen)


def reduce_not_null_names(schema, actual: dict[str, dict[str, str]]) -> None:
    """Set every table's `not_null_names` from `actual` (table → column → constraint name, for
    every NOT NULL column it has): only the names that differ from the expected ones are kept.
    Parents first, since a child's expected name is its parent's effective one."""
    done: set[str] = set()

    def visit(name: str, path: frozenset[str]) -> None:
        if name in done or name in path or name not in schema.tables:
            return
        table = schema.tables[name]
        for parent in _parents(table, schema):
            visit(parent.name, path | {name})
        names = actual.get(name, {})
        if table.not_null_names:  # expected names must not see stale recorded ones
            table = replace(table, not_null_names=())
            schema.tables[name] = table
        kept = tuple(sorted((column, conname) for column, conname in names.items()
                            if conname != expected_not_null_name(table, column, schema)))
        if kept:
            schema.tables[name] = replace(table, not_null_names=kept)
        done.add(name)

    for name in list(schema.tables):
        visit(name, frozenset())

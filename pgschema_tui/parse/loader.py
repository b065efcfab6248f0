"""Desired-state files → `ir.Schema`, with no database: includes, pglast, handlers, resolution."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pgschema_tui.errors import UserError
from pgschema_tui.ir import model as ir
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.gcpause import gc_paused
from pgschema_tui.parse.session import SessionFacts
from pgschema_tui.parse.registry import NotYet, handler_for
from pgschema_tui.parse.sources import Chunk, SourceFile, read_chunks
from pgschema_tui.parse.statements import Statement, parse_chunks


def _load_handlers() -> None:
    # Importing the modules registers their handlers.
    from pgschema_tui.parse.handlers import (  # noqa: F401
        comments, ignored, privileges, relations, routines, tables, triggers_policies, types)
    from pgschema_tui.parse.handlers import collations, statistics  # noqa: F401
    from pgschema_tui.parse.handlers import rules  # noqa: F401
    from pgschema_tui.parse.handlers import foreign, operators, textsearch  # noqa: F401


def load_files(path: str | Path, schema: str = "public") -> ir.Schema:
    """Parse `path` (following its includes) into the IR of schema `schema`."""
    return build_schema(parse_chunks(read_chunks(path)), schema)


def load_sql(text: str, schema: str = "public", name: str = "<sql>") -> ir.Schema:
    """Parse SQL text (no includes) into the IR; handy for tests and the TUI."""
    source = SourceFile(Path(name), name, text, tuple([0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]))
    return build_schema(parse_chunks([Chunk(source, text, 0)]), schema)


def _run(ctx: LoadContext, statement: Statement) -> None:
    from pgschema_tui.parse.handlers import privileges

    handler = handler_for(statement.node)
    ctx.statement = statement
    if handler is None:
        kind = type(statement.node).__name__
        raise ctx.unsupported(statement.text.split("\n", 1)[0][:60], f"statement {kind}")
    watched = privileges.watched_collections(ctx) if ctx.extras.get("default_privileges") else ()
    before = {c: set(getattr(ctx.schema, c)) for c in watched}
    handler(statement.node, ctx, statement)
    for collection, keys in before.items():
        for key in set(getattr(ctx.schema, collection)) - keys:
            privileges.apply_default_privileges(ctx, collection, key)


def build_schema(statements: list[Statement], target: str, session: SessionFacts | None = None) -> ir.Schema:
    """Run every statement's handler; statements waiting for later objects are retried until none
    progress. `session`: what the connection told about the session the plan will run in."""
    from pgschema_tui.parse.qualification import created_in
    from pgschema_tui.parse.typenames import resolving_with

    session = session or SessionFacts()
    own = set()
    if session.search_path:  # names the target's objects take from the other schemas of the path
        for statement in statements:
            created = created_in(statement.node)
            if created is not None and created[0] in (None, target):
                own.add(created[1].rpartition(".")[2])
    with gc_paused(), resolving_with(session.search_path, frozenset(own)):
        return _build_schema(statements, target, session)


def _build_schema(statements: list[Statement], target: str, session: SessionFacts) -> ir.Schema:
    _load_handlers()
    ctx = LoadContext(target, session=session)
    waiting: list[tuple[Statement, str]] = []
    for statement in statements:
        try:
            _run(ctx, statement)
        except NotYet as missing:
            waiting.append((statement, str(missing)))
    while waiting:
        still: list[tuple[Statement, str]] = []
        for statement, _ in waiting:
            try:
                _run(ctx, statement)
            except NotYet as missing:
                still.append((statement, str(missing)))
        if len(still) == len(waiting):
            statement, missing = still[0]
            raise UserError(f"{statement.where}: {missing} is not created by any statement "
                            f"(in: {statement.text.splitlines()[0][:80]})")
        waiting = still
    _finish(ctx)
    return ctx.schema


def _finish(ctx: LoadContext) -> None:
    from pgschema_tui.parse.handlers import privileges

    from pgschema_tui.parse.handlers.tables import finish_not_null_names

    _resolve_foreign_key_columns(ctx)
    finish_not_null_names(ctx)
    privileges.finish(ctx)


def _resolve_foreign_key_columns(ctx: LoadContext) -> None:
    """`REFERENCES t` without columns means t's primary key, as the catalog records it."""
    from pgschema_tui.ddl.quote import ident

    primary_keys = {ident(c.table): c.columns for c in ctx.schema.constraints.values() if c.type == "PRIMARY KEY"}
    for key, con in list(ctx.schema.constraints.items()):
        if con.type == "FOREIGN KEY" and not con.ref_columns:
            columns = primary_keys.get(con.ref_table or "")
            if columns is None:
                raise UserError(f"foreign key {con.name} on {con.table}: {con.ref_table} has no primary key "
                                f"in the desired files")
            ctx.schema.constraints[key] = replace(con, ref_columns=columns)

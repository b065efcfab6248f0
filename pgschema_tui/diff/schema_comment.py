"""COMMENT ON SCHEMA: the one property of the schema itself that the tool manages.

The schema is not created by the desired files, so a file that says nothing about its comment
leaves it alone (PostgreSQL 15+ ships `public` with "standard public schema"); only a
`COMMENT ON SCHEMA` in the files (possibly `IS NULL`... which loaders cannot tell from silence)
sets it.
"""
from __future__ import annotations

from pgschema_tui.ddl.comment import comment_on
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.registry import compares


@compares("schema")
def compare_schema_comment(ctx):
    if ctx.desired.comment is not None and ctx.live.comment != ctx.desired.comment:
        yield Change("alter", "comment", ctx.desired.name,
                     statements=(comment_on(f"SCHEMA {ident(ctx.desired.name)}", ctx.desired.comment),),
                     reason="schema comment changed")

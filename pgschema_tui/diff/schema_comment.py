"""COMMENT ON SCHEMA: the one property of the schema itself that the tool manages."""
from __future__ import annotations

from pgschema_tui.ddl.comment import comment_on
from pgschema_tui.ddl.quote import ident
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.registry import compares


@compares("schema")
def compare_schema_comment(ctx):
    if ctx.live.comment != ctx.desired.comment:
        yield Change("alter", "comment", ctx.desired.name,
                     statements=(comment_on(f"SCHEMA {ident(ctx.desired.name)}", ctx.desired.comment),),
                     reason="schema comment changed")

"""DDL text of one IR object for the Explore panes, from the shared `pgschema_tui.ddl` renderers.

The same renderers write `dump`, so what Explore shows is what a dump of that side prints.
"""
from __future__ import annotations

import dataclasses

from pgschema_tui.ddl.comment import render_comment
from pgschema_tui.ddl.create import render_create
from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.ir.model import Schema


def object_ddl(obj, schema: Schema) -> str:
    """`CREATE ...` (and `COMMENT ON ...`) statements of `obj`, one blank line apart."""
    try:
        statements = list(render_create(obj, schema)) + list(render_comment(obj))
    except Exception:  # noqa: BLE001 - a renderer gap must not take the reviewer down
        return _fields_text(obj)
    return "\n\n".join(statements)


def _fields_text(obj) -> str:
    """The object's fields as SQL comments, when no renderer handles it."""
    lines = [comment_text(f"-- {type(obj).__name__} {getattr(obj, 'key', '')} (no DDL renderer)")]
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value in (None, (), "", frozenset()) or f.name == "depends_on":
            continue
        lines.append(comment_text(f"--   {f.name}: {value}"))
    return "\n".join(lines)

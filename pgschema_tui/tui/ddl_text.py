"""DDL text of one IR object for the Explore panes, from the shared `pgschema_tui.ddl` renderers.

The renderers belong to the DDL engineer; until a kind has one we show the object's fields,
so the reviewer never fails on an object it cannot render.
"""
from __future__ import annotations

import dataclasses

from pgschema_tui.ir.model import Schema


def object_ddl(obj, schema: Schema) -> str:
    """`CREATE ...` text of `obj` as dump would print it (fields as a fallback)."""
    try:
        from pgschema_tui.ddl.create import render_create
    except ImportError:
        render_create = None
    if render_create is not None:
        try:
            text = render_create(obj, schema)
        except Exception:  # noqa: BLE001 - a renderer gap must not take the reviewer down
            text = None
        if text:
            return text if isinstance(text, str) else "\n".join(text)
    return _fields_text(obj)


def _fields_text(obj) -> str:
    lines = [f"-- {type(obj).__name__} {getattr(obj, 'key', '')}"]
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value in (None, (), "", frozenset()) or f.name == "depends_on":
            continue
        lines.append(f"--   {f.name}: {value}")
    return "\n".join(lines)

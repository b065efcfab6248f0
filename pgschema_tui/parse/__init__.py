"""Desired-state SQL files → IR with pglast (no database needed).

`load_files(path, schema)` follows `\\i` includes, parses every statement and runs the
handler registered for its pglast node class (`registry.handles`).
"""
from pgschema_tui.parse.loader import load_files, load_sql

__all__ = ["load_files", "load_sql"]

"""Desired-state SQL files → IR with pglast (no database needed).

`load_files(path, schema)` follows `\\i`/`\\ir` includes (`sources.py`, with a source map so
every statement and syntax error knows its file:line:column), parses each chunk with pglast
(`statements.py`) and runs the handler registered for each node class (`registry.handles`,
modules under `handlers/`). A statement that needs an object created later raises `NotYet`
and is retried after the others, so files may list objects in any order. Handlers write the
IR exactly as catalog inspection reads it: `format_type` spellings (`typenames.py`),
PostgreSQL's implicit names (`naming.py`), defaults folded to None (`options.py`), and the
casts PostgreSQL stores in expressions (`exprs.py`); what is left to spelling is compared by
`ir.normalize.canonical`.
"""
__all__ = ["load_files", "load_sql"]


def __getattr__(name: str):
    """`load_files` and `load_sql`, imported on first use: reading the files (`sources.py`) does
    not load pglast, which a plan of files the desired-state cache knows never needs."""
    if name in __all__:
        from pgschema_tui.parse import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

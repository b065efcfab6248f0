"""Canonical text for SQL fragments, so catalog output and user input compare equal.

Both sides are parsed with pglast and deparsed after removing what PostgreSQL adds
on its own when it stores an expression: redundant parentheses, casts of literals to
the type they would resolve to anyway, `IN (...)` rewritten as `= ANY (ARRAY[...])`,
column references qualified by their only relation. The result is only ever used as a
comparison key; DDL is rendered from the original text.
"""
from __future__ import annotations

from functools import lru_cache

from pglast import parse_sql
from pglast.stream import RawStream


@lru_cache(maxsize=65536)
def canonical(text: str, kind: str = "expr") -> str:
    """Comparison key for `text` interpreted as `kind` (expr, query, index_elem, exclude)."""
    try:
        if kind == "query":
            stmts = parse_sql(text)
            return RawStream()(stmts[0].stmt) if stmts else ""
        if kind == "index_elem":
            stmt = parse_sql(f"CREATE INDEX x ON t ({text})")[0].stmt
            return RawStream()(stmt.indexParams[0])
        if kind == "exclude":
            stmt = parse_sql(f"ALTER TABLE t ADD {text}")[0].stmt
            return RawStream()(stmt.cmds[0].def_)
        stmt = parse_sql(f"SELECT {text}")[0].stmt
        return RawStream()(stmt.targetList[0].val)
    except Exception:  # unparsable text still compares, by its folded spelling
        return " ".join(text.split())

"""What the executor needs to know about a statement's text: built index, touched relations.

Parsed with pglast; a statement pglast cannot parse simply yields nothing here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ConcurrentIndex:
    """A `CREATE INDEX CONCURRENTLY` statement's index (raw name) and its IF NOT EXISTS flag."""

    name: str
    if_not_exists: bool


@lru_cache(maxsize=256)
def _parse(sql: str):
    import pglast

    try:
        return pglast.parse_sql(sql)
    except Exception:  # pglast.parser.ParseError and friends: nothing to learn from the text
        return ()


def concurrent_index(sql: str) -> ConcurrentIndex | None:
    """The index a `CREATE INDEX CONCURRENTLY` builds, or None for any other statement."""
    from pglast import ast

    for raw in _parse(sql):
        stmt = raw.stmt
        if isinstance(stmt, ast.IndexStmt) and stmt.concurrent and stmt.idxname:
            return ConcurrentIndex(stmt.idxname, bool(stmt.if_not_exists))
    return None


def relation_names(sql: str) -> list[str]:
    """Unqualified names of every relation the statement mentions, in order, without repeats."""
    from pglast import ast
    from pglast.visitors import Visitor

    names: list[str] = []

    class _Collect(Visitor):
        def visit_RangeVar(self, _ancestors, node):
            if node.relname not in names:
                names.append(node.relname)

    for raw in _parse(sql):
        _Collect()(raw)
    return names

"""Quoting of identifiers and literals, the way PostgreSQL's `quote_ident`/`quote_literal` do it.

Every identifier the tool generates goes through `ident()`, so a table called `Users`,
`order` or `my table` survives a dump and reload unchanged.
"""
from __future__ import annotations

import re

from pglast.keywords import UNRESERVED_KEYWORDS, COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

_PLAIN_IDENT = re.compile(r"^[a-z_][a-z0-9_$]*$")
# Like quote_ident(): only unreserved keywords may stay bare; column-name, type/function-name
# and reserved keywords get quotes because some position would misread them.
_NEEDS_QUOTES_KEYWORDS = frozenset(RESERVED_KEYWORDS) | frozenset(COL_NAME_KEYWORDS) | frozenset(
    TYPE_FUNC_NAME_KEYWORDS)
assert not (_NEEDS_QUOTES_KEYWORDS & frozenset(UNRESERVED_KEYWORDS))


def ident(name: str) -> str:
    """`name` as an SQL identifier: bare when PostgreSQL would read it back unchanged, else quoted."""
    if _PLAIN_IDENT.match(name) and name not in _NEEDS_QUOTES_KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str | None, name: str) -> str:
    """`schema.name` with both parts quoted; just `name` when schema is empty or None."""
    return f"{ident(schema)}.{ident(name)}" if schema else ident(name)


def literal(text: str) -> str:
    """`text` as an SQL string literal; E'' form (backslashes doubled) when it holds a backslash."""
    body = text.replace("'", "''")
    if "\\" in text:
        return "E'" + body.replace("\\", "\\\\") + "'"
    return "'" + body + "'"


def dollar_quote(body: str) -> str:
    """`body` between dollar quotes whose tag does not occur in it ($$, $_$, $__$, ...)."""
    tag = ""
    # The closing delimiter is the first `$tag$` after the opening one, so it must not occur
    # in the body, not even straddling the body's end (a body ending in "$").
    while (body + f"${tag}$").find(f"${tag}$") != len(body):
        tag += "_"
    return f"${tag}${body}${tag}$"

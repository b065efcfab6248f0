"""Quoting of identifiers and literals, the way PostgreSQL's `quote_ident`/`quote_literal` do it.

Every identifier the tool generates goes through `ident()`, so a table called `Users`,
`order` or `my table` survives a dump and reload unchanged.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from functools import lru_cache
from pathlib import Path


def _pglast_keywords():
    """pglast's keyword lists (generated from PostgreSQL's kwlist.h).

    Read straight from `pglast/keywords.py` when pglast is not loaded yet: importing the
    package loads its parser extension, which costs `dump` ~40 ms it otherwise never needs.
    """
    if "pglast.keywords" not in sys.modules:
        try:
            package = importlib.util.find_spec("pglast")
            path = Path(package.submodule_search_locations[0]) / "keywords.py"
            spec = importlib.util.spec_from_file_location("_pgschema_tui_pglast_keywords", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        except Exception:  # any layout surprise: fall back to the ordinary import
            pass
    import pglast.keywords

    return pglast.keywords


_KEYWORDS = _pglast_keywords()
_PLAIN_IDENT = re.compile(r"^[a-z_][a-z0-9_$]*$")
# Like quote_ident(): only unreserved keywords may stay bare; column-name, type/function-name
# and reserved keywords get quotes because some position would misread them.
_NEEDS_QUOTES_KEYWORDS = frozenset(_KEYWORDS.RESERVED_KEYWORDS) | frozenset(_KEYWORDS.COL_NAME_KEYWORDS) | \
    frozenset(_KEYWORDS.TYPE_FUNC_NAME_KEYWORDS)


@lru_cache(maxsize=8192)  # a dump quotes the same few column and table names thousands of times
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


# Characters that end a line for the server's lexer (\n, \r), for a terminal or for Python's
# splitlines (the other C0 controls, DEL, NEL, the Unicode separators), and ESC, which starts a
# terminal escape sequence. None of them may reach a comment or a message line unescaped.
_LINE_BREAKERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    return _ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def comment_text(text: object) -> str:
    """`text` made safe for one line of a comment or message the tool writes (`-- Name: ...`, a plan
    comment, a warning): newlines, carriage returns and other control characters become visible
    escapes (`\\n`, `\\r`, `\\x1b`), so an object name cannot end the comment and put SQL of its own
    on the next line (what pg_dump fixed for CVE-2012-0868), nor draw on the terminal."""
    text = str(text)
    return _LINE_BREAKERS.sub(_escape, text) if _LINE_BREAKERS.search(text) else text

"""Make expressions printed by the catalog parse back into the same expression tree.

PostgreSQL's deparser is not always its own inverse. `status IN ('a', 'b')` on a varchar
column is stored as an array of varchar constants cast to text[] as a whole, printed as
`(ARRAY['a'::character varying, 'b'::character varying])::text[]`; but the parser reads
`ARRAY[...]::text[]` as a cast of each element, so a reload stores (and prints) something
else. Casting the array to its elements' own type first keeps the original tree:
`(ARRAY['a'::character varying, ...]::character varying[])::text[]`.

The quote-aware scanning this needs also answers whether an expression is already one
parenthesised group (`is_one_group`), which renderers ask before wrapping it.
"""
from __future__ import annotations

import re

_ELEMENT = re.compile(r"^'(?:[^']|'')*'::(.+)$", re.DOTALL)


def _skip_quoted(text: str, i: int) -> int:
    """Index just past the quoted string or identifier that starts at text[i]."""
    quote = text[i]
    i += 1
    while i < len(text):
        if text[i] == quote:
            if i + 1 < len(text) and text[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return i


def _closing_bracket(text: str, start: int) -> int:
    """Index of the `]` matching the `[` at text[start], or -1."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            i = _skip_quoted(text, i)
            continue
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
            if depth == 0:
                return i if ch == "]" else -1
        i += 1
    return -1


def is_one_group(text: str) -> bool:
    """True when `text` is a single parenthesised group: "(a) OR (b)" is not, "((a) OR (b))" is."""
    if not text.startswith("("):
        return False
    depth, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            i = _skip_quoted(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
        i += 1
    return False


def _split_top_level(text: str) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            i = _skip_quoted(text, i)
            continue
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    parts.append(text[start:].strip())
    return parts


_OUTER_CAST = re.compile(r"\)::((?:\"(?:[^\"]|\"\")*\"|[\w .$]|\(\d+(?:,\s*\d+)?\))+?)\[\]")


def keep_array_casts(text: str) -> str:
    """`text` with each `(ARRAY[<literals of type T>])::U[]` (U != T) made to reparse unchanged."""
    if "(ARRAY[" not in text:
        return text
    out, pos = [], 0
    while True:
        found = text.find("(ARRAY[", pos)
        if found < 0:
            break
        open_bracket = found + len("(ARRAY")
        close = _closing_bracket(text, open_bracket)
        if close < 0:
            break
        cast = _OUTER_CAST.match(text, close + 1)
        matches = [_ELEMENT.match(e) for e in _split_top_level(text[open_bracket + 1:close])]
        element_types = {m.group(1).strip() for m in matches if m}
        if cast and all(matches) and len(element_types) == 1:
            element_type = element_types.pop()
            if element_type != cast.group(1).strip():
                out.append(text[pos:close + 1])
                out.append(f"::{element_type}[]")
                pos = close + 1
                continue
        out.append(text[pos:open_bracket + 1])
        pos = open_bracket + 1
    out.append(text[pos:])
    return "".join(out)

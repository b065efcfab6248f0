"""Small, quote-aware scanners for the SQL text that `pg_get_*def` functions print.

The catalog stores some clauses only inside a whole definition (a trigger's WHEN, an
argument's DEFAULT); these helpers cut such pieces out without a full SQL parse.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_DOLLAR_TAG = re.compile(r"\$[A-Za-z_]*\$")
_BRACKETS_AND_QUOTES = "()[]'\"$"


@lru_cache(maxsize=None)
def _interesting(extra: str) -> re.Pattern:
    """The characters `_scan` stops at: brackets, quote starts and `extra`."""
    return re.compile("[" + re.escape(_BRACKETS_AND_QUOTES + extra) + "]")


def _scan(text: str, extra: str = "") -> Iterator[tuple[int, str, int]]:
    """Yield (position, character, paren depth) for the brackets and the `extra` characters
    outside quotes and dollar quotes; a regex jumps over everything else (definitions of
    thousands of objects pass through here)."""
    interesting = _interesting(extra)
    depth = 0
    i = 0
    n = len(text)
    while True:
        found = interesting.search(text, i)
        if found is None:
            return
        i = found.start()
        ch = text[i]
        if ch in ("'", '"'):
            end = i + 1
            while end < n:
                if text[end] == ch:
                    if end + 1 < n and text[end + 1] == ch:  # doubled quote inside the literal
                        end += 2
                        continue
                    break
                end += 1
            i = end + 1
            continue
        if ch == "$":
            tag = _DOLLAR_TAG.match(text, i)
            if tag:
                close = text.find(tag.group(0), tag.end())
                i = n if close < 0 else close + len(tag.group(0))
                continue
            if "$" in extra:
                yield i, ch, depth
        elif ch in "([":
            depth += 1
            yield i, ch, depth
        elif ch in ")]":
            yield i, ch, depth
            depth -= 1
        else:
            yield i, ch, depth
        i += 1


def matching_paren(text: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at `open_at` (-1 when unbalanced)."""
    base = None
    for pos, ch, depth in _scan(text, text[open_at:open_at + 1]):
        if pos == open_at:
            base = depth
        elif base is not None and ch == ")" and depth == base:
            return pos
    return -1


def strip_outer_parens(text: str) -> str:
    """`((a > 0))` -> `a > 0`: remove parentheses that wrap the whole text."""
    text = text.strip()
    while text.startswith("(") and matching_paren(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on `sep` outside parentheses and quotes; pieces are stripped."""
    pieces, start = [], 0
    for pos, ch, depth in _scan(text, sep):
        if ch == sep and depth == 0:
            pieces.append(text[start:pos].strip())
            start = pos + 1
    tail = text[start:].strip()
    if tail or pieces:
        pieces.append(tail)
    return pieces


def find_top_level(text: str, word: str, start: int = 0) -> int:
    """Index of the keyword `word` (surrounded by spaces) outside parentheses and quotes, or -1."""
    target = f" {word} "
    for pos, _ch, depth in _scan(text, " "):
        if pos >= start and depth == 0 and text.startswith(target, pos):
            return pos
    return -1

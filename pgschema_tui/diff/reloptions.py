"""Storage parameters (reloptions): the SET (...) / RESET (...) clauses between two lists.

Statements the comparers write are schema-agnostic like the dump (the executor sets
`search_path` to the target schema), so names in the target schema stay unqualified.
"""
from __future__ import annotations


def option_names(options: tuple[str, ...]) -> dict[str, str]:
    """reloptions ("fillfactor=70",) as a dict name -> value."""
    out = {}
    for opt in options:
        name, _, value = opt.partition("=")
        out[name.strip()] = value.strip()
    return out


def set_reset_options(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The `SET (...)` and `RESET (...)` clauses that turn reloptions `old` into `new`."""
    old_opts, new_opts = option_names(old), option_names(new)
    to_set = [f"{k}={v}" for k, v in new_opts.items() if old_opts.get(k) != v]
    to_reset = [k for k in old_opts if k not in new_opts]
    return (f"SET ({', '.join(to_set)})" if to_set else None,
            f"RESET ({', '.join(to_reset)})" if to_reset else None)

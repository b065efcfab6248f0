"""The names PostgreSQL gives objects a statement leaves unnamed (`makeObjectName`).

Below both loaders and the diff: the parser chooses implicit names with it, the inspector and
the diff need the name an identity column's sequence gets when no `SEQUENCE NAME` is written.
"""
from __future__ import annotations

NAMEDATALEN = 64


def clip_bytes(name: str, max_bytes: int) -> str:
    """The longest prefix of `name` fitting in `max_bytes` UTF-8 bytes (pg_mbcliplen)."""
    raw = name.encode()
    if len(raw) <= max_bytes:
        return name
    return raw[:max_bytes].decode("utf-8", errors="ignore")


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """makeObjectName: `name1_name2_label`, shortening the longer of name1/name2 to fit 63 bytes."""
    whole = name1 + (f"_{name2}" if name2 is not None else "") + (f"_{label}" if label else "")
    if len(whole.encode()) < NAMEDATALEN:
        return whole  # fits as it is (nearly every name): nothing to shorten
    n1 = len(name1.encode())
    n2 = len(name2.encode()) if name2 is not None else 0
    overhead = (1 if name2 is not None else 0) + (len(label.encode()) + 1 if label else 0)
    available = NAMEDATALEN - 1 - overhead
    while n1 + n2 > available:
        if n1 > n2:
            n1 -= 1
        else:
            n2 -= 1
    name = clip_bytes(name1, n1)
    if name2 is not None:
        name += "_" + clip_bytes(name2, n2)
    if label:
        name += "_" + label
    return name


def identity_sequence_name(table: str, column: str) -> str:
    """`<table>_<column>_seq` cut to 63 bytes: an identity sequence's name when none is written
    and nothing else holds it (the IR records `Identity.sequence_name` only when it differs)."""
    return make_object_name(table, column, "seq")

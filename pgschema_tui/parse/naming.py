"""PostgreSQL's implicit names for unnamed constraints, indexes and SERIAL sequences.

The catalog is the truth the parser must match, so these follow `makeObjectName`,
`ChooseRelationName`, `ChooseConstraintName` and `ChooseIndexNameAddition` from
PostgreSQL's source: names are cut to 63 bytes (the longer part shortened first,
never inside a UTF-8 character, `ddl/implicit_names.py`) and made unique with a counter on the label.
"""
from __future__ import annotations

from pgschema_tui.ddl.implicit_names import NAMEDATALEN, clip_bytes as _clip_bytes, make_object_name

__all__ = ["NAMEDATALEN", "make_object_name", "index_name_addition", "index_column_names", "choose_name"]


def index_name_addition(column_names: list[str]) -> str:
    """ChooseIndexNameAddition: column names joined by `_`, stopped once past 63 bytes."""
    buf = b""
    for name in column_names:
        if buf:
            buf += b"_"
        buf += name.encode()[: NAMEDATALEN - 1]
        if len(buf) >= NAMEDATALEN:
            break
    return buf.decode("utf-8", errors="ignore")


def index_column_names(names: list[str]) -> list[str]:
    """ChooseIndexColumnNames: per-key names ("expr" when unknown), de-duplicated with counters."""
    result: list[str] = []
    for origname in names:
        current, counter = origname, 0
        while current in result:
            counter += 1
            suffix = str(counter)
            current = _clip_bytes(origname, NAMEDATALEN - 1 - len(suffix)) + suffix
        result.append(current)
    return result


def choose_name(name1: str, name2: str | None, label: str, taken) -> str:
    """ChooseRelationName/ChooseConstraintName: first `makeObjectName` not in `taken`, label1, label2..."""
    pass_no, modlabel = 0, label
    while True:
        name = make_object_name(name1, name2, modlabel)
        if name not in taken:
            return name
        pass_no += 1
        modlabel = f"{label}{pass_no}"

"""Sequences (standalone and SERIAL ones; identity sequences belong to their column).

Options equal to what PostgreSQL would choose by itself are stored as None, so an explicit
`INCREMENT 1` and no INCREMENT clause give the same IR. Defaults follow CREATE SEQUENCE:
increment 1; ascending: min 1, max the type's maximum, start = min; descending: min the
type's minimum, max -1, start = max; cache 1; data type bigint (identity columns: the
column's type, so `data_type` stays None there). The parser must apply the same rule.
"""
from __future__ import annotations

from pgschema_tui.inspect.context import InspectContext, comment_sql, not_extension_member
from pgschema_tui.ir import model as ir

TYPE_RANGES = {
    "smallint": (-32768, 32767),
    "integer": (-2147483648, 2147483647),
    "bigint": (-9223372036854775808, 9223372036854775807),
}

_SEQUENCES = f"""
SELECT c.oid, c.relname, format_type(s.seqtypid, NULL) AS data_type, s.seqstart, s.seqincrement,
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle, {comment_sql('pg_class', 'c.oid')} AS description,
       owner_rel.relname AS owner_table, owner_att.attname AS owner_column
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_catalog.pg_depend own ON own.classid = 'pg_catalog.pg_class'::regclass AND own.objid = c.oid
     AND own.refclassid = 'pg_catalog.pg_class'::regclass AND own.refobjsubid > 0 AND own.deptype IN ('a', 'i')
LEFT JOIN pg_catalog.pg_class owner_rel ON owner_rel.oid = own.refobjid
LEFT JOIN pg_catalog.pg_attribute owner_att ON owner_att.attrelid = own.refobjid AND owner_att.attnum = own.refobjsubid
WHERE c.relnamespace = %(nsp)s AND c.relkind = 'S' AND (own.deptype IS NULL OR own.deptype = 'a')
  AND {not_extension_member('pg_class', 'c.oid')}
"""


def sequence_options(data_type: str, start: int, increment: int, min_value: int, max_value: int,
                     cache: int, cycle: bool, *, identity: bool = False) -> ir.SequenceOptions:
    """Catalog sequence settings with PostgreSQL's own defaults replaced by None."""
    type_min, type_max = TYPE_RANGES.get(data_type, TYPE_RANGES["bigint"])
    ascending = increment > 0
    default_min = 1 if ascending else type_min
    default_max = type_max if ascending else -1
    default_start = min_value if ascending else max_value
    return ir.SequenceOptions(
        data_type=None if identity or data_type == "bigint" else data_type,
        start=None if start == default_start else start,
        increment=None if increment == 1 else increment,
        min_value=None if min_value == default_min else min_value,
        max_value=None if max_value == default_max else max_value,
        cache=None if cache == 1 else cache,
        cycle=bool(cycle),
    )


def read_sequences(ctx: InspectContext) -> list[ir.Sequence]:
    """Standalone and SERIAL sequences; OWNED BY is `table.column` with raw names."""
    sequences = []
    for row in ctx.rows(_SEQUENCES):
        owned_by = f"{row['owner_table']}.{row['owner_column']}" if row["owner_table"] else None
        sequences.append(ir.Sequence(
            name=row["relname"],
            options=sequence_options(row["data_type"], row["seqstart"], row["seqincrement"], row["seqmin"],
                                     row["seqmax"], row["seqcache"], row["seqcycle"]),
            owned_by=owned_by,
            comment=row["description"],
        ))
    return sequences

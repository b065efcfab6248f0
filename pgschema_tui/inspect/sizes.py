"""Row estimates and on-disk sizes of a schema's relations, for hazards that say what they cost.

One query: `pg_class.reltuples` (the planner's estimate, -1 before the first ANALYZE on
PostgreSQL 14+) and `pg_total_relation_size` (heap, indexes and TOAST). A partitioned
table's figures are the sums over its partition tree.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

_SIZES_SQL = """
SELECT c.relname,
       CASE WHEN c.relkind = 'p' THEN
            (SELECT sum(greatest(p.reltuples, 0)) FROM pg_partition_tree(c.oid) t
             JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf)
            ELSE c.reltuples END,
       CASE WHEN c.relkind = 'p' THEN
            (SELECT sum(pg_total_relation_size(t.relid)) FROM pg_partition_tree(c.oid) t)
            ELSE pg_total_relation_size(c.oid) END
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'm', 'i', 'I')
"""


@dataclass(frozen=True)
class RelationSize:
    rows: int | None  # None: never analysed, the estimate is unknown
    bytes: int


def relation_sizes(conn, schema: str) -> dict[str, RelationSize]:
    """relation name (raw) -> RelationSize for every table, materialized view and index of `schema`."""
    sizes = {}
    for name, reltuples, total_bytes in conn.execute(_SIZES_SQL, (schema,)).fetchall():
        rows = int(reltuples) if reltuples is not None and reltuples >= 0 else None
        sizes[name] = RelationSize(rows=rows, bytes=int(total_bytes or 0))
    return sizes


class LazyRelationSizes(Mapping):
    """`relation_sizes(conn, schema)`, queried on first use: only a plan with a hazard that
    quotes a size needs them, and an unchanged 1,000-table schema should not pay for them.
    The connection must be idle (not used by another thread) when a size is first read."""

    def __init__(self, conn, schema: str):
        self._conn, self._schema, self._sizes = conn, schema, None

    def _loaded(self) -> dict[str, RelationSize]:
        if self._sizes is None:
            self._sizes = relation_sizes(self._conn, self._schema)
        return self._sizes

    def __getitem__(self, name: str) -> RelationSize:
        return self._loaded()[name]

    def __iter__(self):
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

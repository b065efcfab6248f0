"""Facts about the server that decide which catalog columns exist (PostgreSQL 14 to 18)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServerVersion:
    """`server_version_num` and the catalog features that depend on it."""

    num: int

    @property
    def major(self) -> int:
        return self.num // 10000

    @property
    def has_nulls_not_distinct(self) -> bool:
        """pg_index.indnullsnotdistinct (PostgreSQL 15)."""
        return self.num >= 150000

    @property
    def has_fk_set_column_lists(self) -> bool:
        """pg_constraint.confdelsetcols: ON DELETE SET NULL (a, b) (PostgreSQL 15)."""
        return self.num >= 150000

    @property
    def has_temporal_constraints(self) -> bool:
        """pg_constraint.conperiod: WITHOUT OVERLAPS / PERIOD keys (PostgreSQL 18)."""
        return self.num >= 180000


def server_version(conn) -> ServerVersion:
    """Read `server_version_num` from a live connection."""
    row = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
    return ServerVersion(row[0])

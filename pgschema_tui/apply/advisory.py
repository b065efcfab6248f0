"""One apply at a time per (database, schema): a session advisory lock held for the whole apply.

The key is two int4 hashes, `hashtext('pgschema-tui apply')` and `hashtext(<schema>)`, so the
same schema in the same database always maps to the same lock (advisory locks are per
database). A second apply waits for it up to the lock timeout, then names the session holding
it from `pg_locks` and `pg_stat_activity`.
"""
from __future__ import annotations

from dataclasses import dataclass

from pgschema_tui.ddl.quote import literal

LOCK_NAMESPACE = "pgschema-tui apply"
LOCK_NOT_AVAILABLE = "55P03"

_TAKE_SQL = "SELECT pg_advisory_lock(hashtext(%s), hashtext(%s))"
_HOLDER_SQL = """
SELECT l.pid, a.application_name, a.backend_start, a.client_addr::text, a.usename
FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
  AND l.classid = hashtext(%s)::oid AND l.objid = hashtext(%s)::oid
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


class ApplyLockBusy(Exception):
    """Another session holds the apply lock of the schema; the message names it."""


@dataclass(frozen=True)
class Holder:
    pid: int
    application_name: str | None
    since: object  # datetime of the holder's connection (backend_start)
    client: str | None
    user: str | None

    def describe(self) -> str:
        facts = [f"application_name {self.application_name!r}" if self.application_name else None,
                 f"user {self.user!r}" if self.user else None,
                 f"from {self.client}" if self.client else None,
                 f"connected since {self.since:%Y-%m-%d %H:%M:%S %Z}".rstrip() if self.since else None]
        return f"pid {self.pid} (" + ", ".join(f for f in facts if f) + ")"


def acquire(conn, schema: str, timeout_ms: int) -> None:
    """Take the apply lock of `schema` on `conn` (autocommit), waiting up to `timeout_ms`."""
    import psycopg

    conn.execute(f"SET lock_timeout = {literal(f'{timeout_ms}ms')}")
    try:
        conn.execute(_TAKE_SQL, (LOCK_NAMESPACE, schema))
    except psycopg.Error as exc:
        if exc.sqlstate != LOCK_NOT_AVAILABLE:
            raise
        holders = [Holder(*row) for row in conn.execute(_HOLDER_SQL, (LOCK_NAMESPACE, schema)).fetchall()]
        who = "; ".join(h.describe() for h in holders) or "a session that has released it since"
        raise ApplyLockBusy(
            f"another apply is running on schema {schema!r} of this database: its lock is held by {who}. "
            f"Waited {timeout_ms / 1000:g}s (the lock timeout); nothing was applied. Try again when it "
            f"has finished.") from None


def release(conn, schema: str) -> None:
    conn.execute("SELECT pg_advisory_unlock(hashtext(%s), hashtext(%s))", (LOCK_NAMESPACE, schema))

"""Cancel or terminate a session that blocks the apply (the reviewer's `k` / `K`, after a confirmation).

Sent from a connection of its own, and only to a session that blocks the apply's statement at that
moment (`pg_blocking_pids` of the apply's backend): a pid read a second ago may have moved on, or
been reused by another session. `pg_cancel_backend` stops the blocker's running query (a session
idle in its transaction keeps its locks: only `pg_terminate_backend` ends it, rolling it back).
"""
from __future__ import annotations

_SIGNAL_SQL = {
    False: "SELECT pg_catalog.pg_cancel_backend(%(pid)s) WHERE %(pid)s = ANY(pg_catalog.pg_blocking_pids(%(ours)s))",
    True: "SELECT pg_catalog.pg_terminate_backend(%(pid)s) WHERE %(pid)s = ANY(pg_catalog.pg_blocking_pids(%(ours)s))",
}


def signal_blocker(settings, pid: int, ours: int | None, terminate: bool) -> str:
    """Cancel (or terminate) `pid` if it blocks backend `ours` now; a sentence saying what was done."""
    what = "terminated" if terminate else "cancelled the query of"
    if ours is None:
        return f"pid {pid} left alone: the apply has no statement running"
    try:
        with settings.connect() as conn:
            row = conn.execute(_SIGNAL_SQL[terminate], {"pid": pid, "ours": ours}).fetchone()
    except Exception as exc:  # noqa: BLE001 - one line for the log, never a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"could not signal pid {pid}: {first}"
    if row is None:
        return f"pid {pid} left alone: it no longer blocks the apply"
    if not row[0]:
        return f"pid {pid} was not {what.split()[0]} (the server refused: not allowed, or it had ended)"
    return f"{what} pid {pid}" + ("" if terminate else " (its session and transaction go on)")

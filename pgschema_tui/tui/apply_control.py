"""Stopping an apply from outside its connection: cancel the statement it is running.

The apply connection is busy inside the executor, so we open a second connection and
`pg_cancel_backend` every backend that carries this run's unique application_name.
"""
from __future__ import annotations

import uuid
from dataclasses import replace

from pgschema_tui.connection import ConnectionSettings


def tag_settings(settings: ConnectionSettings) -> ConnectionSettings:
    """The same settings with an application_name unique to this apply run."""
    return replace(settings, application_name=f"{settings.application_name}-{uuid.uuid4().hex[:8]}")


def cancel_running(settings: ConnectionSettings) -> int:
    """Cancel the active statements of the run tagged `settings.application_name`; returns how many."""
    with replace(settings, application_name=settings.application_name + "-abort").connect() as conn:
        rows = conn.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND pid <> pg_backend_pid() AND state <> 'idle'",
            (settings.application_name,),
        ).fetchall()
    return sum(1 for (ok,) in rows if ok)

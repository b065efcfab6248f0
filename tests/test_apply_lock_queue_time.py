"""`--max-lock-queue T` (a duration): give our waiting statement up once a session has waited
behind it for T, however short the queue (issue 12: "N sessions or T seconds"), on a real server;
and the flag's forms (`N`, `T`, `N,T`) on the command line."""
from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from test_apply_lock_queue import Readers, _plan

from pgschema_tui.apply.events import LockWait, Notice, PlanFinished
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions, lock_queue_limits
from pgschema_tui.errors import UserError


def test_one_reader_waiting_longer_than_t_gives_the_statement_up(db, conn):
    conn.execute("CREATE TABLE t (id int)")
    holder = db.connect(autocommit=False)
    holder.execute("SELECT * FROM t").fetchall()
    options = ApplyOptions(lock_timeout_ms=30_000, lock_retries=2, backoff_base=0.05, backoff_max=0.1,
                           poll_interval=0.05, max_lock_queue_seconds=0.5)
    readers = Readers(db, 1)
    events, queued_at, freed_in = [], None, None
    try:
        for event in Executor(_plan(), db, options).events():
            events.append(event)
            if isinstance(event, LockWait) and queued_at is None:
                readers.start(conn)
                queued_at = time.monotonic()
            if isinstance(event, Notice) and "queue" in event.message and freed_in is None:
                assert readers.join(10), "the reader still waits behind our lock request"
                freed_in = time.monotonic() - queued_at
                holder.commit()
            if queued_at is not None and freed_in is None and time.monotonic() - queued_at > 15:
                holder.commit()  # never given up: end the test (it fails below)
                freed_in = float("inf")
    finally:
        holder.close()
        readers.close()
    assert not readers.errors, readers.errors
    assert freed_in is not None and 0.4 < freed_in < 10, (freed_in, [e for e in events if isinstance(e, Notice)])
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert any(re.search(r"a session waited \d+\.\ds behind it on t \(pid \d+; --max-lock-queue 0\.5s\)", m)
               for m in notices), notices
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and finished.success, finished


@pytest.mark.parametrize("text,expected", [
    ("3", (3, None)), ("10s", (None, 10.0)), ("500ms", (None, 0.5)), ("3,10s", (3, 10.0)), ("2s, 4", (4, 2.0)),
    (None, (None, None)),
])
def test_max_lock_queue_forms(text, expected):
    assert lock_queue_limits(SimpleNamespace(max_lock_queue=text)) == expected


@pytest.mark.parametrize("text", ["0", "-1", "0s", "abc", "3,4", "1s,2s", ""])
def test_max_lock_queue_bad_values_are_refused_with_one_message(text):
    with pytest.raises(UserError, match="--max-lock-queue"):
        lock_queue_limits(SimpleNamespace(max_lock_queue=text))

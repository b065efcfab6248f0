"""The queue behind a waiting statement, and `--max-lock-queue`.

A statement waiting for ACCESS EXCLUSIVE blocks every session that asks for a lock on the same
table after it, plain readers too: the wait itself is the outage. While the executor's
statement waits, `watch_queue` reads the queue from the monitor (holders, sessions ahead,
sessions behind), yields it as a `LockQueue` event, and gives the statement up when
`max_lock_queue` sessions wait behind it; the executor then retries it as after a lock timeout.
"""
from __future__ import annotations

import time


def watch_queue(executor, index: int, shown: tuple[float, tuple]):
    """One poll while step `index` waits for a lock. `shown` is (when, shape) of the queue last
    yielded: a queue is yielded when it changes, and every second for its ages. Returns the new
    `shown`, or None when there was no queue to read."""
    try:
        queue = executor._monitor.queue(index)
    except Exception as exc:  # the monitor is a convenience: never fail the apply over it
        executor._monitor_lost(exc)
        return None
    if queue is None:
        return None
    now = time.monotonic()
    shape = tuple((s.pid, s.place, s.mode) for s in queue.sessions)
    if shape != shown[1] or now - shown[0] >= 1.0:
        yield queue
        shown = (now, shape)
    limit = executor.options.max_lock_queue
    behind = len(queue.behind)
    if limit and behind >= limit and executor._queue_gave_up is None:
        executor._queue_gave_up = (f"{behind} {'session' if behind == 1 else 'sessions'} queued behind it "
                                   f"on {queue.relation or 'its lock'} (--max-lock-queue {limit})")
        executor._cancel_running(wait=False)
    return shown

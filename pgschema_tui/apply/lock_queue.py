"""The queue behind a waiting statement, and `--max-lock-queue`.

A statement waiting for ACCESS EXCLUSIVE blocks every session that asks for a lock on the same
table after it, plain readers too: the wait itself is the outage. While the executor's
statement waits, `watch_queue` reads the queue from the monitor (holders, sessions ahead,
sessions behind), yields it as a `LockQueue` event, and gives the statement up when
`max_lock_queue` sessions wait behind it, or one has waited behind it `max_lock_queue_seconds`; the executor then retries it as after a lock timeout.
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
    why = queue_limit_reached(executor.options, queue)
    if why and executor._queue_gave_up is None:
        executor._queue_gave_up = why
        executor._cancel_running(wait=False)
    return shown


def queue_limit_reached(options, queue) -> str | None:
    """Why `queue` passes --max-lock-queue (N sessions behind, or one waiting behind for T
    seconds), in words; None while it does not."""
    behind = queue.behind
    where = f"on {queue.relation or 'its lock'}"
    if options.max_lock_queue and len(behind) >= options.max_lock_queue:
        n = len(behind)
        return f"{n} {'session' if n == 1 else 'sessions'} queued behind it {where} (--max-lock-queue {options.max_lock_queue})"
    limit = options.max_lock_queue_seconds
    longest = max((s.waited_seconds or 0.0 for s in behind), default=0.0)
    if limit and behind and longest >= limit:
        oldest = max(behind, key=lambda s: s.waited_seconds or 0.0)
        return (f"a session waited {longest:.1f}s behind it {where} (pid {oldest.pid}; "
                f"--max-lock-queue {limit:g}s)")
    return None

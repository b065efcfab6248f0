"""Pause Python's cyclic garbage collector while a schema is parsed and loaded.

Parsing a large schema allocates hundreds of thousands of pglast nodes that reference
counting frees on its own (syntax trees hold no cycles); the collector still scans them
every few hundred allocations, which was about a fifth of the load time of a 1,000-table
schema. Collection resumes when the outermost pause ends.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # pauses open right now (nested or in other threads)
_was_enabled = False


@contextmanager
def gc_paused():
    """Run the block with the cyclic collector off (it is switched back on only if it was on)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()

"""Run the counts of the data checks (`plan/datacheck_specs.py` builds them), each bounded.

Every check runs in its own read-only transaction with `statement_timeout` set, the target
schema first on the plan's `search_path` (the plan's expressions name its functions unqualified). A
count that takes too long, or fails, is returned as `count=None` with the reason: the
caller reports it as not checked, never as passed. The samples (the same rows, LIMIT in
their SQL) are read first: fewer than the limit are the count, so most checks scan once.
"""
from __future__ import annotations

import re
import time

from pgschema_tui.ddl.search_path import effective_path, setting_text
from dataclasses import dataclass

_QUERY_CANCELED = "57014"  # statement_timeout
_TIMEOUT = re.compile(r"^\s*(\d+)\s*(ms|s|min)?\s*$")


@dataclass(frozen=True)
class CheckOutcome:
    count: int | None  # None: not counted (see error)
    samples: tuple[tuple[str | None, ...], ...] = ()
    error: str | None = None  # "timeout", or the server's message
    seconds: float = 0.0


def parse_timeout(text: str) -> int | None:
    """Milliseconds of `2s`, `200ms`, `1min` or `500` (ms); None when it is not one of those."""
    match = _TIMEOUT.match(str(text))
    if not match:
        return None
    value, unit = int(match.group(1)), match.group(2) or "ms"
    return value * {"ms": 1, "s": 1000, "min": 60_000}[unit]


def run_checks(conn, schema: str, checks, timeout_ms: int, search_path: tuple[str, ...] = ()) -> list[CheckOutcome]:
    """One outcome per check (objects with `count_sql`, `sample_sql`, `sample_limit` (the LIMIT
    of `sample_sql`) and `unchecked`), in order."""
    path = setting_text(effective_path(schema, search_path))
    return [_run_one(conn, path, check, timeout_ms) for check in checks]


def _run_one(conn, path: str, check, timeout_ms: int) -> CheckOutcome:
    if getattr(check, "unchecked", "") or not check.count_sql:
        return CheckOutcome(count=None, error=getattr(check, "unchecked", "") or "nothing to run")
    start = time.perf_counter()
    try:
        with conn.transaction():
            conn.execute("SET TRANSACTION READ ONLY")
            conn.execute("SELECT set_config('statement_timeout', %s, true), "
                         "set_config('search_path', %s, true)",
                         (f"{int(timeout_ms)}ms", path))
            # the generated SQL goes without parameters, so a `%` in it stays a `%`. The samples
            # first: they are the same rows, so fewer than the limit is the count, in one scan;
            # a full sample stops early, and only then does the count scan on
            limit = int(getattr(check, "sample_limit", 0) or 0)
            samples = ()
            if limit and check.sample_sql:
                samples = tuple(tuple(row) for row in conn.execute(check.sample_sql).fetchall())
            if limit and len(samples) < limit:
                count = len(samples)
            else:
                count = int(conn.execute(check.count_sql).fetchone()[0])
    except Exception as exc:  # timeout, an expression failing on some row, a lost connection
        seconds = time.perf_counter() - start
        if getattr(exc, "sqlstate", None) == _QUERY_CANCELED:
            return CheckOutcome(count=None, error="timeout", seconds=seconds)
        text = str(exc).strip().splitlines()
        return CheckOutcome(count=None, error=(text[0] if text else type(exc).__name__)[:200], seconds=seconds)
    return CheckOutcome(count=count, samples=samples, seconds=time.perf_counter() - start)

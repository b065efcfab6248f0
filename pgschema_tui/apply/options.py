"""How the executor behaves: lock timeout, retries, polling cadence.

Kept apart from the executor so the CLI, the terminal reviewer and tests build the same
options from their own inputs (`from_args` for the CLI flags).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pgschema_tui.errors import UserError

MAX_LOCK_TIMEOUT_MS = 2_147_483_647  # lock_timeout is an int4 of milliseconds on the server
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m|h)?\s*$", re.IGNORECASE)
_UNIT_MS = {"ms": 1, "s": 1000, "sec": 1000, "min": 60_000, "m": 60_000, "h": 3_600_000}


def parse_duration_ms(text: str) -> int:
    """`5s`, `500ms`, `2min` (a bare number means seconds) → milliseconds."""
    match = _DURATION.match(str(text))
    if not match:
        raise UserError(f"invalid duration {text!r}: use e.g. 5s, 500ms or 2min")
    value, unit = float(match.group(1)), (match.group(2) or "s").lower()
    return int(round(value * _UNIT_MS[unit]))


def format_duration_ms(ms: int) -> str:
    """1000 → `1s`, 500 → `500ms`, 120000 → `2min`: as a user would write it on the command line."""
    if ms % 60_000 == 0:
        return f"{ms // 60_000}min"
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


@dataclass(frozen=True)
class ApplyOptions:
    """Knobs of one apply run; the defaults are the CLI defaults."""

    schema: str = "public"
    lock_timeout_ms: int = 5000  # > 0: 0 would mean "wait forever" to the server, which apply refuses
    lock_retries: int = 3
    poll_interval: float = 0.5  # seconds between progress polls of a running statement
    backoff_base: float = 0.5  # first retry delay after a lock timeout, doubled each attempt
    backoff_max: float = 30.0
    wait_stall_seconds: float = 10.0  # a wait step gives up when no build runs and nothing moves
    # CREATE INDEX CONCURRENTLY runs without lock_timeout (its waits for other transactions are
    # not lock waits to retry, apply/index_builds.py); this bounds a build instead; 0 = none.
    index_build_timeout_ms: int = 0
    # statement_timeout of every other statement the executor runs (DDL, its lock and wait
    # statements, COMMIT); 0 = none set (the role's or server's default stays)
    statement_timeout_ms: int = 0
    allow_hazards: frozenset[str] = frozenset()  # hazard kinds accepted (data_loss turns the guard off)
    # the data checks are counted again once the apply lock is held (apply/recheck.py)
    data_check_timeout_ms: int = 2000
    skip_data_checks: bool = False
    # give a waiting statement up (and retry it as after a lock timeout) when this many sessions
    # queue behind its lock request; None: never
    max_lock_queue: int | None = None
    # ... or when a session has waited behind it this many seconds; None: never
    max_lock_queue_seconds: float | None = None
    stop_after_group: int | None = None  # 0-based: run groups up to and including it (apply/control.py)

    @property
    def lock_poll_interval(self) -> float:
        """Lock waits are looked for several times within one lock_timeout, or we would miss them."""
        return max(0.01, min(self.poll_interval, self.lock_timeout_ms / 1000 / 5))

    def retry_delay(self, attempt: int, rng) -> float:
        """Back-off before retry `attempt` (1-based) after a lock timeout: exponential with jitter,
        random in the upper half of backoff_base * 2^(attempt-1), capped at backoff_max."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return round(ceiling / 2 + rng.random() * ceiling / 2, 3)

    @classmethod
    def from_args(cls, args, allow_hazards: frozenset[str] = frozenset()) -> "ApplyOptions":
        """Options from the CLI flags, every value checked before anything connects."""
        if args.lock_retries < 0:
            raise UserError("--lock-retries must be 0 or more")
        build_timeout = getattr(args, "index_build_timeout", None)
        return cls(schema=args.schema, lock_timeout_ms=lock_timeout_ms(args.lock_timeout),
                   lock_retries=args.lock_retries, allow_hazards=allow_hazards,
                   index_build_timeout_ms=parse_duration_ms(build_timeout) if build_timeout else 0,
                   statement_timeout_ms=statement_timeout_ms(getattr(args, "statement_timeout", None)),
                   data_check_timeout_ms=_data_check_timeout_ms(args),
                   skip_data_checks=bool(getattr(args, "skip_data_checks", False)),
                   max_lock_queue=max_lock_queue(args), max_lock_queue_seconds=lock_queue_limits(args)[1],
                   stop_after_group=stop_after_group(args))


def lock_timeout_ms(text: str) -> int:
    """--lock-timeout in milliseconds: at least 1ms (0 would wait forever) and at most the server's limit."""
    ms = parse_duration_ms(text)
    if ms <= 0:
        raise UserError(f"--lock-timeout {text}: 0 would make every statement wait for its locks forever, "
                        f"which apply refuses; give a duration of at least 1ms (e.g. 5s)")
    if ms > MAX_LOCK_TIMEOUT_MS:
        raise UserError(f"--lock-timeout {text}: at most {MAX_LOCK_TIMEOUT_MS}ms (about 24 days), the "
                        f"largest lock_timeout PostgreSQL accepts")
    return ms


def statement_timeout_ms(text: str | None) -> int:
    """--statement-timeout in milliseconds (0 when not given): more than 0 and at most the server's limit."""
    if text is None:
        return 0
    try:
        ms = parse_duration_ms(text)
    except UserError:
        raise UserError(f"--statement-timeout {text!r} is not a duration like 500ms, 30s or 2min") from None
    if ms <= 0 or ms > MAX_LOCK_TIMEOUT_MS:
        raise UserError(f"--statement-timeout {text}: give a duration of more than 0 and at most "
                        f"{MAX_LOCK_TIMEOUT_MS}ms (e.g. 30s); leave the flag out for no timeout")
    return ms


def _data_check_timeout_ms(args) -> int:
    from pgschema_tui.inspect.datachecks import parse_timeout

    text = str(getattr(args, "data_check_timeout", None) or "2s").strip()
    ms = parse_timeout(text)
    if ms is None or ms <= 0:
        raise UserError(f"--data-check-timeout {text!r} is not a duration like 500ms, 2s or 1min")
    return ms


def max_lock_queue(args) -> int | None:
    """--max-lock-queue's number of sessions (None when not given); see `lock_queue_limits`."""
    return lock_queue_limits(args)[0]


def lock_queue_limits(args) -> tuple[int | None, float | None]:
    """--max-lock-queue `N`, `T` or `N,T` (a bare number counts sessions, a duration such as 10s
    or 500ms is how long a session may wait behind ours): (sessions, seconds), None for either
    not given. An int (as tests and the reviewer pass) is a number of sessions."""
    value = getattr(args, "max_lock_queue", None)
    if value is None:
        return None, None
    usage = (f"--max-lock-queue {value}: give N (sessions, 1 or more), T (a duration such as 10s, more than "
             f"0) or N,T: a waiting statement is given up and retried when N sessions queue behind it or one "
             f"has waited behind it for T")
    parts = [value] if isinstance(value, int) else [p.strip() for p in str(value).split(",")]
    count = seconds = None
    for part in parts:
        if isinstance(part, int) or (part.isdigit()):
            if count is not None or int(part) < 1:
                raise UserError(usage)
            count = int(part)
        elif part[:1] == "-" or not _DURATION.match(part or "x"):
            raise UserError(usage)
        else:
            ms = parse_duration_ms(part)
            if seconds is not None or ms <= 0:
                raise UserError(usage)
            seconds = ms / 1000
    if count is None and seconds is None:
        raise UserError(usage)
    return count, seconds


def stop_after_group(args) -> int | None:
    """--stop-after-group N (1-based on the command line) as a 0-based group, None when not given."""
    value = getattr(args, "stop_after_group", None)
    if value is None:
        return None
    if value < 1:
        raise UserError(f"--stop-after-group {value}: groups are numbered from 1 (as the plan shows them)")
    return value - 1

"""What happened to each target of a fleet apply, and the table printed at the end."""
from __future__ import annotations

from dataclasses import dataclass

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.fleet.grouping import TargetId

APPLIED, NO_CHANGES, FAILED, SKIPPED = "applied", "no changes", "failed", "skipped"
_ORDER = {FAILED: 0, SKIPPED: 1, APPLIED: 2, NO_CHANGES: 3}
_LISTED = 50  # above this many targets, applied / unchanged ones are counted, not listed


@dataclass(frozen=True)
class Outcome:
    target: TargetId
    status: str
    message: str = ""  # the error of a failed target, why a target was skipped
    steps: int = 0
    seconds: float = 0.0


def progress_line(done: int, total: int, outcome: Outcome, with_database: bool) -> str:
    """`[3/200] tenant_7: applied (2 steps, 0.41s)`, or the first line of the error."""
    what = outcome.status
    if outcome.status == APPLIED:
        what += f" ({outcome.steps} step{'s' if outcome.steps != 1 else ''}, {outcome.seconds:.2f}s)"
    elif outcome.message:
        what += ": " + (outcome.message.strip().splitlines() or [""])[0]
    return comment_text(f"[{done}/{total}] {outcome.target.label(with_database)}: {what}")


def render_outcomes(outcomes: list[Outcome]) -> str:
    """Counts per status, then a table: every failed and skipped target with its error, and the
    other targets one per row (or by name lists when there are many)."""
    with_database = len({o.target.database for o in outcomes}) > 1
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in _ORDER}
    lines = [f"Fleet apply: {len(outcomes)} targets: " + ", ".join(
        f"{n} {status}" for status, n in counts.items() if n) + "."]
    width = max([len(o.target.label(with_database)) for o in outcomes] + [6])
    lines.append(f"  {'target':<{width}}  {'outcome':<10}  detail")
    many = len(outcomes) > _LISTED
    for outcome in sorted(outcomes, key=lambda o: (_ORDER[o.status], o.target.database, o.target.schema)):
        if many and outcome.status in (APPLIED, NO_CHANGES):
            continue
        detail = outcome.message.strip().splitlines() if outcome.message else []
        if outcome.status == APPLIED:
            detail = [f"{outcome.steps} step{'s' if outcome.steps != 1 else ''} in {outcome.seconds:.2f}s"]
        lines.append(comment_text(f"  {outcome.target.label(with_database):<{width}}  {outcome.status:<10}  "
                                  f"{detail[0] if detail else ''}".rstrip()))
        lines.extend(comment_text(f"  {'':<{width}}  {'':<10}  {more}") for more in detail[1:6])
    if many:
        for status in (APPLIED, NO_CHANGES):
            names = [o.target.label(with_database) for o in outcomes if o.status == status]
            if names:
                shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
                lines.append(comment_text(f"  {status}: {shown}"))
    return "\n".join(lines) + "\n"

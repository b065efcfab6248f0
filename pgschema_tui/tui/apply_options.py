"""The executor's options for an apply started from the reviewer.

Acknowledging a hazard in Review mode is the reviewer's `--allow-hazards`: the kinds of
every acknowledged step are allowed, nothing else.
"""
from __future__ import annotations

from typing import Any

from pgschema_tui.tui.session import ReviewSession


def acknowledged_kinds(session: ReviewSession) -> tuple[str, ...]:
    return tuple(sorted({h.type for i in session.acknowledged for h in session.ref(i).step.hazards}))


def options_for(session: ReviewSession, base: Any = None) -> Any:
    """`base` (the command's options, or the executor's defaults) allowing the acknowledged hazards."""
    from dataclasses import replace

    from pgschema_tui.apply import executor

    options = base if base is not None else executor.ApplyOptions()
    allowed = tuple(sorted(set(getattr(options, "allow_hazards", ()) or ()) | set(acknowledged_kinds(session))))
    try:
        return replace(options, allow_hazards=allowed)
    except (TypeError, ValueError):
        return options

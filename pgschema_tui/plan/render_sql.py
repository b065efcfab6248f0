"""The plan as SQL: every statement in order, separated by blank lines; empty when nothing to do.

Wait steps (directives) are executor instructions, not migration SQL: they are written as a
`-- pgschema-tui:wait` comment followed by their polling query, so the file still runs in psql.
"""
from __future__ import annotations

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.plan.model import Plan


def render_sql(plan: Plan) -> str:
    parts = []
    for step in plan.steps:
        if step.directive is not None:
            comment = comment_text(f"pgschema-tui:{step.directive.type} {step.directive.message}")
            parts.append(f"-- {comment}\n{step.sql}")
        else:
            parts.append(step.sql)
    return "\n\n".join(parts) + ("\n" if parts else "")

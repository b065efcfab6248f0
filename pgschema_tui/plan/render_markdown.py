"""The plan as GitHub-flavoured Markdown, for a pull-request comment (`plan --output-markdown`).

Order: the summary line, what `.pgschemaignore` left out, the hazards first (a table with the
rows and size of what each touches), then the changes grouped by object (each object's SQL in a
collapsible `<details>` block), how the steps run (transactions), and the fingerprint `apply
--plan` checks. Object names and SQL are untrusted: table cells and summaries are HTML-escaped
and SQL sits in a code fence longer than any run of backticks it contains.
"""
from __future__ import annotations

import html
import re
from collections import OrderedDict

from pgschema_tui.plan.hazards import human_bytes, human_rows
from pgschema_tui.plan.model import Plan
from pgschema_tui.plan.render_human import NO_CHANGES, _TYPE_TITLES, ignored_line, object_changes, summary_line

TITLE = "pgschema-tui plan"
_WORDS = {"+": "create", "~": "alter", "-": "drop", "-/+": "replace"}


def _text(value: str) -> str:
    """Safe inline text: escaped HTML, no table-breaking pipes or code-span backticks, one line."""
    escaped = html.escape(str(value), quote=False).replace("|", "&#124;").replace("`", "&#96;")
    return " ".join(escaped.split())


def _code(value: str) -> str:
    return f"<code>{_text(value)}</code>"


def _fence(sql: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", sql)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}sql\n{sql.rstrip()}\n{ticks}"


def render_markdown(plan: Plan) -> str:
    lines = [f"### {TITLE} for schema {_code(plan.schema or '?')}", ""]
    if plan.is_empty:
        lines.append(f"**{NO_CHANGES}**")
    else:
        lines.append(f"**{summary_line(plan)}**")
    if plan.ignored:
        lines += ["", _text(ignored_line(plan))]
    if not plan.is_empty:
        lines += _hazards(plan) + _changes(plan) + _execution(plan)
    if plan.fingerprint:
        lines += ["", f"Fingerprint of the live schema at plan time: {_code(plan.fingerprint)} "
                      f"(`apply --plan` refuses to run if the database changed since)."]
    return "\n".join(lines) + "\n"


def _hazards(plan: Plan) -> list[str]:
    rows = []
    for number, step in enumerate(plan.steps, 1):
        for hazard in step.hazards:
            rows.append(f"| {number} | {_code(step.path)} | **{_text(hazard.type)}** | "
                        f"{_code(hazard.relation) if hazard.relation else ''} | "
                        f"{human_rows(hazard.rows) if hazard.rows is not None else ''} | "
                        f"{human_bytes(hazard.bytes) if hazard.bytes is not None else ''} | {_text(hazard.message)} |")
    if not rows:
        return ["", "No hazards: no step loses data, rewrites a table or holds a long lock."]
    return ["", f"#### :warning: Hazards ({len(rows)})", "",
            "| Step | Object | Hazard | Relation | Rows | Size | What happens |",
            "| ---: | --- | --- | --- | ---: | ---: | --- |", *rows]


def _changes(plan: Plan) -> list[str]:
    sql_by_path: "OrderedDict[str, list[str]]" = OrderedDict()
    for step in plan.steps:
        if step.directive is None:
            sql_by_path.setdefault(step.path, []).append(step.sql)
    by_kind: "OrderedDict[str, list[tuple[str, str, str]]]" = OrderedDict()
    for path, (symbol, step_type) in object_changes(plan).items():
        by_kind.setdefault(step_type.split(".")[0], []).append((path, symbol, step_type))
    out = ["", "#### Changes"]
    for kind, items in by_kind.items():
        out += ["", f"**{_text(_TYPE_TITLES.get(kind, kind))}**", ""]
        for path, symbol, step_type in items:
            sub = f" ({_text(step_type.split('.', 1)[1])})" if "." in step_type else ""
            statements = sql_by_path.get(path, [])
            out += [f"<details><summary><code>{_text(symbol)}</code> {_code(path)}{sub}: {_WORDS[symbol]}, "
                    f"{len(statements)} statement{'s' if len(statements) != 1 else ''}</summary>", "",
                    _fence("\n".join(statements)), "", "</details>"]
    return out


def _execution(plan: Plan) -> list[str]:
    out = ["", "#### How it runs", ""]
    for number, group in enumerate(plan.groups, 1):
        how = "in one transaction" if group.transactional else "outside a transaction, step by step"
        waits = sum(1 for s in group.steps if s.directive is not None)
        extra = f", {waits} wait step{'s' if waits != 1 else ''}" if waits else ""
        out.append(f"- Group {number} of {len(plan.groups)}: {len(group.steps)} step"
                   f"{'s' if len(group.steps) != 1 else ''} {how}{extra}")
    return out

"""A fleet plan as one SQL document (`plan --output-sql`) or one Markdown document
(`plan --output-markdown`): a section per distinct plan, listing the targets it applies to.

SQL: a plan's statements are schema-agnostic (they run with `search_path` set to the target, as
`apply` does), so each section lists its targets in comments, then, for each target, `SET
search_path TO <target>, <the path the plan was made with>;` followed by the plan's statements:
the file runs as it is in psql (`psql -f`), every target in its own schema. Schema names are
untrusted: in a `SET` they are quoted identifiers (`U&"..."` with `\\000a` escapes when they hold
a control character, so no name spreads over two lines), in comments `comment_text` folds them.

Markdown: the summary as a table, then each distinct plan with changes once (the single-schema
Markdown body, paths without the `<schema>.` prefix, hazards as planned for the first target),
with its targets listed (the first `_MD_LISTED`, then a count). Fingerprints are per target: they
are in `--output-json`, which `apply --plan` checks.
"""
from __future__ import annotations

import dataclasses
import html

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.fleet.grouping import PlanGroup, TargetPlan, describe_plan, relative_path
from pgschema_tui.plan.model import Plan

_MD_LISTED = 100  # targets named per plan in Markdown (a pull-request comment has a size limit)


def _count(n: int, noun: str = "target") -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def sql_ident(name: str) -> str:
    """`name` as a quoted identifier (always quoted) on one line: `U&"..."` escapes control characters."""
    if all(ch >= " " and ch != "\x7f" for ch in name):
        return '"' + name.replace('"', '""') + '"'
    body = "".join(f"\\{ord(ch):04x}" if ch < " " or ch == "\x7f" else "\\\\" if ch == "\\" else
                   '""' if ch == '"' else ch for ch in name)
    return f'U&"{body}"'


def _with_database(groups: list[PlanGroup], failed: list[TargetPlan]) -> bool:
    return len({m.target.database for g in groups for m in g.members} | {f.target.database for f in failed}) > 1


def _summary_line(groups: list[PlanGroup], failed: list[TargetPlan]) -> str:
    total = sum(len(g.members) for g in groups) + len(failed)
    changed = sum(len(g.members) for g in groups if not g.is_empty)
    return (f"{_count(total)}, {_count(len(groups), 'distinct plan')}; {changed} with changes"
            + (f", {len(failed)} failed" if failed else "") + ".")


def _target_comment(member: TargetPlan, with_database: bool) -> str:
    name = sql_ident(member.target.schema)
    return comment_text(f"--   {member.target.database}: {name}" if with_database else f"--   {name}")


def render_fleet_sql(groups: list[PlanGroup], failed: list[TargetPlan]) -> str:
    from pgschema_tui.plan.render_sql import render_sql

    with_database = _with_database(groups, failed)
    out = [f"-- pgschema-tui fleet plan: {_summary_line(groups, failed)}",
           "-- Each target's statements run with search_path set to it (SET search_path below), as apply does;",
           "-- each target's fingerprint is in --output-json (apply --plan checks them before applying)."]
    if with_database:
        out.append("-- Several databases: run each target's part on its own database (named in the lists).")
    any_set = False
    for number, group in enumerate(groups, 1):
        out += ["", comment_text(f"-- Plan [{number}]: {_count(len(group.members))}: {describe_plan(group.plan)}")]
        out += [_target_comment(m, with_database) for m in group.members]
        if group.is_empty:
            continue
        for member in group.members:
            plan = member.plan
            label = member.target.label(with_database)
            out += ["", comment_text(f"-- Plan [{number}] for {label}"),
                    f"SET search_path TO {', '.join(sql_ident(n) for n in (member.target.schema, *plan.search_path))};",
                    "", render_sql(plan).rstrip("\n")]
            any_set = True
    for result in failed:
        out += ["", comment_text(f"-- Failed: {result.target.label(with_database)}: could not be planned, so this "
                                 f"file has no statements for it")]
        out += [comment_text(f"--   {line}") for line in (result.error or "unknown error").splitlines()]
    if any_set:
        out += ["", "RESET search_path;"]
    return "\n".join(out) + "\n"


def _md(value: str) -> str:
    escaped = html.escape(str(value), quote=False).replace("|", "&#124;").replace("`", "&#96;")
    return " ".join(escaped.split())


def _md_code(value: str) -> str:
    return f"<code>{_md(value)}</code>"


def _md_members(members: list[TargetPlan], with_database: bool) -> str:
    names = [_md_code(m.target.label(with_database)) for m in members[:_MD_LISTED]]
    more = len(members) - len(names)
    return ", ".join(names) + (f" and {more} more (every target is in --output-json)" if more > 0 else "")


def _display_plan(plan: Plan) -> Plan:
    """The plan as shown for a group: paths without the schema, no fingerprint (it is per target)."""
    groups = [dataclasses.replace(g, steps=tuple(dataclasses.replace(s, path=relative_path(s.path, plan.schema))
                                                 for s in g.steps)) for g in plan.groups]
    return dataclasses.replace(plan, groups=groups, fingerprint="")


def render_fleet_markdown(groups: list[PlanGroup], failed: list[TargetPlan]) -> str:
    from pgschema_tui.plan.render_markdown import render_markdown

    with_database = _with_database(groups, failed)
    total = sum(len(g.members) for g in groups) + len(failed)
    lines = [f"### pgschema-tui plan for {_count(total)}", "", f"**{_md(_summary_line(groups, failed))}**", "",
             "| plan | targets | changes | hazards |", "| --- | --- | --- | --- |"]
    for number, group in enumerate(groups, 1):
        hazards = ", ".join(f"{kind}" + ("" if n == len(group.members) else f" on {n}")
                            for kind, n in sorted(group.hazard_counts().items()))
        lines.append(f"| [{number}] | {len(group.members)} | {_md(describe_plan(group.plan))} | {_md(hazards)} |")
    if failed:
        lines.append(f"| failed | {len(failed)} | not planned | |")
    for number, group in enumerate(groups, 1):
        lines += ["", f"#### Plan [{number}]: {_count(len(group.members))}", "",
                  "Targets: " + _md_members(group.members, with_database)]
        if group.is_empty:
            lines += ["", "No changes."]
            continue
        body = render_markdown(_display_plan(group.plan)).splitlines()[2:]  # without its own heading
        lines += ["", f"Shown as planned for {_md_code(group.members[0].target.label(with_database))} (hazards' "
                      f"row counts and sizes are that target's).", "", *body]
    if failed:
        lines += ["", f"#### Failed: {_count(len(failed))}", ""]
        lines += [f"- {_md_code(r.target.label(with_database))}: {_md((r.error or 'unknown error').splitlines()[0])}"
                  for r in failed]
    return "\n".join(lines).rstrip("\n") + "\n"

"""Targets grouped by identical plan, and the summary printed before the details.

Two targets share a group when their plans run the same statements in the same transaction
groups on the same objects: plans are schema-agnostic SQL, and step paths lose their
`<schema>.` prefix for the comparison. Hazards are not part of the key (their row counts and
sizes differ from tenant to tenant); each group lists the hazard kinds its targets have, with
how many targets have each.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.plan.model import Plan
from pgschema_tui.plan.render_human import object_changes


@dataclass(frozen=True)
class TargetId:
    """One target: a schema in a database (`database` is a label, never a password)."""

    database: str
    schema: str

    def label(self, with_database: bool) -> str:
        return f"{self.database}/{self.schema}" if with_database else self.schema


@dataclass
class TargetPlan:
    target: TargetId
    plan: Plan | None = None
    error: str | None = None  # planning failed for this target: the message
    notes: list[str] = field(default_factory=list)  # column-order notes (`plan/column_order.py`), unprefixed


@dataclass
class PlanGroup:
    """Targets whose plans are the same; `plan` is the first one's (the one shown)."""

    key: tuple
    plan: Plan
    members: list[TargetPlan] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.plan.is_empty

    def hazard_counts(self) -> Counter:
        """hazard type -> number of member targets whose plan has it."""
        counts: Counter = Counter()
        for member in self.members:
            counts.update({h.type for s in member.plan.steps for h in s.hazards})
        return counts


def relative_path(path: str, schema: str) -> str:
    prefix = f"{schema}."
    return path[len(prefix):] if path.startswith(prefix) else path


def plan_key(plan: Plan) -> tuple:
    """What makes two targets' plans the same plan."""
    return tuple(
        tuple((s.sql, s.type, s.operation, relative_path(s.path, plan.schema), s.can_run_in_transaction,
               (s.directive.type, s.directive.message) if s.directive else None) for s in g.steps)
        for g in plan.groups if g.steps)


def group_plans(results: list[TargetPlan]) -> tuple[list[PlanGroup], list[TargetPlan]]:
    """(groups of identical plans, empty plan first, then by size; targets that failed)."""
    groups: dict[tuple, PlanGroup] = {}
    failed: list[TargetPlan] = []
    for result in results:
        if result.plan is None:
            failed.append(result)
            continue
        key = plan_key(result.plan)
        group = groups.get(key)
        if group is None:
            group = groups[key] = PlanGroup(key, result.plan)
        group.members.append(result)
    ordered = sorted(groups.values(), key=lambda g: (not g.is_empty, -len(g.members)))
    return ordered, failed


def describe_plan(plan: Plan, limit: int = 4) -> str:
    """`+ users.created_at, ~ orders` (paths without the schema), or `no changes`."""
    if plan.is_empty:
        return "no changes"
    items = [f"{symbol} {relative_path(path, plan.schema)}" for path, (symbol, _t) in object_changes(plan).items()]
    shown = ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")
    return comment_text(shown)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def member_list(members: list[TargetPlan], with_database: bool, limit: int = 10) -> str:
    names = [comment_text(m.target.label(with_database)) for m in members]
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def render_notes(results: list[TargetPlan], noun: str = "target") -> list[str]:
    """Each distinct note once, naming the targets it applies to (first 10, then a count):
    `Note (3 targets: a, b, c): table users: ...`."""
    with_database = len({r.target.database for r in results}) > 1
    by_note: dict[str, list[TargetPlan]] = {}
    for result in results:
        for note in result.notes:
            by_note.setdefault(note, []).append(result)
    out = []
    for note, members in by_note.items():
        head = note[len("Note: "):] if note.startswith("Note: ") else note
        out.append(comment_text(f"Note ({_count(len(members), noun)}: {member_list(members, with_database)}): {head}"))
    return out


def render_summary(groups: list[PlanGroup], failed: list[TargetPlan], noun: str = "target") -> str:
    """The lines printed first: how many targets, then one line per distinct plan with its hazards."""
    databases = {m.target.database for g in groups for m in g.members} | {f.target.database for f in failed}
    with_database = len(databases) > 1
    total = sum(len(g.members) for g in groups) + len(failed)
    changed = sum(len(g.members) for g in groups if not g.is_empty)
    lines = [f"Fleet: {_count(total, noun)}" + (f" in {len(databases)} databases" if with_database else "")
             + f", {_count(len(groups), 'distinct plan')}; {changed} with changes"
             + (f", {len(failed)} failed" if failed else "") + "."]
    for number, group in enumerate(groups, 1):
        line = f"  [{number}] {_count(len(group.members), noun)}: {describe_plan(group.plan)}"
        hazards = group.hazard_counts()
        if hazards:
            line += "  (hazards: " + ", ".join(
                f"{kind}" + ("" if n == len(group.members) else f" on {n}") for kind, n in sorted(hazards.items())) + ")"
        lines.append(line)
        if len(groups) > 1 or not group.is_empty:
            lines.append(f"      {member_list(group.members, with_database)}")
    for result in failed:
        lines.append(f"  failed: {comment_text(result.target.label(with_database))}: "
                     f"{comment_text((result.error or '').splitlines()[0] if result.error else 'unknown error')}")
    return "\n".join(lines) + "\n"


def render_fleet_human(groups: list[PlanGroup], failed: list[TargetPlan], render_plan) -> str:
    """The summary, then each distinct plan with changes once, as `render_plan(plan)` renders it."""
    out = [render_summary(groups, failed).rstrip("\n")]
    databases = {m.target.database for g in groups for m in g.members}
    for number, group in enumerate(groups, 1):
        if group.is_empty:
            continue
        out.append("")
        out.append(f"=== Plan [{number}] for {_count(len(group.members), 'target')} "
                   f"(shown for {comment_text(group.members[0].target.label(len(databases) > 1))}) ===")
        out.append(render_plan(group.plan).rstrip("\n"))
    for result in failed:
        out.append("")
        out.append(f"=== Failed: {comment_text(result.target.label(len(databases) > 1))} ===")
        out.extend(comment_text(line) for line in (result.error or "unknown error").splitlines())
    return "\n".join(out).rstrip("\n") + "\n"

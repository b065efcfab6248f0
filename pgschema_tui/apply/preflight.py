"""Checks before anything runs: is the database still what the plan was made for, and are
its hazards accepted. Pure functions over the plan and the live fingerprint.
"""
from __future__ import annotations

from dataclasses import dataclass

from pgschema_tui.apply.live_inspection import LiveInspection  # noqa: F401 - where callers look for it
from pgschema_tui.plan.model import Hazard, Plan

# refused unless listed in --allow-hazards; data_check: rows that make a step fail, counted at apply time
BLOCKING_HAZARDS = frozenset({"data_loss", "data_check"})


@dataclass(frozen=True)
class LiveFingerprint:
    """The live schema's hash and per-object hashes (path -> hash)."""

    hash: str
    objects: dict[str, str]


def as_live_fingerprint(value) -> LiveFingerprint:
    """Accept what `plan.fingerprint.fingerprint` returns: an object with hash/objects, a pair, or a hash."""
    if isinstance(value, LiveFingerprint):
        return value
    if isinstance(value, str):
        return LiveFingerprint(value, {})
    if isinstance(value, tuple) and len(value) == 2:
        return LiveFingerprint(str(value[0]), dict(value[1] or {}))
    if isinstance(value, dict):
        return LiveFingerprint(str(value.get("hash", "")), dict(value.get("objects") or {}))
    return LiveFingerprint(str(getattr(value, "hash")), dict(getattr(value, "objects", None) or {}))


def changed_objects(plan: Plan, live: LiveFingerprint) -> list[str]:
    """Objects that differ between plan time and now: `path (added|dropped|changed)`, sorted.

    Empty when the hashes match. When they differ but neither side has per-object hashes,
    a single line says so.
    """
    if not plan.fingerprint or plan.fingerprint == live.hash:
        return []
    then, now = plan.object_fingerprints, live.objects
    changes = []
    for path in sorted(set(then) | set(now)):
        if path not in then:
            changes.append(f"{path} (added)")
        elif path not in now:
            changes.append(f"{path} (dropped)")
        elif then[path] != now[path]:
            changes.append(f"{path} (changed)")
    return changes or ["(the schema as a whole: the plan carries no per-object fingerprints)"]


def parse_allowed(text: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (text or "").split(",") if part.strip())


def recompute_hazards(plan: Plan, live, sizes) -> Plan:
    """The plan with hazards recomputed from its SQL against the live schema (what the file says
    is not trusted): the planner's analysis, plus data_loss for what only the SQL classifier
    sees (statements plans never contain, DELETE/UPDATE, type changes not known to be lossless,
    relations outside the schema)."""
    from dataclasses import replace

    from pgschema_tui.plan.hazards import annotate

    flat = annotate(plan.steps, live, sizes)
    return plan.with_steps(replace(step, hazards=step.hazards + tuple(_sql_only_hazards(step, live)))
                           for step in flat)


def _sql_only_hazards(step, live) -> list[Hazard]:
    from pgschema_tui.plan.sql_hazards import DELETE, TYPE_CHANGE, UNKNOWN, UPDATE, classify, lossless_type_change

    schema = live.name
    flagged = {h.relation for h in step.hazards if h.type == "data_loss"}
    out = []
    for risk in classify(step.sql):
        if risk.kind == UNKNOWN:
            out.append(Hazard("data_loss", f"{risk.statement}: pgschema-tui cannot tell which rows it touches"))
            continue
        if not risk.names:
            continue  # DROP TYPE ... CASCADE: the executor checks the columns it would take
        if len(risk.names) == 2 and risk.names[0] != schema:
            out.append(Hazard("data_loss", f"{risk.statement}: touches a relation outside schema {schema}"))
            continue
        qualified = f"{schema}.{risk.names[-1]}"
        if qualified in flagged or risk.names[-1] not in live.tables:
            continue  # flagged already, or created by the plan (empty)
        if risk.kind in (DELETE, UPDATE):
            out.append(Hazard("data_loss", f"{risk.statement}: changes or removes rows of {qualified}", qualified))
        elif risk.kind == TYPE_CHANGE:
            column = live.tables[risk.names[-1]].column(risk.column)
            if column is not None and (risk.using or not lossless_type_change(column.type, risk.new_type)):
                out.append(Hazard("data_loss", f"changes {risk.column} of {qualified} from {column.type} to "
                                               f"{risk.new_type}: values may change or be lost", qualified))
    return out


def row_problems(conn, plan: Plan) -> dict[str, str | None]:
    """For each relation named by a data_loss hazard: None when it holds no row right now, else
    why it cannot be taken as empty (rows, row-level security, unreadable). The executor checks
    again after locking; this only refuses early, before the prompt."""
    from pgschema_tui.apply.guard import HOLDS_ROWS, exists, row_problem
    from pgschema_tui.ddl.quote import ident

    names = {h.relation for s in plan.steps for h in s.hazards if h.type == "data_loss" and h.relation}
    out: dict[str, str | None] = {}
    for name in sorted(names):
        schema, _, rel = name.partition(".")
        relation = f"{ident(schema)}.{ident(rel)}"
        if not exists(conn, relation):
            out[name] = None
            continue
        problem = row_problem(conn, relation)
        out[name] = "it holds rows" if problem == HOLDS_ROWS else problem
    return out


def refused_hazards(plan: Plan, allowed: frozenset[str],
                    problems: dict[str, str | None] | None = None) -> list[tuple[int, str, Hazard]]:
    """(step index, step path, hazard) for every blocking hazard not in `allowed`; why each
    blocks is `problems[hazard.relation]` (rows, row-level security...).

    A data_loss hazard on a relation that `problems` says holds no row (None) is not
    blocking: there is no data to lose. One without a relation always blocks.
    """
    problems = problems or {}
    out = []
    for index, step in enumerate(plan.steps):
        for hazard in step.hazards:
            if hazard.type not in BLOCKING_HAZARDS or hazard.type in allowed:
                continue
            if hazard.type == "data_loss" and hazard.relation and problems.get(hazard.relation, "?") is None:
                continue
            out.append((index, step.path, hazard))
    return out

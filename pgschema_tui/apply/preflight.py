"""Checks before anything runs: is the database still what the plan was made for, and are
its hazards accepted. Pure functions over the plan and the live fingerprint.
"""
from __future__ import annotations

from dataclasses import dataclass

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


def refused_hazards(plan: Plan, allowed: frozenset[str],
                    empty_relations: frozenset[str] = frozenset()) -> list[tuple[int, str, Hazard]]:
    """(step index, step path, hazard) for every blocking hazard not in `allowed`.

    A data_loss hazard on a relation in `empty_relations` (checked on the live database just
    before applying) is not blocking: there is no data to lose.
    """
    out = []
    for index, step in enumerate(plan.steps):
        for hazard in step.hazards:
            if hazard.type not in BLOCKING_HAZARDS or hazard.type in allowed:
                continue
            if hazard.type == "data_loss" and hazard.relation in empty_relations:
                continue
            out.append((index, step.path, hazard))
    return out


def empty_relations(conn, plan: Plan) -> frozenset[str]:
    """Relations named by data_loss hazards that hold no row right now (one cheap probe each)."""
    from psycopg import sql

    names = {h.relation for s in plan.steps for h in s.hazards if h.type == "data_loss" and h.relation}
    empty = set()
    for name in sorted(names):
        schema, _, rel = name.partition(".")
        try:
            with conn.transaction():
                row = conn.execute(sql.SQL("SELECT NOT EXISTS (SELECT FROM {}.{})").format(
                    sql.Identifier(schema), sql.Identifier(rel))).fetchone()
        except Exception:  # unreadable or gone: keep the hazard blocking
            continue
        if row and row[0]:
            empty.add(name)
    return frozenset(empty)

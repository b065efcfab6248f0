"""The fleet plan file (`plan --output-json` with several targets): one document, one plan each.

    {"fleet_version": "1", "tool": "pgschema-tui", "tool_version": ..., "created_at": ...,
     "targets": [{"database": "app", "schema": "tenant_1", "fingerprint": "...", "plan": {...}}],
     "fleet_digest": "..."}

Each target's `plan` is the single-schema plan format, digest included (`Plan.from_json` checks
it), and `fleet_digest` is a SHA-256 of the rest of the document, so a target added, removed or
moved from one plan to another after `plan` wrote the file is refused. `apply --plan` checks every
target's fingerprint against its live schema before applying it.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from pgschema_tui.fleet.grouping import TargetId
from pgschema_tui.plan.model import TOOL_NAME, Plan, PlanFormatError

FLEET_FORMAT_VERSION = "1"


def is_fleet_document(data: Any) -> bool:
    return isinstance(data, dict) and "targets" in data and "fleet_version" in data


def fleet_digest(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k not in ("fleet_digest", "created_at")}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_json(targets: list[tuple[TargetId, Plan]], tool_version: str, created_at: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "fleet_version": FLEET_FORMAT_VERSION, "tool": TOOL_NAME, "tool_version": tool_version,
        "created_at": created_at,
        "targets": [{"database": t.database, "schema": t.schema, "fingerprint": plan.fingerprint,
                     "plan": plan.to_json()} for t, plan in targets],
    }
    out["fleet_digest"] = fleet_digest(out)
    return out


def from_json(data: Any) -> list[tuple[TargetId, Plan]]:
    """(target, plan) of each entry; PlanFormatError naming the first problem."""
    if not is_fleet_document(data):
        raise PlanFormatError("not a fleet plan (no fleet_version and targets)")
    if data.get("tool") != TOOL_NAME:
        raise PlanFormatError(f"tool: expected {TOOL_NAME!r}")
    if data.get("fleet_version") != FLEET_FORMAT_VERSION:
        raise PlanFormatError(f"fleet_version: {data.get('fleet_version')!r} is not supported (this pgschema-tui "
                              f"reads {FLEET_FORMAT_VERSION}): plan again")
    unknown = sorted(set(data) - {"fleet_version", "tool", "tool_version", "created_at", "targets", "fleet_digest"})
    if unknown:
        raise PlanFormatError(f"unknown field {unknown[0]!r}")
    if not isinstance(data.get("fleet_digest"), str):
        raise PlanFormatError("fleet_digest: missing")
    try:
        expected = fleet_digest(data)
    except ValueError as exc:
        raise PlanFormatError(str(exc)) from None
    if data["fleet_digest"] != expected:
        raise PlanFormatError("fleet_digest: does not match the document's content: the file was edited after "
                              "`plan` wrote it (or damaged); plan again rather than editing a plan")
    entries = data.get("targets")
    if not isinstance(entries, list) or not entries:
        raise PlanFormatError("targets: expected a non-empty list")
    out: list[tuple[TargetId, Plan]] = []
    seen: set[TargetId] = set()
    for i, entry in enumerate(entries):
        where = f"targets[{i}]"
        if not isinstance(entry, dict):
            raise PlanFormatError(f"{where}: expected an object")
        for key in ("database", "schema", "fingerprint"):
            if not isinstance(entry.get(key), str) or (key != "fingerprint" and not entry[key]):
                raise PlanFormatError(f"{where}.{key}: expected a non-empty string")
        try:
            plan = Plan.from_json(entry.get("plan"))
        except PlanFormatError as exc:
            raise PlanFormatError(f"{where}.plan: {exc}") from None
        target = TargetId(entry["database"], entry["schema"])
        if plan.schema != target.schema:
            raise PlanFormatError(f"{where}: the plan is for schema {plan.schema!r}, the entry for {target.schema!r}")
        if plan.fingerprint != entry["fingerprint"] or not plan.fingerprint:
            raise PlanFormatError(f"{where}.fingerprint: does not match its plan's source fingerprint")
        if target in seen:
            raise PlanFormatError(f"{where}: {target.database}/{target.schema} is listed twice")
        seen.add(target)
        out.append((target, plan))
    return out

"""`build_plan`: diff, order, apply the online rewrites, group into transactions, add hazards.

Grouping: consecutive steps that can run in a transaction share one group (one transaction);
a step that cannot (CREATE INDEX CONCURRENTLY, an enum label used later) gets its own group,
and so does every group an online rewrite asks for.
"""
from __future__ import annotations

import importlib
import re
from datetime import datetime, timezone

from pgschema_tui import __version__
from pgschema_tui.diff import diff_schemas
from pgschema_tui.ir.model import Schema
from pgschema_tui.plan.fingerprint import fingerprint
from pgschema_tui.plan.model import Group, Plan, Step
from pgschema_tui.plan.ordering import Unit, order_changes

_ADD_VALUE = re.compile(r"^\s*ALTER\s+TYPE\s+.+\s+ADD\s+VALUE\s+('(?:[^']|'')*')", re.IGNORECASE | re.DOTALL)


def _optional(module: str, name: str):
    """A function another part of the planner provides, or None while it does not exist yet."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def build_plan(live: Schema, desired: Schema, *, online: bool = True, sizes=None,
               server_version: int | None = None) -> Plan:
    """The plan that turns the live schema into the desired one (on a server of `server_version`,
    server_version_num, when known: see `DiffContext.server_version`)."""
    changes = diff_schemas(live, desired, server_version=server_version)
    online_steps = _optional("pgschema_tui.plan.online", "online_steps") if online else None
    rewrites: dict[int, list[list[Step]]] = {}
    if online_steps is not None:
        for i, change in enumerate(changes):
            groups = online_steps(change, live, desired)
            if groups:
                rewrites[i] = groups
    # an online index rebuild drops the old index itself, concurrently
    skip_drop = frozenset(i for i, c in enumerate(changes)
                          if i in rewrites and c.object_type == "table.index" and c.operation == "replace")
    units = _enum_labels_first(order_changes(changes, live, desired, skip_drop_half=skip_drop))
    index_of = {id(c): i for i, c in enumerate(changes)}
    groups = _group(units, rewrites, index_of)
    annotate = _optional("pgschema_tui.plan.hazards", "annotate")
    if annotate is not None:
        groups = _annotated(groups, annotate, live, {} if sizes is None else sizes)
    digest, per_object = fingerprint(live)
    return Plan(schema=desired.name, groups=groups, fingerprint=digest, object_fingerprints=per_object,
                created_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), tool_version=__version__)


def _enum_labels_first(units: list[Unit]) -> list[Unit]:
    """New labels of existing enums go before everything else.

    A label the plan uses must be committed before that use, so it gets a group of its own;
    in the middle of the plan that split the drops before it from the creates after it into
    separate transactions, and a failure after it left views and constraints dropped. Adding
    a label depends on nothing but the type, which exists already, so it can always go first.
    """
    first = [u for u in units if u.phase == "create" and u.change.operation == "alter" and u.statements
             and all(_ADD_VALUE.match(sql) for sql in u.statements)]
    if not first:
        return units
    hoisted = {id(u) for u in first}
    return first + [u for u in units if id(u) not in hoisted]


def _step(unit: Unit, sql: str, *, in_transaction: bool = True) -> Step:
    change = unit.change
    operation = "drop" if unit.phase == "drop" and change.operation == "replace" else change.operation
    return Step(sql=sql, type=change.object_type, operation=operation, path=change.path,
                can_run_in_transaction=in_transaction)


def _group(units: list[Unit], rewrites: dict[int, list[list[Step]]], index_of: dict[int, int]) -> list[Group]:
    groups: list[Group] = []
    current: list[Step] = []

    def close():
        nonlocal current
        if current:
            groups.append(Group(tuple(current)))
            current = []

    later_sql = [s for u in units for s in u.statements]
    seen = 0
    for unit in units:
        i = index_of[id(unit.change)]
        if unit.phase == "create" and i in rewrites:
            close()
            groups.extend(Group(tuple(g)) for g in rewrites[i] if g)
            seen += len(unit.statements)
            continue
        for sql in unit.statements:
            seen += 1
            if not _runs_in_transaction(sql, later_sql[seen:]):
                close()
                groups.append(Group((_step(unit, sql, in_transaction=False),)))
            else:
                current.append(_step(unit, sql))
    close()
    return groups


def _runs_in_transaction(sql: str, later: list[str]) -> bool:
    """False for an enum label added and used later in the plan: it must be committed first."""
    match = _ADD_VALUE.match(sql)
    return not (match and any(match.group(1) in s for s in later))


def _annotated(groups: list[Group], annotate, live, sizes) -> list[Group]:
    flat = [s for g in groups for s in g.steps]
    annotated = iter(annotate(flat, live, sizes))
    return [Group(tuple(next(annotated) for _ in g.steps)) for g in groups]

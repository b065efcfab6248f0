"""`build_plan`: diff, order, apply the online rewrites, group into transactions, add hazards.

Grouping: consecutive steps that can run in a transaction share one group (one transaction);
a step that cannot (CREATE INDEX CONCURRENTLY, an enum label used later) gets its own group,
and so does every group an online rewrite asks for.

No window without replaced objects: from the first drop of an object the plan creates again
(a view on a column that changes type, the views on that view...) to its last re-creation,
every step stays in one transaction. An online rewrite in that stretch keeps its transactional
head there (`ADD ... NOT VALID`) and runs the rest (CREATE INDEX CONCURRENTLY, VALIDATE, wait
steps) after it; when something in the stretch needs the rewritten object, the rewrite gives
way to the plain statements. A failure anywhere then leaves the old or the new objects, never
none. Indexes dropped online (`DROP INDEX CONCURRENTLY`) go first, before that stretch.
"""
from __future__ import annotations

import importlib
import re
from datetime import datetime, timezone

from pgschema_tui import __version__
from pgschema_tui.ddl.search_path import rendering_for
from pgschema_tui.diff import diff_schemas
from pgschema_tui.graph import node_id
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
    server_version_num, when known: see `DiffContext.server_version`). The DDL names the
    schema's own routines and types that pg_catalog's would hide qualified (`ddl/search_path.py`)."""
    with rendering_for(desired.name or live.name):
        return _build_plan(live, desired, online=online, sizes=sizes, server_version=server_version)


def _build_plan(live: Schema, desired: Schema, *, online: bool, sizes, server_version: int | None) -> Plan:
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
    concurrent_drops = _concurrent_drops(changes, live) if online_steps is not None else {}
    units = _enum_labels_first(order_changes(changes, live, desired, skip_drop_half=skip_drop))
    index_of = {id(c): i for i, c in enumerate(changes)}
    entries = _arranged(units, rewrites, index_of, concurrent_drops, skip_drop, desired)
    groups = _group(entries)
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


def _concurrent_drops(changes, live) -> dict[int, Step]:
    """change index -> its `DROP INDEX CONCURRENTLY` step, for the standalone indexes dropped."""
    concurrent_index_drop = _optional("pgschema_tui.plan.online", "concurrent_index_drop")
    candidates = [i for i, c in enumerate(changes) if c.object_type == "table.index" and c.operation == "drop"]
    if concurrent_index_drop is None or not candidates:
        return {}
    from pgschema_tui.graph import dependency_map

    _nodes, needs = dependency_map(live)
    needed = {dep for deps in needs.values() for dep in deps}
    out = {}
    for i in candidates:
        step = concurrent_index_drop(changes[i], live, lambda index: f"indexes:{index.key}" in needed)
        if step is not None:
            out[i] = step
    return out


# An entry of the arranged plan: ("unit", Unit) runs a unit's statements, ("inline", [Step])
# joins the current transaction, ("groups", [[Step]]) are groups of their own.
Entry = tuple[str, object]


def _arranged(units: list[Unit], rewrites: dict[int, list[list[Step]]], index_of: dict[int, int],
              concurrent_drops: dict[int, Step], skip_drop: frozenset[int], desired) -> list[Entry]:
    """The units as entries, with concurrent index drops first and no non-transactional step
    between the drop and the re-creation of any object (see the module docstring)."""
    front: list[Entry] = []
    rest: list[Unit] = []
    for unit in units:
        i = index_of[id(unit.change)]
        if unit.phase == "drop" and i in concurrent_drops:
            front.append(("groups", [[concurrent_drops[i]]]))
        else:
            rest.append(unit)
    start, end = _replace_window(rest)
    needs = None
    entries: list[Entry] = []
    deferred: list[list[Step]] = []
    for pos, unit in enumerate(rest):
        i = index_of[id(unit.change)]
        groups = rewrites.get(i) if unit.phase == "create" else None
        if groups is None:
            entries.append(("unit", unit))
        elif not start <= pos <= end:
            entries.append(("groups", groups))
        else:
            # the first group joins the stretch when it can (ADD ... NOT VALID); the rest (a
            # VALIDATE in its own transaction, a concurrent build and its wait) comes after it
            k = 1 if all(s.can_run_in_transaction and s.directive is None for s in groups[0]) else 0
            head, tail = groups[:k], groups[k:]
            if tail and _needed_later(unit, rest[pos + 1:end + 1], needs := needs or _needs(desired)):
                statements = (unit.change.drop_statements if i in skip_drop else ()) + unit.statements
                entries.append(("unit", Unit(unit.change, tuple(statements), unit.phase)))
            else:
                if head:
                    entries.append(("inline", [s for g in head for s in g]))
                deferred.extend(tail)
        if pos == end and deferred:
            entries.append(("groups", deferred))
    return front + entries


def _replace_window(units: list[Unit]) -> tuple[int, int]:
    """(first, last) position of the stretch from the first drop of an object the plan creates
    again to its last re-creation; (0, -1) when nothing is dropped and created again."""
    dropped = {u.change.path for u in units if u.phase == "drop"}
    created = {u.change.path for u in units if u.phase == "create"}
    again = dropped & created
    if not again:
        return 0, -1
    positions = [pos for pos, u in enumerate(units) if u.change.path in again]
    first = next(pos for pos in positions if units[pos].phase == "drop")
    last = max(pos for pos in positions if units[pos].phase == "create")
    return first, last


def _needs(desired) -> dict[str, set[str]]:
    from pgschema_tui.graph import dependency_map

    return dependency_map(desired)[1]


def _needed_later(unit: Unit, later: list[Unit], needs: dict[str, set[str]]) -> bool:
    """True when a unit of `later` stands (transitively, in the desired graph) on `unit`'s own
    object. Column and constraint rewrites are never needed: what follows them in the stretch
    cannot need a validation or a NOT NULL, and their node is their table's."""
    change = unit.change
    if change.object_type in ("table.column", "table.constraint") or change.placed_by is None:
        return False
    try:
        target = node_id(change.placed_by)
    except KeyError:
        return False
    for other in later:
        if other.change.placed_by is None:
            continue
        try:
            start = node_id(other.change.placed_by)
        except KeyError:
            continue
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == target:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(needs.get(node, ()))
    return False


def _group(entries: list[Entry]) -> list[Group]:
    groups: list[Group] = []
    current: list[Step] = []

    def close():
        nonlocal current
        if current:
            groups.append(Group(tuple(current)))
            current = []

    def sqls(entry: Entry) -> list[str]:
        kind, payload = entry
        if kind == "unit":
            return list(payload.statements)
        if kind == "inline":
            return [s.sql for s in payload]
        return [s.sql for g in payload for s in g]

    later_sql = [sql for entry in entries for sql in sqls(entry)]
    seen = 0
    for kind, payload in entries:
        if kind == "groups":
            close()
            groups.extend(Group(tuple(g)) for g in payload if g)
            seen += sum(len(g) for g in payload)
            continue
        if kind == "inline":
            current.extend(payload)
            seen += len(payload)
            continue
        unit = payload
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

"""Online rewrites: the same change, carried out without a long ACCESS EXCLUSIVE lock.

`online_steps(change, live, desired)` returns the change as groups of steps (each group one
transaction, or autocommit when a step cannot run in one), or None when the plain
statements are fine (objects created by the same plan, partitioned parents, nothing to
gain). What each rewrite does:

- new index on an existing table or materialized view: `CREATE INDEX CONCURRENTLY IF NOT
  EXISTS` alone in a non-transactional group, then a `wait` step polling until it is valid;
- replaced index: build the new definition concurrently under a temporary name, wait,
  `DROP INDEX CONCURRENTLY` the old one, rename the new one. The returned groups include
  that drop, so the planner must not also run the change's `drop_statements`;
- new (or replaced) CHECK / FOREIGN KEY on an existing table: `ADD ... NOT VALID`, then
  `VALIDATE CONSTRAINT` in a later transaction (validation does not block writes);
- SET NOT NULL on an existing column: a `CHECK (col IS NOT NULL) NOT VALID`, validate it,
  SET NOT NULL (which then skips its scan), drop the check;
- `ALTER TYPE ... ADD VALUE`: each in its own autocommit step, committed before anything
  that may use the new label;
- dropped index (`concurrent_index_drop`): `DROP INDEX CONCURRENTLY`, alone and outside a
  transaction, when the index stands alone (no constraint or key needs it) on a plain table.

Except for the index replace, the groups stand for the change's `statements` only.
"""
from __future__ import annotations

import re

from pgschema_tui.ddl.quote import ident, literal
from pgschema_tui.plan.model import Directive, Step

TEMP_INDEX_SUFFIX = "_pgschema_tui_new"
_MAX_NAME = 63  # NAMEDATALEN - 1, in bytes

_CREATE_INDEX = re.compile(
    r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?", re.IGNORECASE)
_ADD_CONSTRAINT = re.compile(r"^\s*ALTER\s+TABLE\s+.*\bADD\s+CONSTRAINT\b", re.IGNORECASE | re.DOTALL)
_SET_NOT_NULL = re.compile(r"\bALTER\s+COLUMN\s+.+\s+SET\s+NOT\s+NULL\s*;?\s*$", re.IGNORECASE | re.DOTALL)
_ADD_VALUE = re.compile(r"^\s*ALTER\s+TYPE\s+.+\s+ADD\s+VALUE\b", re.IGNORECASE | re.DOTALL)

# Done when the index is valid; progress from the build's block counter (current_schema()
# is the target schema: apply sets search_path to it).
_WAIT_SQL = """SELECT COALESCE(i.indisvalid, false) AS done,
       COALESCE(p.blocks_done * 100 / NULLIF(p.blocks_total, 0), 0) AS progress
FROM pg_class c
LEFT JOIN pg_index i ON i.indexrelid = c.oid
LEFT JOIN pg_stat_progress_create_index p ON p.index_relid = c.oid
WHERE c.relname = {name}
  AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema());"""


def wait_for_index_sql(name: str) -> str:
    """SQL returning (done, progress percent) for the build of index `name`."""
    return _WAIT_SQL.format(name=literal(name))


def online_steps(change, live, desired) -> list[list[Step]] | None:
    """The change as online groups of steps, or None to keep its plain statements."""
    kind = change.object_type
    if kind == "table.index":
        return _index(change, live, desired)
    if kind == "table.constraint":
        return _constraint(change, live)
    if kind == "table.column":
        return _not_null(change, live)
    if any(_ADD_VALUE.match(s) for s in change.statements):
        return _enum_values(change)
    return None


def _step(change, sql: str, *, in_transaction: bool = True, directive: Directive | None = None) -> Step:
    return Step(sql=_terminated(sql), type=change.object_type, operation=change.operation, path=change.path,
                can_run_in_transaction=in_transaction, directive=directive)


def _terminated(sql: str) -> str:
    text = sql.strip()
    return text if text.endswith(";") else text + ";"


def _bare(sql: str) -> str:
    return sql.strip().rstrip(";").rstrip()


def _rewritable_table(live, name: str) -> bool:
    """An existing relation that may take CONCURRENTLY / NOT VALID (not a partitioned parent)."""
    table = live.tables.get(name)
    if table is not None:
        return table.partition_by is None
    return name in live.materialized_views


# --------------------------------------------------------------- indexes ---


def concurrent_index_drop(change, live, has_dependents) -> Step | None:
    """`DROP INDEX CONCURRENTLY` for an index the plan drops, or None to keep the plain drop.

    Only a standalone index qualifies: on a table that is neither partitioned nor a partition
    (CONCURRENTLY cannot drop those), and that nothing else needs (`has_dependents(index)`:
    a foreign key on its unique key would have to go first, in a transaction). The step takes
    no ACCESS EXCLUSIVE lock, so reads and writes go on while it waits for them.
    """
    index = change.old
    if change.object_type != "table.index" or change.operation != "drop" or index is None:
        return None
    table = live.tables.get(index.table)
    plain_table = table is not None and table.partition_by is None and table.partition_of is None
    if (not (plain_table or index.table in live.materialized_views)
            or index.name not in live.indexes or has_dependents(index)):
        return None
    return Step(sql=f"DROP INDEX CONCURRENTLY IF EXISTS {ident(index.name)};", type=change.object_type,
                operation="drop", path=change.path, can_run_in_transaction=False)


def _index(change, live, desired) -> list[list[Step]] | None:
    new = change.new
    if new is None or not _rewritable_table(live, new.table):
        return None
    create_at = next((i for i, s in enumerate(change.statements) if _CREATE_INDEX.match(s)), None)
    if create_at is None:
        return None
    create_sql = change.statements[create_at]
    rest = [s for i, s in enumerate(change.statements) if i != create_at]
    if change.operation == "create":
        groups = _build_concurrently(change, create_sql, new.name)
    elif change.operation == "replace" and change.old is not None and "rebuilt" not in change.reason:
        temp = _temp_index_name(new.name, live, desired)
        renamed = _with_index_name(create_sql, new.name, temp)
        if renamed is None:
            return None
        groups = _build_concurrently(change, renamed, temp)
        groups.append([_step(change, f"DROP INDEX CONCURRENTLY IF EXISTS {ident(change.old.name)}",
                             in_transaction=False)])
        groups.append([_step(change, f"ALTER INDEX {ident(temp)} RENAME TO {ident(new.name)}")])
    else:
        return None
    if rest:  # COMMENT ON INDEX and the like, once the index exists under its own name
        groups.append([_step(change, s) for s in rest])
    return groups


def _build_concurrently(change, create_sql: str, name: str) -> list[list[Step]]:
    concurrent = _CREATE_INDEX.sub(
        lambda m: f"CREATE {'UNIQUE ' if m.group(1) else ''}INDEX CONCURRENTLY IF NOT EXISTS ", create_sql, count=1)
    wait = Directive(type="wait", message=f"Creating index {name}")
    return [[_step(change, concurrent, in_transaction=False)],
            [_step(change, wait_for_index_sql(name), directive=wait)]]


def _temp_index_name(name: str, live, desired) -> str:
    """`<name>_pgschema_tui_new`, shortened to fit 63 bytes and unused in both schemas."""
    taken = set(live.indexes) | set(desired.indexes) | set(live.tables) | set(desired.tables)
    taken |= {c.name for c in live.constraints.values()} | {c.name for c in desired.constraints.values()}
    for attempt in range(100):
        suffix = TEMP_INDEX_SUFFIX + (str(attempt) if attempt else "")
        head = name.encode()[: _MAX_NAME - len(suffix.encode())].decode(errors="ignore")
        candidate = head + suffix
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free temporary name for index {name}")


def _with_index_name(create_sql: str, old_name: str, new_name: str) -> str | None:
    """The CREATE INDEX statement building `new_name` instead of `old_name`."""
    match = _CREATE_INDEX.match(create_sql)
    rest = create_sql[match.end():]
    quoted = ident(old_name)
    if rest.startswith(quoted):
        return create_sql[: match.end()] + ident(new_name) + rest[len(quoted):]
    import pglast  # an unusual spelling of the name: go through the parse tree
    from pglast.stream import RawStream

    try:
        stmt = pglast.parse_sql(create_sql)[0].stmt
    except Exception:
        return None
    stmt.idxname = new_name
    return RawStream()(stmt)


# ----------------------------------------------------------- constraints ---


def _constraint(change, live) -> list[list[Step]] | None:
    new = change.new
    if (new is None or change.operation not in ("create", "replace") or new.not_valid
            or new.type not in ("CHECK", "FOREIGN KEY") or new.table not in live.tables
            or not _rewritable_table(live, new.table)):
        return None
    add_at = next((i for i, s in enumerate(change.statements) if _ADD_CONSTRAINT.match(s)), None)
    if add_at is None:
        return None
    added = change.statements[add_at]
    not_valid = added if re.search(r"\bNOT\s+VALID\s*;?\s*$", added, re.IGNORECASE) else _bare(added) + " NOT VALID"
    first = [_step(change, s) for s in change.statements[:add_at]] + [_step(change, not_valid)]
    validate = [_step(change, f"ALTER TABLE {ident(new.table)} VALIDATE CONSTRAINT {ident(new.name)}")]
    groups = [first, validate]
    rest = change.statements[add_at + 1:]
    if rest:
        groups.append([_step(change, s) for s in rest])
    return groups


# -------------------------------------------------------------- NOT NULL ---


def _not_null(change, live) -> list[list[Step]] | None:
    old, new, table = change.old, change.new, change.anchor
    if (change.operation != "alter" or old is None or new is None or table is None
            or old.not_null or not new.not_null or old.type != new.type
            or table.name not in live.tables or not _rewritable_table(live, table.name)):
        return None
    at = next((i for i, s in enumerate(change.statements) if _SET_NOT_NULL.search(s)), None)
    if at is None:
        return None
    t, c = ident(table.name), ident(new.name)
    check = ident(_check_name(new.name, table.name, live))
    before = [_step(change, s) for s in change.statements[:at]]
    groups = [
        before + [_step(change, f"ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({c} IS NOT NULL) NOT VALID")],
        [_step(change, f"ALTER TABLE {t} VALIDATE CONSTRAINT {check}")],
        [_step(change, change.statements[at]), _step(change, f"ALTER TABLE {t} DROP CONSTRAINT {check}")]
        + [_step(change, s) for s in change.statements[at + 1:]],
    ]
    return groups


def _check_name(column: str, table: str, live) -> str:
    """`<column>_not_null`, unless the table already has a constraint of that name."""
    taken = {c.name for c in live.constraints.values() if c.table == table}
    base = column.encode()[: _MAX_NAME - len(b"_not_null") - 2].decode(errors="ignore") + "_not_null"
    name, n = base, 1
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name


# ------------------------------------------------------------ enum labels ---


def _enum_values(change) -> list[list[Step]]:
    """Each ADD VALUE committed on its own, before the rest of the change and its users."""
    groups = [[_step(change, s, in_transaction=False)] for s in change.statements if _ADD_VALUE.match(s)]
    rest = [s for s in change.statements if not _ADD_VALUE.match(s)]
    if rest:
        groups.append([_step(change, s) for s in rest])
    return groups

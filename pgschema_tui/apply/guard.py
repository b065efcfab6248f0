"""The data-loss guard: a step that can lose stored rows runs only on relations that hold none,
checked in the step's own transaction after its lock is taken, unless data loss is accepted.

What a step can lose comes from its SQL (`plan.sql_hazards.classify`), plus the data_loss
hazards the plan carries: the plan file is not trusted to list them. The executor locks each
relation (`lock_sql`, under lock_timeout, with its usual waits and retries) and then asks
`verdict`: rows are probed with `row_security = off`, so a table whose rows row-level security
hides from this role (FORCE ROW LEVEL SECURITY, a role without BYPASSRLS) makes the probe fail
instead of looking empty, and the step is refused (fail closed). Nothing can insert between the
probe and the statement: the ACCESS EXCLUSIVE lock is held until the transaction ends.
"""
from __future__ import annotations

from dataclasses import dataclass

from pgschema_tui.ddl.quote import ident
from pgschema_tui.plan.model import Step
from pgschema_tui.plan.sql_hazards import (DROP_COLUMN, DROP_TYPE_CASCADE, TYPE_CHANGE, UNKNOWN, SqlRisk, classify,
                                           lossless_type_change)

DATA_LOSS = "data_loss"
STORED = "stored_hazard"  # a data_loss hazard the plan file lists for the relation
RLS_SQLSTATE = "42501"  # insufficient_privilege: "query would be affected by row-level security policy"

_HAS_ROWS_SQL = "SELECT EXISTS (SELECT FROM {rel})"
_GENERATED_SQL = """
SELECT a.attgenerated <> '' FROM pg_attribute a
WHERE a.attrelid = to_regclass(%s) AND a.attname = %s AND a.attnum > 0 AND NOT a.attisdropped
"""
_COLUMN_TYPE_SQL = """
SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
WHERE a.attrelid = to_regclass(%s) AND a.attname = %s AND a.attnum > 0 AND NOT a.attisdropped
"""
# Columns (of tables that hold rows or not: the caller probes them) whose type is the given type,
# its array type or a domain over either: DROP TYPE ... CASCADE would drop them.
_TYPE_COLUMNS_SQL = """
WITH RECURSIVE t(oid) AS (
    SELECT to_regtype(%s)::oid
    UNION SELECT ty.oid FROM pg_type ty JOIN t ON ty.typelem = t.oid OR ty.typbasetype = t.oid
)
SELECT DISTINCT format('%%I.%%I', n.nspname, c.relname)
FROM pg_attribute a JOIN t ON a.atttypid = t.oid
JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p', 'm')
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped
ORDER BY 1
"""


@dataclass(frozen=True)
class Blocked:
    """Why a step may not run: which statement, on what, and the reason."""

    statement: str
    reason: str

    def __str__(self) -> str:
        return f"{self.statement}: {self.reason}"


def risks(step: Step) -> list[SqlRisk]:
    """What `step` can lose: from its SQL, plus its stored data_loss hazards' relations."""
    found = list(classify(step.sql))
    for hazard in step.hazards:
        if hazard.type == DATA_LOSS and hazard.relation:
            schema, _, name = hazard.relation.partition(".")
            if any(r.names in ((name,), (schema, name)) for r in found):
                continue  # the SQL names it already
            relation = f"{ident(schema)}.{ident(name)}" if name else ident(schema)
            found.append(SqlRisk(STORED, relation, hazard.message))
    return found


def relations(found: list[SqlRisk]) -> list[str]:
    """The relations to lock before probing, in order, without repeats."""
    out: list[str] = []
    for risk in found:
        if risk.relation and risk.relation not in out:
            out.append(risk.relation)
    return out


def lock_sql(relation: str) -> str:
    return f"LOCK TABLE {relation} IN ACCESS EXCLUSIVE MODE"


def exists(conn, relation: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (relation,)).fetchone()[0]


def verdict(conn, risk: SqlRisk) -> Blocked | None:
    """None when `risk` loses nothing right now (run inside the transaction, after the locks)."""
    if risk.kind == UNKNOWN:
        return Blocked(risk.statement, "pgschema-tui cannot tell which rows it touches")
    if risk.kind == DROP_TYPE_CASCADE:
        columns = [r[0] for r in conn.execute(_TYPE_COLUMNS_SQL, (risk.type_name,)).fetchall()]
        holding = [c for c in columns if row_problem(conn, c) is not None]  # locks: the DROP takes them
        if holding:
            return Blocked(risk.statement, f"drops the columns of that type in {', '.join(holding)}, which hold rows")
        return None
    if not exists(conn, risk.relation):
        return None  # DROP ... IF EXISTS of a missing relation, or one the server will reject anyway
    if risk.kind == DROP_COLUMN and conn.execute(_GENERATED_SQL, (risk.relation, risk.column)).fetchone() == (True,):
        return None  # a generated column's values are derived from the others
    problem = row_problem(conn, risk.relation)
    if problem is None:
        return None
    if risk.kind == TYPE_CHANGE and problem == HOLDS_ROWS and not risk.using:
        row = conn.execute(_COLUMN_TYPE_SQL, (risk.relation, risk.column)).fetchone()
        if row is None or lossless_type_change(row[0], risk.new_type):
            return None
        return Blocked(risk.statement, f"{risk.relation} holds rows, and changing {risk.column} from {row[0]} to "
                                       f"{risk.new_type} can change or lose their values")
    if risk.kind == TYPE_CHANGE and problem == HOLDS_ROWS:
        return Blocked(risk.statement, f"{risk.relation} holds rows, and its USING expression computes their "
                                       f"new values")
    if problem == HOLDS_ROWS:
        return Blocked(risk.statement, f"{risk.relation} holds rows")
    return Blocked(risk.statement, f"{risk.relation}: {problem}")


HOLDS_ROWS = "the relation holds rows"


def row_problem(conn, relation: str) -> str | None:
    """None when `relation` provably holds no row; else why it cannot be treated as empty.

    Runs in a savepoint (or its own transaction) that is always rolled back, so the
    `row_security = off` it sets never outlives the probe.
    """
    import psycopg
    from psycopg import sql

    query = sql.SQL(_HAS_ROWS_SQL).format(rel=sql.SQL(relation))
    try:
        with conn.transaction():
            conn.execute("SET LOCAL row_security = off")
            has_rows = conn.execute(query).fetchone()[0]
            raise psycopg.Rollback()
    except psycopg.Error as exc:
        if exc.sqlstate == RLS_SQLSTATE and "row-level security" in str(exc):
            return ("row-level security hides rows of it from this role (FORCE ROW LEVEL SECURITY, or a role "
                    "without BYPASSRLS), so it cannot be proved empty")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"it could not be read to prove it empty ({first})"
    return HOLDS_ROWS if has_rows else None

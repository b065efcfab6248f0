"""Generated columns under change, on a real server, with rows in the table.

PostgreSQL refuses to change the type of (or drop) a column a generated column reads: the
generated column is dropped first and added back after, with what stands on it. Values are
derived, so `apply` must not refuse that as data_loss. A changed expression is SET
EXPRESSION on PostgreSQL 17+ (the plan knows the live server's version), else drop + add.
"""
from __future__ import annotations

from conftest import cli_flags as _flags, requires_pg
from pgschema_tui.apply.preflight import refused_hazards
from pgschema_tui.cli import main
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.planner import build_plan

from test_plan_helpers import inspect, migrate_and_check, run_plan

LIVE = """
CREATE TABLE c (id integer PRIMARY KEY, a varchar(50), b text GENERATED ALWAYS AS (upper(a)) STORED, n integer);
CREATE INDEX c_b_idx ON c (b);
ALTER TABLE c ADD CONSTRAINT c_b_check CHECK (b <> 'FORBIDDEN');
COMMENT ON COLUMN c.b IS 'a, shouted';
ALTER TABLE c ENABLE ROW LEVEL SECURITY;
CREATE POLICY c_visible ON c USING (b <> 'HIDDEN');
GRANT SELECT (b) ON c TO PUBLIC;
"""
ROWS = "INSERT INTO c (id, a, n) VALUES (1, 'x', 10), (2, 'hello', 20), (3, NULL, 30);"
WIDER = LIVE.replace("a varchar(50)", "a varchar(100)")


def _sql(plan) -> list[str]:
    return [step.sql for group in plan.groups for step in group.steps]


def _columns(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = 'c'::regclass AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum").fetchall()]


def _rows(conn, columns: str = "id, a, b, n") -> list[tuple]:
    return conn.execute(f"SELECT {columns} FROM c ORDER BY id").fetchall()


def _migrate(db, desired_sql: str, server_version: int | None):
    """Plan the database to the parsed `desired_sql`, run it; the re-plan must be empty."""
    return migrate_and_check(db, load_sql(desired_sql), server_version=server_version)


# ------------------------------------------------------------ type change ---


def test_type_change_of_a_column_a_generated_column_reads_applies_without_allowing_hazards(
        db, conn, tmp_path, capsys):
    """The brief's case through the CLI: plan + apply in one go, no --allow-hazards, then an empty plan."""
    conn.execute(LIVE + ROWS)
    desired = tmp_path / "schema.sql"
    desired.write_text(WIDER)
    code = main(["apply", *_flags(db), "--file", str(desired), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "cannot alter type" not in err
    assert conn.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                        "WHERE attrelid = 'c'::regclass AND attname = 'a'").fetchone() == ("character varying(100)",)
    assert _rows(conn) == [(1, "x", "X", 10), (2, "hello", "HELLO", 20), (3, None, None, 30)]
    # what stood on b is back: index, check, policy, comment, column grant
    assert conn.execute("SELECT has_column_privilege('public', 'c', 'b', 'SELECT')").fetchone() == (True,)
    assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'c_b_idx'").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'c_b_check'").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM pg_policy WHERE polname = 'c_visible'").fetchone() == (1,)
    assert conn.execute("SELECT col_description('c'::regclass, attnum) FROM pg_attribute "
                        "WHERE attrelid = 'c'::regclass AND attname = 'b'").fetchone() == ("a, shouted",)
    assert main(["plan", *_flags(db), "--file", str(desired), "--detailed-exitcode"]) == 0, capsys.readouterr()


def test_generated_column_goes_before_the_type_change_and_comes_back_after(db, conn):
    conn.execute(LIVE + ROWS)
    desired = LIVE.replace("a varchar(50)", "a text")
    plan = build_plan(inspect(db), load_sql(desired), server_version=conn.info.server_version)
    sql = _sql(plan)
    drop_b, alter_a = sql.index("ALTER TABLE c DROP COLUMN b;"), sql.index("ALTER TABLE c ALTER COLUMN a TYPE text;")
    add_b = next(i for i, s in enumerate(sql) if s.startswith("ALTER TABLE c ADD COLUMN b text GENERATED"))
    assert sql.index("DROP POLICY c_visible ON c;") < drop_b < alter_a < add_b
    assert sql.index("DROP INDEX c_b_idx;") < drop_b
    assert "COMMENT ON COLUMN c.b IS 'a, shouted';" in sql[add_b:]
    assert any(s.startswith("CREATE INDEX c_b_idx") for s in sql[add_b:])
    assert any(s.startswith("CREATE POLICY c_visible") for s in sql[add_b:])
    hazards = [h for group in plan.groups for step in group.steps for h in step.hazards]
    assert not [h for h in hazards if h.type == "data_loss"], "b's values are derived: nothing is lost"
    assert any(h.type == "table_rewrite" and "add column b" in h.message for h in hazards)
    assert refused_hazards(plan, frozenset()) == []
    with db.connect() as c:
        run_plan(c, plan)
    assert _rows(conn) == [(1, "x", "X", 10), (2, "hello", "HELLO", 20), (3, None, None, 30)]
    assert build_plan(inspect(db), load_sql(desired), server_version=conn.info.server_version).is_empty


def test_narrowing_the_read_column_is_the_only_data_loss(db, conn):
    """text -> varchar(100) narrows a (real data_loss); dropping and re-adding b is not."""
    conn.execute(LIVE.replace("a varchar(50)", "a text") + ROWS)
    plan = build_plan(inspect(db), load_sql(WIDER))
    losses = [(step.sql, h.message) for group in plan.groups for step in group.steps for h in step.hazards
              if h.type == "data_loss"]
    assert losses == [("ALTER TABLE c ALTER COLUMN a TYPE character varying(100);",
                       "changes the type of a of public.c from text to varchar(100): values may be cut, rounded or rejected")]


def test_generated_column_declared_before_what_it_reads_and_a_dropped_column(db, conn):
    """b precedes a in the table; g reads z, which goes while g's expression changes."""
    conn.execute("CREATE TABLE c (id integer, b integer GENERATED ALWAYS AS (a * 2) STORED, a integer, z integer,"
                 " g integer GENERATED ALWAYS AS (z + 1) STORED);"
                 "INSERT INTO c (id, a, z) VALUES (1, 1, 5), (2, 2, 6);")
    plan = _migrate(db, "CREATE TABLE c (id integer, b bigint GENERATED ALWAYS AS (a * 2) STORED, a bigint,"
                        " g integer GENERATED ALWAYS AS (w + 1) STORED, w integer);", conn.info.server_version)
    sql = _sql(plan)
    assert sql.index("ALTER TABLE c DROP COLUMN g;") < sql.index("ALTER TABLE c DROP COLUMN z;")
    assert sql.index("ALTER TABLE c ADD COLUMN w integer;") < sql.index(
        "ALTER TABLE c ADD COLUMN g integer GENERATED ALWAYS AS (w + 1) STORED;")
    assert _rows(conn, "id, a, b, g") == [(1, 1, 2, None), (2, 2, 4, None)]


# ------------------------------------------------------ expression change ---

NEW_EXPRESSION = LIVE.replace("GENERATED ALWAYS AS (upper(a))", "GENERATED ALWAYS AS (lower(a) || n)")


@requires_pg(17, "SET EXPRESSION is PostgreSQL 17 syntax")
def test_expression_change_is_set_expression_on_17(db, conn):
    conn.execute(LIVE + ROWS)
    plan = _migrate(db, NEW_EXPRESSION, conn.info.server_version)
    assert _sql(plan) == ["ALTER TABLE c ALTER COLUMN b SET EXPRESSION AS (lower(a) || n);"]
    [hazards] = [step.hazards for group in plan.groups for step in group.steps]
    assert {h.type for h in hazards} == {"table_rewrite", "access_exclusive_lock"}
    assert _columns(conn) == ["id", "a", "b", "n"]  # b keeps its place
    assert _rows(conn) == [(1, "x", "x10", 10), (2, "hello", "hello20", 20), (3, None, None, 30)]
    # the plan left the index, check and policy alone: PostgreSQL rebuilt and rechecked them itself
    assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'c_b_idx'::regclass").fetchone() == (True,)
    assert conn.execute("SELECT count(*) FROM pg_policy WHERE polname = 'c_visible'").fetchone() == (1,)


def test_expression_change_without_a_known_version_is_drop_and_add_without_data_loss(db, conn):
    conn.execute(LIVE + ROWS)
    plan = _migrate(db, NEW_EXPRESSION, None)
    sql = _sql(plan)
    assert "ALTER TABLE c DROP COLUMN b;" in sql
    assert "ALTER TABLE c ADD COLUMN b text GENERATED ALWAYS AS (lower(a) || n) STORED;" in sql
    assert not any("SET EXPRESSION" in s for s in sql)
    assert refused_hazards(plan, frozenset()) == []
    assert _rows(conn) == [(1, "x", "x10", 10), (2, "hello", "hello20", 20), (3, None, None, 30)]


def test_stored_column_made_plain_keeps_its_values(db, conn):
    conn.execute(LIVE + ROWS)
    plan = _migrate(db, LIVE.replace(" GENERATED ALWAYS AS (upper(a)) STORED", ""), None)
    assert "ALTER TABLE c ALTER COLUMN b DROP EXPRESSION;" in _sql(plan)
    assert not any("DROP COLUMN" in s for s in _sql(plan))
    assert _columns(conn) == ["id", "a", "b", "n"]
    assert _rows(conn) == [(1, "x", "X", 10), (2, "hello", "HELLO", 20), (3, None, None, 30)]


def test_dropping_a_plain_column_is_still_data_loss(db, conn):
    conn.execute(LIVE + ROWS)
    plan = build_plan(inspect(db), load_sql(LIVE.replace(", n integer", "")))
    assert [h.message for _i, _path, h in refused_hazards(plan, frozenset())] == [
        "drops column n of public.c and its data"]

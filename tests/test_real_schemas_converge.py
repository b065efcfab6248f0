"""Issue 10, items 3-8: parser normalisation seen on real schemas, against a real server.

Each schema is run by the server and planned against itself (empty), and applied by the tool
into an empty database and re-planned (empty, equivalent): `converge_helpers.converges`.
"""
from __future__ import annotations

import pytest

from conftest import requires_pg, run_sql
from converge_helpers import assert_applies_and_converges, converges, plan_against
from pgschema_tui.plan.render_sql import render_sql


# ------------------------------------------------------------ 3. DEFAULT NULL ---

@pytest.mark.parametrize("column", [
    "c text DEFAULT NULL", "c text DEFAULT NULL::text", "c text DEFAULT (NULL)", "c text DEFAULT CAST(NULL AS text)",
    "c integer[] DEFAULT NULL::int[]", "c timestamptz DEFAULT NULL::timestamp with time zone",
    # stored as a coercion, so kept: a typmod, or a cast to another type
    "c varchar(3) DEFAULT NULL", "c character DEFAULT NULL::bpchar", "c text DEFAULT NULL::varchar",
    "c numeric(5,2) DEFAULT NULL::numeric",
])
def test_default_null_is_no_default(db, second_db, column):
    converges(db, second_db, f"CREATE TABLE t (id integer, {column});")


def test_set_default_null_in_alter_statements(db, second_db):
    converges(db, second_db, "CREATE DOMAIN d AS integer;\nALTER DOMAIN d SET DEFAULT NULL;\n"
                             "CREATE TABLE t (id integer, c text, e d);\n"
                             "ALTER TABLE t ALTER COLUMN c SET DEFAULT NULL::text;\n"
                             "ALTER TABLE t ALTER COLUMN e SET DEFAULT NULL;")


def test_domain_default_null_is_no_default(db, second_db):
    converges(db, second_db, "CREATE DOMAIN d AS text DEFAULT NULL;\n"
                             "CREATE DOMAIN e AS integer DEFAULT NULL::integer CHECK (VALUE > 0);\n"
                             "CREATE TABLE t (id integer, c d, n e DEFAULT NULL);")


def test_default_null_against_a_real_default_drops_it(db):
    """`DEFAULT NULL` is no default: a live default is dropped, not set to NULL forever."""
    run_sql(db, "CREATE TABLE t (id integer, c text DEFAULT 'x');")
    plan = plan_against(db, "CREATE TABLE t (id integer, c text DEFAULT NULL);")
    assert "DROP DEFAULT" in render_sql(plan)


# ---------------------------------------------------- 4. (composite).* in views ---

COMPOSITE = """
CREATE TYPE pair AS (a integer, b text);
CREATE TABLE t (id integer, p pair, q pair);
CREATE FUNCTION f(t) RETURNS pair LANGUAGE sql STABLE AS $$ SELECT ($1).p $$;
CREATE FUNCTION g(integer) RETURNS pair LANGUAGE sql STABLE AS $$ SELECT ROW($1, 'x')::public.pair $$;
CREATE FUNCTION o(integer, OUT x integer, OUT y text) LANGUAGE sql AS $$ SELECT $1, 'o' $$;
CREATE FUNCTION s() RETURNS SETOF pair LANGUAGE sql AS $$ SELECT ROW(1, 's')::pair $$;
"""


@pytest.mark.parametrize("query", [
    "SELECT (f(t)).* FROM t",
    "SELECT id, (p).* FROM t",
    "SELECT t.id, (t.p).* FROM t",
    "SELECT (x.q).*, x.id FROM t x",
    "SELECT (g(id)).* FROM t",
    "SELECT (ROW(id, 'y')::pair).* FROM t",
    "SELECT (t.*).p FROM t",
    "SELECT (t).* FROM t",
    "SELECT f(t) AS x, t AS y, (t).id AS z, t FROM t",
    "SELECT (o(id)).*, (s()).* FROM t",
    "SELECT (s()).b",
    "SELECT t.id, (u.p).*, (f(u)).a AS fa FROM t JOIN t u ON u.id = t.id",
    "SELECT x.* FROM (SELECT (p).* FROM t) x",
])
def test_composite_star_in_a_view(db, second_db, query):
    converges(db, second_db, COMPOSITE + f"CREATE VIEW v AS {query};")


def test_composite_star_in_a_materialized_view(db, second_db):
    converges(db, second_db, COMPOSITE + "CREATE MATERIALIZED VIEW m AS SELECT id, (g(id)).* FROM t;")


def test_composite_star_of_a_table_row(db, second_db):
    converges(db, second_db, "CREATE TABLE t (id integer, name text);\n"
                             "CREATE TABLE u (t_id integer, row_t t);\n"
                             "CREATE VIEW v AS SELECT (row_t).* FROM u;")


# ----------------------------------------------- 5. GROUP BY 1 / ORDER BY 1 ---

@pytest.mark.parametrize("kind", ["VIEW", "MATERIALIZED VIEW"])
@pytest.mark.parametrize("query", [
    "SELECT lower(name), count(*) FROM t GROUP BY 1",
    "SELECT lower(name) AS n, count(*) AS c FROM t GROUP BY 1 ORDER BY 2 DESC, 1",
    "SELECT lower(name) AS n, count(*) AS c FROM t GROUP BY n ORDER BY c",
    "SELECT id % 10, name, count(*) FROM t GROUP BY 1, 2 HAVING count(*) > 1",
    "SELECT DISTINCT ON (1) lower(name), id FROM t ORDER BY 1, 2",
    "SELECT lower(name), id % 2, count(*) FROM t GROUP BY ROLLUP (1), CUBE (2)",
    "SELECT lower(name), id % 2, count(*) FROM t GROUP BY GROUPING SETS ((1, 2), (2), ())",
    # a GROUP BY name that is an input column and an output alias means the input column
    "SELECT lower(name) AS name, count(*) FROM t GROUP BY name",
])
def test_positional_group_and_order_by(db, second_db, kind, query):
    converges(db, second_db, f"CREATE TABLE t (id integer, name text);\nCREATE {kind} v AS {query};")


# ------------------------------------------- 6. table-level NOT NULL (PG 18) ---

@requires_pg(18, reason="table-level NOT NULL constraints are PostgreSQL 18 syntax")
def test_table_level_not_null(db, second_db):
    converges(db, second_db, "CREATE TABLE t (a integer, b text, CONSTRAINT a_nn NOT NULL a);")


@requires_pg(18, reason="table-level NOT NULL constraints are PostgreSQL 18 syntax")
def test_table_level_not_null_against_live_keeps_it(db):
    run_sql(db, "CREATE TABLE t (a integer NOT NULL, b text);")
    plan = plan_against(db, "CREATE TABLE t (a integer, b text, NOT NULL a);")
    assert "DROP NOT NULL" not in render_sql(plan)


def test_replacing_a_materialized_view_carries_a_rebuild_hazard(db):
    """A materialized view whose query changes is dropped and built again: the plan says so,
    with its size, on the drop and on the create (nothing else in the plan mentions it)."""
    from pgschema_tui.inspect.sizes import relation_sizes

    run_sql(db, "CREATE TABLE t (id integer, name text);\n"
                "INSERT INTO t SELECT i, 'n' || (i % 7) FROM generate_series(1, 5000) i;\n"
                "CREATE MATERIALIZED VIEW m AS SELECT name, count(*) FROM t GROUP BY 1;\n"
                "ANALYZE t; ANALYZE m;")
    from converge_helpers import server_version
    from pgschema_tui.parse import load_sql
    from pgschema_tui.plan.planner import build_plan
    from test_plan_helpers import inspect

    desired = load_sql("CREATE TABLE t (id integer, name text);\n"
                       "CREATE MATERIALIZED VIEW m AS SELECT name, count(*), max(id) FROM t GROUP BY 1;")
    with db.connect() as conn:
        plan = build_plan(inspect(db), desired, sizes=relation_sizes(conn, "public"),
                          server_version=server_version(db))
    steps = [s for g in plan.groups for s in g.steps]
    drop = next(s for s in steps if s.sql.startswith("DROP MATERIALIZED VIEW"))
    create = next(s for s in steps if s.sql.startswith("CREATE MATERIALIZED VIEW"))
    for step in (drop, create):
        hazards = [h for h in step.hazards if h.relation == "public.m" and h.type != "dependents_replaced"]
        assert hazards and all(h.type == "access_exclusive_lock" for h in hazards), step
        assert hazards[0].rows == 7 and "7 rows" in hazards[0].message, hazards
    assert "recomput" in create.hazards[0].message
    # a materialized view the plan creates for the first time is empty of hazards
    fresh = build_plan(inspect(db), load_sql(desired_sql := "CREATE TABLE t (id integer, name text);\n"
                                             "CREATE MATERIALIZED VIEW m2 AS SELECT 1 AS one;"))
    assert all(not s.hazards for g in fresh.groups for s in g.steps if "m2" in s.sql), desired_sql


@requires_pg(18, reason="table-level NOT NULL constraints are PostgreSQL 18 syntax")
def test_table_level_not_null_on_inherited_and_added_columns(db, second_db):
    converges(db, second_db, "CREATE TABLE p (a integer, b text) PARTITION BY LIST (a);\n"
                             "CREATE TABLE c PARTITION OF p (NOT NULL b) FOR VALUES IN (1);\n"
                             "CREATE TABLE i (x integer, y integer);\n"
                             "CREATE TABLE j (z integer, NOT NULL x) INHERITS (i);\n"
                             "ALTER TABLE i ADD CONSTRAINT y_nn NOT NULL y;")


# ------------------------------------------ 8. NOT NULL constraint names (PG 18) ---

PARTITIONS = """
CREATE TABLE p (a integer NOT NULL, b text, CONSTRAINT b_nn NOT NULL b) PARTITION BY LIST (a);
CREATE TABLE c1 PARTITION OF p FOR VALUES IN (1);
CREATE TABLE c2 (a integer NOT NULL, b text NOT NULL);
ALTER TABLE p ATTACH PARTITION c2 FOR VALUES IN (2);
CREATE TABLE c3 (a integer CONSTRAINT c3_a NOT NULL, b text CONSTRAINT c3_b NOT NULL);
ALTER TABLE ONLY p ATTACH PARTITION c3 FOR VALUES IN (3);
CREATE TABLE c4 PARTITION OF p (b CONSTRAINT c4_mine NOT NULL) FOR VALUES IN (4);
CREATE TABLE t (id integer PRIMARY KEY, x integer CONSTRAINT x_required NOT NULL, y integer NOT NULL,
                z integer, CONSTRAINT z_nn NOT NULL z);
"""


def _not_null_names(settings) -> list[tuple]:
    with settings.connect() as conn:
        return conn.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.conname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_class r ON r.oid = c.conrelid "
            "WHERE c.contype = 'n' AND r.relnamespace = 'public'::regnamespace ORDER BY 1, 2").fetchall()


@requires_pg(18, reason="NOT NULL constraints have names from PostgreSQL 18 on")
def test_not_null_names_of_partitions_survive_apply(db, second_db):
    """PARTITION OF takes the parent's names, CREATE + ATTACH keeps the child's: applying the
    file gives every constraint the name the server gives it, and both plans are empty."""
    converges(db, second_db, PARTITIONS)
    assert _not_null_names(second_db) == _not_null_names(db)


@requires_pg(18, reason="NOT NULL constraints have names from PostgreSQL 18 on")
def test_not_null_names_survive_a_dump_round_trip(db, second_db, tmp_path):
    from pgschema_tui.cli import main
    from conftest import cli_flags

    run_sql(db, PARTITIONS)
    dump = tmp_path / "dump.sql"
    assert main(["dump", *cli_flags(db), "--file", str(dump)]) == 0
    run_sql(second_db, dump.read_text())
    assert _not_null_names(second_db) == _not_null_names(db)
    plan = plan_against(db, dump.read_text())
    assert plan.is_empty, render_sql(plan)


@requires_pg(18, reason="NOT NULL constraints have names from PostgreSQL 18 on")
def test_not_null_constraint_renamed(db):
    """A new name is RENAME CONSTRAINT (not DROP + SET NOT NULL); a new NOT NULL column gets
    its name too; the re-plan is empty."""
    from converge_helpers import server_version
    from pgschema_tui.parse import load_sql
    from pgschema_tui.plan.planner import build_plan
    from test_plan_helpers import inspect, run_plan

    run_sql(db, "CREATE TABLE t (a integer CONSTRAINT a_nn NOT NULL, b integer NOT NULL, c integer, d integer);"
                "INSERT INTO t VALUES (1, 2, 3, 4);")
    desired = load_sql("CREATE TABLE t (a integer CONSTRAINT a_required NOT NULL, b integer CONSTRAINT b_nn NOT NULL, "
                       "c integer CONSTRAINT c_nn NOT NULL, d integer NOT NULL, e integer CONSTRAINT e_nn NOT NULL DEFAULT 0);")
    version = server_version(db)
    plan = build_plan(inspect(db), desired, server_version=version)
    sql = render_sql(plan)
    assert 'RENAME CONSTRAINT a_nn TO a_required' in sql and "RENAME CONSTRAINT t_b_not_null TO b_nn" in sql, sql
    assert "DROP NOT NULL" not in sql, sql
    with db.connect() as conn:
        run_plan(conn, plan)
    replan = build_plan(inspect(db), desired, server_version=version)
    assert replan.is_empty, render_sql(replan)
    assert [r[1:] for r in _not_null_names(db)] == [("a", "a_required"), ("b", "b_nn"), ("c", "c_nn"),
                                                     ("d", "t_d_not_null"), ("e", "e_nn")]


@requires_pg(18, reason="NOT NULL constraints have names from PostgreSQL 18 on")
def test_partition_not_null_names_renamed_while_detached(db):
    """Live partitions made with PARTITION OF (the parent's names), desired in pg_dump's form
    (CREATE TABLE + ATTACH, the child's names): PostgreSQL cannot rename an inherited constraint,
    so the plan detaches, renames and attaches again; rows stay, the re-plan is empty."""
    from converge_helpers import server_version
    from pgschema_tui.parse import load_sql
    from pgschema_tui.plan.planner import build_plan
    from test_plan_helpers import inspect, run_plan

    run_sql(db, "CREATE TABLE p (a integer NOT NULL, b text) PARTITION BY LIST (a);\n"
                "CREATE TABLE c PARTITION OF p FOR VALUES IN (1);\nINSERT INTO p VALUES (1, 'x');")
    desired = load_sql("CREATE TABLE p (a integer NOT NULL, b text) PARTITION BY LIST (a);\n"
                       "CREATE TABLE c (a integer NOT NULL, b text);\n"
                       "ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1);")
    version = server_version(db)
    plan = build_plan(inspect(db), desired, server_version=version)
    assert "RENAME CONSTRAINT p_a_not_null TO c_a_not_null" in render_sql(plan), render_sql(plan)
    with db.connect() as conn:
        run_plan(conn, plan)
        assert conn.execute("SELECT a, b FROM c").fetchall() == [(1, "x")]
    replan = build_plan(inspect(db), desired, server_version=version)
    assert replan.is_empty, render_sql(replan)
    assert ("c", "a", "c_a_not_null") in _not_null_names(db)


@requires_pg(18, reason="NOT NULL constraints have names from PostgreSQL 18 on")
def test_not_null_names_copied_by_like_and_inherits(db, second_db):
    sql = ("CREATE TABLE l1 (a integer CONSTRAINT l1_custom NOT NULL, b integer NOT NULL);\n"
           "CREATE TABLE l2 (LIKE l1);\nCREATE TABLE l3 (LIKE l1 INCLUDING ALL, c integer NOT NULL);\n"
           "CREATE TABLE i4 (c integer) INHERITS (l1);")
    converges(db, second_db, sql)
    assert _not_null_names(second_db) == _not_null_names(db)


# Float and bytea literal defaults are folded when stored: `'0.0000'` on a double precision column
# is `'0'::double precision`, `''` on bytea is `'\x'::bytea` (zabbix's schema has both).
@pytest.mark.parametrize("column", [
    "f double precision DEFAULT '0.0000'", "f float8 DEFAULT '1e3'", "f real DEFAULT '0.10'",
    "f double precision DEFAULT '-0.50'::double precision", "b bytea DEFAULT ''",
    "b bytea DEFAULT 'ab\\000'", "b bytea DEFAULT '\\x6162'::bytea",
])
def test_float_and_bytea_literal_defaults_converge(db, second_db, column):
    converges(db, second_db, f"CREATE TABLE t (id int, {column} NOT NULL);")


@pytest.mark.parametrize("live, desired", [
    ("f double precision DEFAULT '0'", "f double precision DEFAULT '0.5'"),
    ("f real DEFAULT '0.1'", "f real DEFAULT '0.10000001'"),
    ("b bytea DEFAULT ''", "b bytea DEFAULT 'a'"),
])
def test_a_changed_float_or_bytea_default_is_planned(db, live, desired):
    run_sql(db, f"CREATE TABLE t (id int, {live});")
    plan = plan_against(db, f"CREATE TABLE t (id int, {desired});")
    assert "SET DEFAULT" in render_sql(plan)


def _stored_defaults(settings) -> dict[str, str]:
    with settings.connect() as conn:
        return dict(conn.execute(
            "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
            " ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'public.t'::regclass").fetchall())


def test_applied_literal_defaults_are_stored_as_psql_stores_them(db, second_db):
    """A bare literal default is stored cast to the type without its typmod (`'0'::numeric` on a
    numeric(20) column, `'101'::"bit"` on bit(3)); only an interval's fields are kept."""
    sql = ("CREATE TABLE t (id int, n numeric(20) DEFAULT '0', b bit(3) DEFAULT '101',"
           " c character(3) DEFAULT 'abc', ts timestamp(0) DEFAULT '2020-01-01 10:00:00.7',"
           " i interval day DEFAULT '1 day 3 hours');")
    run_sql(db, sql)
    assert_applies_and_converges(second_db, sql)
    assert _stored_defaults(second_db) == _stored_defaults(db)

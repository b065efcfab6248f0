"""Issue 10, item 1: operators, and the operator classes and families a schema defines, are
modelled like every other kind, against a real server: created from empty, changed (ALTER
OPERATOR ... SET for the estimators, ALTER OPERATOR FAMILY for loose members, replace
otherwise, with the views and indexes that stand on them), dropped. Dump round trips:
testdata/dump/operators (test_dump_roundtrip.py)."""
from __future__ import annotations

from conftest import run_sql
from converge_helpers import converges, plan_against
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.render_sql import render_sql

from test_plan_helpers import migrate_and_check

SCHEMA = """
CREATE TYPE pair AS (a integer, b integer);
CREATE FUNCTION pair_lt(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a < ($2).a $$;
CREATE FUNCTION pair_le(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a <= ($2).a $$;
CREATE FUNCTION pair_eq(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a = ($2).a $$;
CREATE FUNCTION pair_ge(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a >= ($2).a $$;
CREATE FUNCTION pair_gt(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).a > ($2).a $$;
CREATE FUNCTION pair_cmp(pair, pair) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN ($1).a < ($2).a THEN -1 WHEN ($1).a > ($2).a THEN 1 ELSE 0 END $$;
CREATE FUNCTION neg(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT -$1 $$;
CREATE OPERATOR <<< (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_lt, COMMUTATOR = >>>, NEGATOR = >>>=,
                     RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <<<= (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_le);
CREATE OPERATOR === (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_eq, COMMUTATOR = ===, RESTRICT = eqsel,
                     JOIN = eqjoinsel, MERGES);
CREATE OPERATOR >>>= (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_ge, NEGATOR = <<<);
CREATE OPERATOR >>> (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_gt, COMMUTATOR = <<<);
CREATE OPERATOR ~~~ (RIGHTARG = integer, FUNCTION = neg);
COMMENT ON OPERATOR ===(pair, pair) IS 'same a';
CREATE OPERATOR CLASS pair_ops DEFAULT FOR TYPE pair USING btree AS
    OPERATOR 1 <<<, OPERATOR 2 <<<=, OPERATOR 3 ===, OPERATOR 4 >>>=, OPERATOR 5 >>>,
    FUNCTION 1 pair_cmp(pair, pair);
COMMENT ON OPERATOR CLASS pair_ops USING btree IS 'by a';
CREATE OPERATOR FAMILY int_extra USING btree;
ALTER OPERATOR FAMILY int_extra USING btree ADD OPERATOR 1 < (integer, bigint), FUNCTION 1 btint48cmp(integer, bigint);
CREATE TABLE t (id integer, p pair);
CREATE INDEX t_p ON t (p pair_ops);
CREATE VIEW neg_ids AS SELECT ~~~ id AS n, p FROM t WHERE p === ROW(1, 2)::pair;
"""


def test_operators_and_classes_converge_from_empty(db, second_db):
    converges(db, second_db, SCHEMA)


def test_estimators_and_loose_members_are_altered_in_place(db):
    run_sql(db, SCHEMA)
    changed = (SCHEMA.replace("RESTRICT = eqsel,\n                     JOIN = eqjoinsel, MERGES",
                              "RESTRICT = scalarlesel, MERGES")
               .replace("FUNCTION 1 btint48cmp(integer, bigint)", "OPERATOR 3 = (integer, bigint)"))
    plan = migrate_and_check(db, load_sql(changed))
    sql = render_sql(plan)
    assert "ALTER OPERATOR ===(pair, pair) SET (RESTRICT = scalarlesel, JOIN = NONE);" in sql
    assert "ALTER OPERATOR FAMILY int_extra USING btree DROP\n    FUNCTION 1 (integer, bigint);" in sql
    assert "ALTER OPERATOR FAMILY int_extra USING btree ADD\n    OPERATOR 3 =(integer, bigint);" in sql
    assert "DROP INDEX" not in sql and "DROP VIEW" not in sql


def test_new_function_replaces_the_operator_with_its_class_index_and_view(db):
    run_sql(db, SCHEMA)
    changed = SCHEMA.replace("CREATE FUNCTION neg(integer)", "CREATE FUNCTION pair_eq2(pair, pair) RETURNS boolean "
                             "LANGUAGE sql IMMUTABLE AS $$ SELECT ($1).b = ($2).b $$;\nCREATE FUNCTION neg(integer)") \
        .replace("FUNCTION = pair_eq,", "FUNCTION = pair_eq2,")
    plan = migrate_and_check(db, load_sql(changed))
    sql = render_sql(plan)
    drop_op = sql.index("DROP OPERATOR ===(pair, pair);")
    assert sql.index("DROP VIEW neg_ids") < drop_op and sql.index("DROP INDEX") < drop_op
    assert sql.index("DROP OPERATOR FAMILY pair_ops USING btree") < drop_op
    create_op = sql.index("CREATE OPERATOR === ")
    assert create_op < sql.index("CREATE OPERATOR CLASS pair_ops") < sql.index("t_p ON t")


def test_new_class_member_replaces_the_class_and_the_index_on_it(db):
    run_sql(db, SCHEMA)
    plan = migrate_and_check(db, load_sql(SCHEMA.replace("OPERATOR 5 >>>,", "OPERATOR 5 >>> (pair, pair),")
                                          .replace("OPERATOR 2 <<<=, ", "")))
    sql = render_sql(plan)
    assert sql.index("DROP INDEX") < sql.index("DROP OPERATOR FAMILY pair_ops") \
        < sql.index("CREATE OPERATOR CLASS pair_ops") < sql.index("t_p ON t")


def test_drop(db):
    run_sql(db, SCHEMA)
    plan = migrate_and_check(db, load_sql("CREATE TYPE pair AS (a integer, b integer);"
                                          "CREATE TABLE t (id integer, p pair);"))
    sql = render_sql(plan)
    for statement in ("DROP OPERATOR FAMILY pair_ops USING btree;", "DROP OPERATOR FAMILY int_extra USING btree;",
                      "DROP OPERATOR ===(pair, pair);", "DROP OPERATOR ~~~(NONE, integer);"):
        assert statement in sql


def test_files_planned_against_the_database_they_built_are_empty(db):
    run_sql(db, SCHEMA)
    assert plan_against(db, SCHEMA).is_empty


def test_cli_plans_the_files_empty_with_both_loaders_and_no_false_warning(db, second_db, tmp_path, capsys):
    """`COMMENT ON OPERATOR CLASS c USING btree` names the method first: not another schema."""
    from psycopg.conninfo import make_conninfo

    from conftest import cli_flags
    from pgschema_tui.cli import main

    run_sql(db, SCHEMA)
    path = tmp_path / "main.sql"
    path.write_text(SCHEMA + "DROP OPERATOR CLASS IF EXISTS gone USING btree;\n")
    for extra in ([], ["--plan-db", make_conninfo(**second_db.kwargs())]):
        code = main(["plan", "--detailed-exitcode", "--file", str(path), *extra, *cli_flags(db)])
        captured = capsys.readouterr()
        assert code == 0, captured.out + captured.err
        assert "Warning" not in captured.err, captured.err


def test_pg_dump_output_plans_empty(pg_server, db, tmp_path):
    """The schema as pg_dump writes it (qualified names, OPERATOR(public.x), explicit types of
    class functions) plans empty against the database it came from."""
    import subprocess

    from converge_helpers import plan_against

    run_sql(db, SCHEMA)
    cmd = [pg_server.tool("pg_dump"), "-h", db.host, "-p", str(db.port), "-U", db.user, "--schema-only", db.db]
    dumped = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    dumped = "\n".join(line for line in dumped.splitlines() if not line.startswith("\\"))  # \restrict
    plan = plan_against(db, dumped)
    assert plan.is_empty, render_sql(plan)


def test_extension_members_are_not_the_schemas_own(db):
    """hstore's operators, classes and families, and unaccent's dictionary, belong to their
    extensions: neither dumped nor dropped, and a configuration of the schema may use them."""
    from test_plan_helpers import inspect

    run_sql(db, "CREATE EXTENSION hstore; CREATE EXTENSION unaccent;"
                "CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);"
                "ALTER TEXT SEARCH CONFIGURATION fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;"
                "CREATE TABLE t (id int, h hstore);")
    live = inspect(db)
    assert not live.operators and not live.operator_classes and not live.operator_families
    assert list(live.text_search_configurations) == ["fr"] and not live.text_search_dictionaries
    desired = ("CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);"
               "ALTER TEXT SEARCH CONFIGURATION fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;"
               "CREATE TABLE t (id int, h hstore);")
    assert plan_against(db, desired).is_empty

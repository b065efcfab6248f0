"""The parser's IR for individual statements: implicit names, type spellings, errors."""
from __future__ import annotations

import pytest

from pgschema_tui.errors import UnsupportedError, UserError
from pgschema_tui.parse import load_sql
from pgschema_tui.parse.naming import make_object_name


def test_implicit_names_follow_postgresql():
    schema = load_sql("""
        CREATE TABLE t (a int CHECK (a > 0), b int CHECK (b > a), c int, UNIQUE (a, b), UNIQUE (a, b),
                        CHECK (c > 0), CHECK (c < 9));
        CREATE INDEX ON t (a); CREATE INDEX ON t (a); CREATE INDEX ON t ((a + b), lower(c::text));
    """)
    assert set(schema.constraints) == {"t.t_a_check", "t.t_check", "t.t_c_check", "t.t_c_check1",
                                       "t.t_a_b_key"}  # the repeated UNIQUE is merged, as PostgreSQL does
    assert set(schema.indexes) == {"t_a_idx", "t_a_idx1", "t_expr_lower_idx"}


def test_unique_equal_to_primary_key_is_dropped():
    schema = load_sql("CREATE TABLE t (id int UNIQUE PRIMARY KEY, x int, CONSTRAINT named UNIQUE (x), UNIQUE (x))")
    assert set(schema.constraints) == {"t.t_pkey", "t.named"}


def test_names_are_cut_to_63_bytes_longer_part_first():
    table = "t" * 40
    column = "c" * 40
    name = make_object_name(table, column, "key")
    assert len(name.encode()) == 63 and name.endswith("_key")
    assert name == "t" * 29 + "_" + "c" * 29 + "_key"
    assert make_object_name("é" * 40, None, "pkey").encode().__len__() <= 63


def test_type_spellings():
    schema = load_sql("CREATE TABLE t (a int4, b varchar(3)[], c timestamp(2), d numeric(5), e float, "
                      "f char, g other.thing, h public.mood, i interval day to second(3), j bit varying)")
    types = [c.type for c in schema.tables["t"].columns]
    assert types == ["integer", "character varying(3)[]", "timestamp(2) without time zone", "numeric(5,0)",
                     "double precision", "character(1)", "other.thing", "mood", "interval day to second(3)",
                     "bit varying"]


def test_serial_makes_an_owned_sequence():
    schema = load_sql('CREATE TABLE "Orders" (id bigserial PRIMARY KEY)')
    column = schema.tables["Orders"].columns[0]
    assert (column.type, column.not_null, column.default.text) == (
        "bigint", True, "nextval('\"Orders_id_seq\"'::regclass)")
    sequence = schema.sequences["Orders_id_seq"]
    assert sequence.owned_by == "Orders.id" and sequence.options.data_type is None


def test_other_schemas_are_not_part_of_the_target():
    schema = load_sql("CREATE TABLE other.t (id int); CREATE TABLE app.u (id int); "
                      "CREATE FUNCTION other.f() RETURNS int LANGUAGE sql AS 'select 1';", schema="app")
    assert set(schema.tables) == {"u"} and not schema.functions


def test_routines_and_privileges():
    schema = load_sql("""
        CREATE FUNCTION f(a int, OUT b text) LANGUAGE sql AS $$ SELECT a::text $$;
        CREATE FUNCTION g(x int DEFAULT 1) RETURNS TABLE (y int, z text) LANGUAGE sql ROWS 1000 COST 100
            AS $$ SELECT 1, 'a' $$;
        REVOKE EXECUTE ON FUNCTION g(int) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION g TO app_user WITH GRANT OPTION;
    """)
    f, g = schema.functions["f(integer)"], schema.functions["g(integer)"]
    assert f.returns == "text" and [a.mode for a in f.arguments] == ["IN", "OUT"]
    assert g.returns == "TABLE(y integer, z text)" and g.rows is None and g.cost is None
    assert schema.grants["FUNCTION:g(integer):PUBLIC"].revoked_default
    assert schema.grants["FUNCTION:g(integer):app_user+grant"].privileges == ("EXECUTE",)


def test_unsupported_construct_names_object_and_suggests_plan_db():
    with pytest.raises(UnsupportedError, match=r"<sql>:1:1: table t: OF type is not supported .* --plan-db"):
        load_sql("CREATE TABLE t OF some_type")


def test_reference_to_a_missing_object_is_an_error():
    with pytest.raises(UserError, match=r"<sql>:1:1: table missing is not created by any statement"):
        load_sql("ALTER TABLE missing ADD COLUMN x int")


def test_if_not_exists_keeps_the_first_definition():
    schema = load_sql("CREATE TABLE t (id int UNIQUE); CREATE TABLE IF NOT EXISTS t (id int UNIQUE, x int);"
                      "CREATE SEQUENCE s; CREATE SEQUENCE IF NOT EXISTS s START 5;"
                      "CREATE INDEX i ON t (id); CREATE INDEX IF NOT EXISTS i ON t (id DESC)")
    assert [c.name for c in schema.tables["t"].columns] == ["id"]
    assert set(schema.constraints) == {"t.t_id_key"}
    assert schema.sequences["s"].options.start is None
    assert not schema.indexes["i"].elements[0].descending


def test_drop_and_data_statements():
    schema = load_sql("DROP TABLE IF EXISTS t CASCADE; CREATE TABLE t (id serial PRIMARY KEY);"
                      "INSERT INTO t DEFAULT VALUES; CREATE TABLE gone (id serial PRIMARY KEY);"
                      "CREATE INDEX ON gone (id); DROP TABLE gone; DROP FUNCTION IF EXISTS f(int);")
    assert list(schema.tables) == ["t"] and list(schema.sequences) == ["t_id_seq"]
    assert list(schema.constraints) == ["t.t_pkey"] and not schema.indexes


def test_database_wide_objects_of_a_full_pg_dump_are_skipped(tmp_path):
    """Publications, subscriptions, event triggers and casts belong to the database, not to the
    schema a plan manages: a full pg_dump that holds them still loads."""
    from pgschema_tui.parse import load_files

    path = tmp_path / "full.sql"
    path.write_text("CREATE TABLE t (a integer);\nCREATE PUBLICATION pub FOR ALL TABLES;\n"
                    "COMMENT ON PUBLICATION pub IS 'all';\n"
                    "CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION f();\n"
                    "COMMENT ON EVENT TRIGGER et IS 'x';\nCREATE CAST (text AS integer) WITH INOUT;\n")
    assert set(load_files(path, "public").tables) == {"t"}

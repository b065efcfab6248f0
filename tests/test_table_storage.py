"""Column storage and compression, table access methods, and CREATE TABLE ... LIKE.

Parity of the parser with the server is covered by testdata/schemas/table_storage and
testdata/parse/create_table_like; here: what each loader records, plans from old to new
applied on a real server (then an empty re-plan), dumps that reload, and the errors.
"""
from __future__ import annotations

import pytest

from conftest import requires_pg
from pgschema_tui.desired import load_desired
from pgschema_tui.dump import render_dump
from pgschema_tui.errors import UnsupportedError, UserError
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql

from test_parity import conninfo, schema_diff
from test_plan_helpers import differences, inspect, run_plan

# An access method other than heap, as a stock server can have one: heap's handler under a new name.
HEAP2 = "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;"


def _statements(plan) -> list[str]:
    return [step.sql for group in plan.groups for step in group.steps]


def _migrate(settings, desired_sql: str):
    """Plan the database at `settings` to the parsed `desired_sql`, run it, check the re-plan is empty."""
    desired = load_sql(desired_sql)
    plan = build_plan(inspect(settings), desired)
    with settings.connect() as conn:
        run_plan(conn, plan)
    migrated = inspect(settings)
    replan = build_plan(migrated, desired)
    assert replan.is_empty, "re-plan not empty:\n" + render_sql(replan) + "\nfirst plan:\n" + render_sql(plan)
    assert [d for d in differences(migrated, desired) if not d.startswith("schema comment")] == []
    return plan, migrated


# ------------------------------------------------------------------ storage ---


def test_parser_records_storage_only_when_not_the_type_default():
    schema = load_sql("""
        CREATE DOMAIN amount AS numeric;
        CREATE TYPE mood AS ENUM ('ok');
        CREATE TABLE t (a text STORAGE EXTERNAL, b text STORAGE EXTENDED, c integer STORAGE PLAIN,
                        d numeric STORAGE MAIN, e numeric STORAGE EXTENDED, f amount STORAGE MAIN,
                        g text[] STORAGE main, h mood STORAGE PLAIN, i text STORAGE DEFAULT,
                        j varchar(3) COMPRESSION pglz, k text COMPRESSION default);
        ALTER TABLE t ALTER COLUMN b SET STORAGE PLAIN, ALTER COLUMN a SET COMPRESSION lz4;
    """)
    got = {c.name: (c.storage, c.compression) for c in schema.tables["t"].columns}
    assert got == {"a": ("EXTERNAL", "lz4"), "b": ("PLAIN", None), "c": (None, None), "d": (None, None),
                   "e": ("EXTENDED", None), "f": (None, None), "g": ("MAIN", None), "h": (None, None),
                   "i": (None, None), "j": (None, "pglz"), "k": (None, None)}


def test_new_type_resets_storage_and_compression_in_parser():
    schema = load_sql("CREATE TABLE t (a varchar(5) COMPRESSION pglz);\n"
                      "ALTER TABLE t ALTER COLUMN a SET STORAGE MAIN;\nALTER TABLE t ALTER COLUMN a TYPE text;")
    column = schema.tables["t"].column("a")
    assert (column.storage, column.compression) == (None, None)


@requires_pg(16, "STORAGE in a column definition is PostgreSQL 16 syntax")
def test_inline_storage_matches_the_server(tmp_path, db):
    path = tmp_path / "schema.sql"
    path.write_text("CREATE TABLE t (a text STORAGE EXTERNAL COMPRESSION pglz, b numeric STORAGE MAIN,"
                    " c bytea STORAGE PLAIN);\nALTER TABLE t ADD COLUMN d text STORAGE MAIN;\n"
                    "ALTER TABLE t ALTER COLUMN c SET STORAGE DEFAULT;\n")
    from pgschema_tui.parse import load_files

    parsed, applied = load_files(path), load_desired(path, "public", plan_db=conninfo(db))
    assert schema_diff(parsed, applied) == []
    assert [(c.name, c.storage) for c in applied.tables["t"].columns] == [
        ("a", "EXTERNAL"), ("b", None), ("c", None), ("d", "MAIN")]


def test_inspection_reads_storage_and_compression(db, conn):
    conn.execute("CREATE TABLE t (a text COMPRESSION pglz, b numeric, c integer, d text);"
                 "ALTER TABLE t ALTER COLUMN a SET STORAGE EXTERNAL, ALTER COLUMN b SET STORAGE EXTENDED,"
                 " ALTER COLUMN d SET STORAGE EXTENDED")
    columns = {c.name: (c.storage, c.compression) for c in inspect(db).tables["t"].columns}
    assert columns == {"a": ("EXTERNAL", "pglz"), "b": ("EXTENDED", None), "c": (None, None), "d": (None, None)}


def test_storage_and_compression_migrate(db, conn):
    conn.execute("CREATE TABLE docs (id integer, body text, summary text COMPRESSION pglz, code varchar(9));"
                 "ALTER TABLE docs ALTER COLUMN summary SET STORAGE EXTERNAL, ALTER COLUMN code SET STORAGE MAIN;"
                 "INSERT INTO docs VALUES (1, 'b', 's', 'c')")
    plan, migrated = _migrate(db, """
        CREATE TABLE docs (id integer, body text COMPRESSION pglz, summary text, code text COMPRESSION pglz,
                           extra bytea COMPRESSION pglz);
        ALTER TABLE docs ALTER COLUMN body SET STORAGE MAIN, ALTER COLUMN code SET STORAGE MAIN,
                         ALTER COLUMN extra SET STORAGE EXTERNAL;
    """)
    sql = "\n".join(_statements(plan))
    assert 'ALTER TABLE docs ALTER COLUMN body SET STORAGE MAIN;' in sql
    assert 'ALTER TABLE docs ALTER COLUMN body SET COMPRESSION pglz;' in sql
    assert 'ALTER TABLE docs ALTER COLUMN summary SET STORAGE EXTENDED;' in sql  # back to text's default
    assert 'ALTER TABLE docs ALTER COLUMN summary SET COMPRESSION default;' in sql
    # the new type resets both, so they are set again after ALTER COLUMN TYPE
    assert sql.index("ALTER COLUMN code TYPE text") < sql.index("ALTER COLUMN code SET STORAGE MAIN")
    assert "ADD COLUMN extra bytea COMPRESSION pglz;" in sql
    assert "ALTER TABLE docs ALTER COLUMN extra SET STORAGE EXTERNAL;" in sql
    code = migrated.tables["docs"].column("code")
    assert (code.type, code.storage, code.compression) == ("text", "MAIN", "pglz")
    assert conn.execute("SELECT count(*) FROM docs").fetchone()[0] == 1


def test_storage_is_set_after_create_table_and_dump_reloads(db, conn, pg_server):
    conn.execute("CREATE TABLE t (id integer, body text COMPRESSION pglz, n numeric);"
                 "ALTER TABLE t ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN n SET STORAGE EXTENDED")
    source = inspect(db)
    dump = render_dump(source)
    assert "body text COMPRESSION pglz" in dump
    assert "ALTER TABLE t ALTER COLUMN body SET STORAGE EXTERNAL;" in dump
    assert "ALTER TABLE t ALTER COLUMN n SET STORAGE EXTENDED;" in dump
    target = pg_server.create_database()
    try:
        with target.connect() as other:
            other.execute(dump)
        assert differences(inspect(target), source) == []
    finally:
        pg_server.drop_database(target.db)


# ------------------------------------------------------------ access method ---


def test_explicit_heap_is_no_access_method(db, conn):
    conn.execute("CREATE TABLE t (id integer)")
    schema = load_sql("CREATE TABLE t (id integer) USING heap;\nCREATE TABLE u (id integer);\n"
                      "ALTER TABLE u SET ACCESS METHOD heap;")
    assert schema.tables["t"].access_method is None and schema.tables["u"].access_method is None
    plan = build_plan(inspect(db), load_sql("CREATE TABLE t (id integer) USING heap;"))
    assert plan.is_empty, render_sql(plan)


@requires_pg(15, "ALTER TABLE ... SET ACCESS METHOD is PostgreSQL 15")
def test_access_method_end_to_end(db, conn, pg_server):
    conn.execute(HEAP2 + "CREATE TABLE moved (id integer PRIMARY KEY); INSERT INTO moved VALUES (1), (2);")
    desired = "CREATE TABLE moved (id integer PRIMARY KEY) USING heap2;\nCREATE TABLE fresh (id integer) USING heap2;\n"
    assert load_sql(desired).tables["moved"].access_method == "heap2"
    plan, migrated = _migrate(db, desired)
    statements = _statements(plan)
    assert "ALTER TABLE moved SET ACCESS METHOD heap2;" in statements
    assert any(s.startswith("CREATE TABLE fresh") and s.rstrip(";").endswith("USING heap2") for s in statements)
    rewrite = [h for g in plan.groups for s in g.steps for h in s.hazards if h.type == "table_rewrite"]
    assert [h.relation for h in rewrite] == ["public.moved"]
    assert migrated.tables["moved"].access_method == migrated.tables["fresh"].access_method == "heap2"
    assert conn.execute("SELECT amname FROM pg_class JOIN pg_am ON pg_am.oid = relam WHERE relname = 'moved'"
                        ).fetchone()[0] == "heap2"
    # the dump names it and reloads (where the access method exists)
    dump = render_dump(migrated)
    assert "USING heap2" in dump
    target = pg_server.create_database()
    try:
        with target.connect() as other:
            other.execute(HEAP2)
            other.execute(dump)
        assert differences(inspect(target), migrated) == []
    finally:
        pg_server.drop_database(target.db)
    # and back to the default
    plan, migrated = _migrate(db, "CREATE TABLE moved (id integer PRIMARY KEY);\nCREATE TABLE fresh (id integer);\n")
    assert "ALTER TABLE moved SET ACCESS METHOD heap;" in _statements(plan)
    assert migrated.tables["moved"].access_method is None
    assert conn.execute("SELECT count(*) FROM moved").fetchone()[0] == 2


# --------------------------------------------------------------------- LIKE ---

SOURCE = """
CREATE TABLE src (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    n numeric CONSTRAINT positive CHECK (n > 0),
    body text COMPRESSION pglz
);
ALTER TABLE src ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX ON src (lower(email));
COMMENT ON COLUMN src.email IS 'mail';
"""


def test_like_copies_per_option():
    schema = load_sql(SOURCE + "CREATE TABLE bare (LIKE src);\n"
                      "CREATE TABLE full_copy (LIKE src INCLUDING ALL EXCLUDING COMMENTS);\n")
    bare = schema.tables["bare"]
    assert [(c.name, c.type, c.not_null, c.default, c.storage, c.compression, c.comment) for c in bare.columns] == [
        ("id", "integer", True, None, None, None, None), ("email", "text", True, None, None, None, None),
        ("n", "numeric", False, None, None, None, None), ("body", "text", False, None, None, None, None)]
    assert not [k for k in schema.constraints if k.startswith("bare.")]
    copy = schema.tables["full_copy"]
    assert copy.column("id").default.text == "nextval('src_id_seq'::regclass)"
    assert (copy.column("body").storage, copy.column("body").compression) == ("EXTERNAL", "pglz")
    assert copy.column("email").comment is None
    assert sorted(k for k in schema.constraints if k.startswith("full_copy.")) == [
        "full_copy.full_copy_email_key", "full_copy.full_copy_pkey", "full_copy.positive"]
    assert "full_copy_lower_idx" in schema.indexes


def test_like_source_may_come_later_in_the_files():
    later = load_sql("CREATE TABLE dst (LIKE src INCLUDING ALL);\n" + SOURCE)
    earlier = load_sql(SOURCE + "CREATE TABLE dst (LIKE src INCLUDING ALL);\n")
    assert schema_diff(later, earlier) == []


def test_like_of_a_table_not_in_the_files_names_it():
    with pytest.raises(UserError, match=r"^<sql>:1:1: table missing, which LIKE copies in table dst .*--plan-db"):
        load_sql("CREATE TABLE dst (LIKE missing);")
    with pytest.raises(UnsupportedError, match=r"table dst: LIKE other\.t \(a table outside the desired files\).*"
                                              r"--plan-db"):
        load_sql("CREATE TABLE dst (LIKE other.t);")
    with pytest.raises(UnsupportedError, match=r"LIKE v \(only tables can be copied\)"):
        load_sql("CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t;\nCREATE TABLE dst (LIKE v);")


def test_like_table_migrates(db, conn):
    conn.execute(SOURCE)
    plan, migrated = _migrate(db, SOURCE + "CREATE TABLE dst (x integer, LIKE src INCLUDING ALL, y integer);\n")
    assert any(s.startswith("CREATE TABLE dst") for s in _statements(plan))
    dst = migrated.tables["dst"]
    assert [c.name for c in dst.columns] == ["x", "id", "email", "n", "body", "y"]
    assert (dst.column("body").storage, dst.column("email").comment) == ("EXTERNAL", "mail")
    assert {"dst.dst_pkey", "dst.dst_email_key", "dst.positive"} <= set(migrated.constraints)
    assert "dst_lower_idx" in migrated.indexes

"""Names the desired files use that exist nowhere fail at plan time (file:line:col, exit 1), not at apply.

Known names come from the files themselves, the live database (an unqualified name in a schema of the
session's search_path: an extension's type installed beside the application's schema counts) and the
built-ins; unknown ones are an error.
"""
from __future__ import annotations

import pytest

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main


def _plan(db, tmp_path, sql: str, *extra: str) -> tuple[int, str]:
    main_sql = tmp_path / "main.sql"
    main_sql.write_text(sql)
    code = main(["plan", "--file", str(main_sql), *cli_flags(db), *extra])
    return code


@pytest.mark.parametrize("sql, where, what", [
    ("CREATE TABLE ok (id int);\nCREATE TABLE bad (a nosuchtype);\n", "main.sql:2:21", "type nosuchtype"),
    ("CREATE TABLE bad (id int,\n  a int DEFAULT '1'::nosuchtype);\n", "main.sql:2:22", "type nosuchtype"),
    ("CREATE FUNCTION f(x nosucharg) RETURNS int LANGUAGE sql AS 'SELECT 1';\n", "main.sql:1:21",
     "type nosucharg"),
    ("CREATE FUNCTION f() RETURNS nosuchret LANGUAGE sql AS 'SELECT 1';\n", "main.sql:1:29", "type nosuchret"),
    ("CREATE DOMAIN d AS nosuchbase;\n", "main.sql:1:20", "type nosuchbase"),
    ("CREATE TABLE t (id int, b elsewhere.t2);\n", "main.sql:1:27", "type elsewhere.t2"),
    ("CREATE TABLE t (id int DEFAULT nosuchfn());\n", "main.sql:1:32", "function nosuchfn"),
    ("CREATE TABLE t (id int REFERENCES nosuchtable (id));\n", "main.sql:1:35", "relation nosuchtable"),
    ("CREATE VIEW v AS\n  SELECT id FROM nosuchview;\n", "main.sql:2:18", "relation nosuchview"),
    ("CREATE TABLE t (id int);\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION nosuchtrig();\n",
     "main.sql:2:1", "function nosuchtrig"),
])
def test_unknown_name_is_an_error_at_plan_time(sql, where, what, db, conn, tmp_path, capsys):
    run_sql(db, "CREATE SCHEMA elsewhere;")
    code = _plan(db, tmp_path, sql)
    err = capsys.readouterr().err.strip()
    assert code == 1, err
    assert err.startswith(f"Error: {where}: {what} does not exist"), err
    # apply --file refuses it the same way, before anything runs
    main_sql = tmp_path / "main.sql"
    assert main(["apply", "--auto-approve", "--file", str(main_sql), *cli_flags(db)]) == 1
    assert conn.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace").fetchone()[0] == 0


def test_known_names_from_the_files_the_database_and_the_built_ins(db, tmp_path, capsys):
    run_sql(db, """
        CREATE SCHEMA ext;
        CREATE TYPE ext.mood AS ENUM ('ok');
        CREATE FUNCTION ext.plus(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1';
        CREATE TABLE ext.ref (id int PRIMARY KEY);
    """)
    sql = """
        CREATE TYPE later_used AS (a int);
        CREATE TABLE t (
            id serial PRIMARY KEY, b bigserial, c character varying(3), d double precision, e "char",
            f timestamptz, g int[], h _int4, i later_used, j ext.mood, k mood, l interval day to second,
            m text DEFAULT lower('X') CHECK (length(m) > 0), n int DEFAULT ext.plus(1),
            o int REFERENCES ext.ref (id), p t2, q numeric(10, 2) DEFAULT extract(epoch from now()),
            r _later_used
        );
        CREATE TABLE t2 (id int);
        CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
        CREATE VIEW v AS WITH w AS (SELECT 1 AS one) SELECT w.one, t.id FROM w, t, generate_series(1, 2) g;
        CREATE AGGREGATE agg(int) (sfunc = int4pl, stype = int);
        CREATE INDEX t_lower ON t (lower(m));
        CREATE DOMAIN pos AS int CHECK (VALUE > 0);
        CREATE TABLE u (x pos, y t%ROWTYPE);
    """.replace("CREATE TABLE u (x pos, y t%ROWTYPE);", "CREATE TABLE u (x pos, y t);")
    # `mood` unqualified lives in schema ext only: found when the session's search_path reaches it
    code = _plan(db, tmp_path, sql, "--search-path", "public, ext")
    err = capsys.readouterr().err
    assert code == 0, err
    assert "does not exist" not in err
    # and an error where it does not (the default `"$user", public`): the apply would fail on it
    assert _plan(db, tmp_path, sql) == 1
    assert ("main.sql:5:74: type mood does not exist on the search_path: the files do not create it, and the "
            "database has it only in schema ext (see --search-path)") in capsys.readouterr().err


def test_all_unknown_names_are_counted_in_the_one_message(db, tmp_path, capsys):
    code = _plan(db, tmp_path, "CREATE TABLE t (a nosuch1, b nosuch2, c int DEFAULT nofn());\n")
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err == ("Error: main.sql:1:19: type nosuch1 does not exist: the files do not create it, and the database "
                   "does not have it (also unknown: type nosuch2 (main.sql:1:30), function nofn (main.sql:1:53))")

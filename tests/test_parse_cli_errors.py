"""`plan --file` with broken desired files: one clear line on stderr, exit 1, database untouched."""
from __future__ import annotations

from conftest import cli_flags as _flags
from pgschema_tui.cli import main


def test_syntax_error_through_an_include(tmp_path, db, conn, capsys):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "users.sql").write_text("CREATE TABLE users (\n    id int PRIMARY KEY\n    name text\n);\n")
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("-- desired state\n\\i tables/users.sql\n")
    code = main(["plan", "--file", str(main_sql), *_flags(db)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == 'Error: tables/users.sql:3:5: syntax error: at or near "name"'
    assert conn.execute("SELECT count(*) FROM pg_class WHERE relname = 'users'").fetchone()[0] == 0


def test_unknown_include(tmp_path, db, capsys):
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("CREATE TABLE a (id int);\n\\i nowhere.sql\n")
    assert main(["plan", "--file", str(main_sql), *_flags(db)]) == 1
    assert capsys.readouterr().err.strip() == "Error: main.sql:2:1: file not found: nowhere.sql"


def test_unsupported_construct_suggests_plan_db(tmp_path, db, capsys):
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("CREATE TABLE a (id int);\nCREATE CONVERSION c FOR 'UTF8' TO 'LATIN1' FROM utf8_to_iso8859_1;\n")
    assert main(["plan", "--file", str(main_sql), *_flags(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Error: main.sql:2:1: CREATE CONVERSION c FOR 'UTF8' TO 'LATIN1' FROM utf8_to_iso8: "
                          "statement CreateConversionStmt")
    assert "--plan-db" in err


def test_plan_db_gives_the_same_plan(tmp_path, db, capsys):
    from psycopg.conninfo import make_conninfo

    main_sql = tmp_path / "main.sql"
    main_sql.write_text("CREATE TABLE items (id serial PRIMARY KEY, kind varchar(5) CHECK (kind IN ('a', 'b')));\n")
    assert main(["plan", "--file", str(main_sql), "--output-sql", "stdout", *_flags(db)]) == 0
    parsed_plan = capsys.readouterr().out
    plan_db = make_conninfo(**db.kwargs())
    assert main(["plan", "--file", str(main_sql), "--output-sql", "stdout", "--plan-db", plan_db, *_flags(db)]) == 0
    applied_plan = capsys.readouterr().out

    def shape(plan: str) -> list[str]:  # the same steps; expressions keep each loader's spelling
        return [line.split(" CHECK ")[0] for line in plan.splitlines()]

    assert shape(applied_plan) == shape(parsed_plan)
    assert "CREATE TABLE items" in parsed_plan

"""Desired files whose bytes are not plain UTF-8 SQL: a NUL byte, a byte-order mark, invalid UTF-8.

psql strips a UTF-8 byte-order mark at the start of each file it reads (also through `\\i`), so the
tool does too; a NUL byte would cut the text short for the C parser and silently drop what follows,
so it is an error naming file:line:col, before anything touches the database.
"""
from __future__ import annotations

import subprocess

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main

BOM = b"\xef\xbb\xbf"


def _tables(conn) -> set[str]:
    return {name for (name,) in conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'")}


def test_nul_byte_is_rejected_before_the_database_is_touched(tmp_path, db, conn, capsys):
    run_sql(db, "CREATE TABLE a (id int); CREATE TABLE b (id int); INSERT INTO b VALUES (1);")
    main_sql = tmp_path / "main.sql"
    main_sql.write_bytes(b"CREATE TABLE a (id int);\n-- x\x00\nCREATE TABLE b (id int);\n")
    for command in (["plan"], ["apply", "--auto-approve"]):
        code = main([*command, "--file", str(main_sql), *cli_flags(db)])
        err = capsys.readouterr().err.strip()
        assert code == 1, err
        assert err == "Error: main.sql:2:5: NUL byte in the file (psql would cut the text here); remove it"
    assert _tables(conn) == {"a", "b"}
    assert conn.execute("SELECT count(*) FROM b").fetchone()[0] == 1


def test_nul_byte_in_an_included_file(tmp_path, db, capsys):
    (tmp_path / "t.sql").write_bytes(b"CREATE TABLE a (\n  id int\x00\n);\n")
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("\\i t.sql\n")
    assert main(["plan", "--file", str(main_sql), *cli_flags(db)]) == 1
    assert capsys.readouterr().err.strip().startswith("Error: t.sql:2:9: NUL byte in the file")


def test_byte_order_mark_loads_as_psql_loads_it(pg_server, tmp_path, db, second_db, conn, capsys):
    (tmp_path / "t.sql").write_bytes(BOM + b"CREATE TABLE t (id int);\n")
    main_sql = tmp_path / "main.sql"
    main_sql.write_bytes(BOM + b"CREATE TABLE m (id int);\n\\i t.sql\n")
    # psql accepts it: the reference
    psql = [pg_server.tool("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-h", second_db.host, "-p", str(second_db.port),
            "-U", second_db.user or "postgres", "-d", second_db.db, "-f", str(main_sql)]
    subprocess.run(psql, check=True, capture_output=True, cwd=tmp_path)
    with second_db.connect() as other:
        assert _tables(other) == {"m", "t"}
    assert main(["apply", "--auto-approve", "--file", str(main_sql), *cli_flags(db)]) == 0, capsys.readouterr().err
    assert _tables(conn) == {"m", "t"}
    capsys.readouterr()
    assert main(["plan", "--detailed-exitcode", "--file", str(main_sql), *cli_flags(db)]) == 0
    # the plan against the database psql loaded is empty too
    assert main(["plan", "--detailed-exitcode", "--file", str(main_sql), *cli_flags(second_db)]) == 0


def test_byte_order_mark_inside_a_file_is_a_syntax_error_as_in_psql(tmp_path, db, capsys):
    main_sql = tmp_path / "main.sql"
    main_sql.write_bytes(b"CREATE TABLE m (id int);\n" + BOM + b"CREATE TABLE n (id int);\n")
    assert main(["plan", "--file", str(main_sql), *cli_flags(db)]) == 1
    assert capsys.readouterr().err.strip().startswith("Error: main.sql:2:1: syntax error")


def test_invalid_utf8_names_file_and_line(tmp_path, db, capsys):
    main_sql = tmp_path / "main.sql"
    main_sql.write_bytes(b"CREATE TABLE m (id int);\nCOMMENT ON TABLE m IS 'caf\xe9';\n")
    assert main(["plan", "--file", str(main_sql), *cli_flags(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == ("Error: main.sql:2:27: the file is not valid UTF-8 (byte 0xe9); "
                   "save it as UTF-8 (the tool reads desired files as UTF-8)")

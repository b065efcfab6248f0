"""Nothing in the desired files is skipped silently: each statement the plan leaves out gets one
warning with its file:line:col, through the CLI, with both loaders."""
from __future__ import annotations

import re

import pytest
from psycopg.conninfo import make_conninfo

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main

FILE = """\
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TABLE t (id int PRIMARY KEY);
CREATE SEQUENCE s;
INSERT INTO t VALUES (1);
UPDATE t SET id = 2;
DELETE FROM t;
SELECT pg_catalog.setval('s', 42, true);
SELECT now();
CREATE ROLE skipped_role_x;
\\connect other
\\set ON_ERROR_STOP on
CALL p();
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'r2') THEN CREATE ROLE r2; END IF; END $$;
CREATE TABLE elsewhere.x (id int);
CREATE INDEX x_id ON elsewhere.x (id);
COMMENT ON TABLE elsewhere.x IS 'x';
GRANT SELECT ON elsewhere.x TO PUBLIC;
ALTER TABLE t OWNER TO postgres;
"""

EXPECTED = [  # (line, what) of each warning, in file order (meta-commands first)
    (11, "\\connect"), (12, "\\set"),
    (5, "INSERT"), (6, "UPDATE"), (7, "DELETE"), (8, "SELECT setval"), (9, "SELECT"),
    (10, "CREATE ROLE"), (13, "CALL"), (14, "DO"),
    (17, "COMMENT ON elsewhere"), (18, "GRANT elsewhere"), (19, "OWNER TO"),
]


def _warnings(err: str) -> list[tuple[int, str]]:
    out = []
    for line in err.splitlines():
        m = re.match(r"Warning: main\.sql:(\d+):\d+: (.+?) skipped: ", line)
        if m:
            out.append((int(m.group(1)), m.group(2)))
    return out


@pytest.mark.parametrize("loader", ["parser", "plan-db"])
def test_every_skipped_statement_is_named_once(loader, db, tmp_path, capsys):
    run_sql(db, "CREATE SCHEMA elsewhere; CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';")
    main_sql = tmp_path / "main.sql"
    main_sql.write_text(FILE)
    extra = ["--plan-db", make_conninfo(**db.kwargs())] if loader == "plan-db" else []
    code = main(["plan", "--detailed-exitcode", "--file", str(main_sql), *extra, *cli_flags(db)])
    captured = capsys.readouterr()
    assert code == 2, captured.err  # the plan itself goes on: table and sequence to create
    assert _warnings(captured.err) == EXPECTED, captured.err
    # objects created in another schema are named, once each, by the target-schema check
    for line, what in ((15, "elsewhere.x"), (16, "elsewhere.x")):
        assert captured.err.count(f"Warning: main.sql:{line}:1: {what} is created in schema 'elsewhere'") == 1, \
            captured.err
    assert "CREATE TABLE t" in captured.out


def test_many_statements_of_one_kind_are_counted(db, tmp_path, capsys):
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("CREATE TABLE t (id int);\n" + "".join(f"INSERT INTO t VALUES ({i});\n" for i in range(10)))
    assert main(["plan", "--file", str(main_sql), *cli_flags(db)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == ["Warning: main.sql:2:1: INSERT skipped: rows are data, not schema: plans never run it",
                   "Warning: main.sql:3:1: INSERT skipped: rows are data, not schema: plans never run it",
                   "Warning: main.sql:4:1: INSERT skipped: rows are data, not schema: plans never run it",
                   "Warning: and 7 more INSERT statements skipped for the same reason (the last at main.sql:11:1)"]


def test_pg_dump_session_lines_are_read_quietly(db, tmp_path, capsys):
    main_sql = tmp_path / "main.sql"
    main_sql.write_text("\\restrict abc\nSET client_encoding = 'UTF8';\nSELECT pg_catalog.set_config('search_path', '', "
                        "false);\nBEGIN;\nCREATE SCHEMA public;\nCREATE TABLE t (id int);\nCOMMIT;\n\\unrestrict abc\n")
    run_sql(db, "CREATE TABLE t (id int);")
    assert main(["plan", "--detailed-exitcode", "--file", str(main_sql), *cli_flags(db)]) == 0
    assert capsys.readouterr().err == ""

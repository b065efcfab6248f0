"""Object names are untrusted: a name holding a newline must never end a comment the tool writes.

pg_dump has neutralised newlines in its comment headers since CVE-2012-0868: a table called
`"z<newline>ALTER ROLE lowpriv SUPERUSER;<newline>--"` would otherwise put a real statement after
`-- Name: z`, and whoever loads the dump (often a superuser) runs it. The same goes for carriage
returns (the server's lexer ends a `--` comment at either), for the plan's SQL and human output,
and for the multi-file dump's file names (no path may leave the dump folder).
"""
from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main


def _psql(pg_server, settings, path: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [pg_server.tool("psql"), "-X", "-q", "-h", settings.host, "-p", str(settings.port),
         "-U", settings.user or "postgres", "-d", settings.db, "-f", str(path)],
        capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def lowpriv(pg_server):
    name = f"lowpriv_{uuid.uuid4().hex[:8]}"
    with pg_server.admin.connect() as c:
        c.execute(f"CREATE ROLE {name} NOSUPERUSER")
    yield name
    with pg_server.admin.connect() as c:
        c.execute(f"DROP ROLE IF EXISTS {name}")


def _hostile_schema(role: str) -> str:
    return f"""
CREATE TABLE "z
ALTER ROLE {role} SUPERUSER;
--" (id int PRIMARY KEY);
CREATE TABLE "cr\rCREATE TABLE injected_cr (a int);\r--" (id int);
CREATE TABLE "a*/b" (id int);
CREATE TABLE "/* c--d" (id int);
CREATE TABLE "../../../evil" (id int);
CREATE TABLE "x/y" (id int);
CREATE INDEX "i
CREATE TABLE injected_index (a int);
--" ON "a*/b" (id);
CREATE FUNCTION "f
CREATE TABLE injected_function (a int);
--"() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE VIEW "v
CREATE TABLE injected_view (a int);
--" AS SELECT 1 AS one;
COMMENT ON TABLE "a*/b" IS 'x
CREATE TABLE injected_comment (a int);';
"""


def _is_superuser(pg_server, role: str) -> bool:
    with pg_server.admin.connect() as c:
        return c.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (role,)).fetchone()[0]


def _injected(settings) -> list[str]:
    with settings.connect() as c:
        return [r[0] for r in c.execute("SELECT relname FROM pg_class WHERE relname LIKE 'injected%'")]


def _comment_lines_are_single(text: str) -> None:
    """Every line the tool wrote as a comment stays one line: no CR anywhere outside SQL literals
    would still be a line break to the server, so none may follow `--` on the same line."""
    for line in text.split("\n"):
        if line.lstrip().startswith("--"):
            assert "\r" not in line, repr(line)


def test_single_file_dump_runs_no_injected_statement(pg_server, db, second_db, lowpriv, tmp_path, capsys):
    run_sql(db, _hostile_schema(lowpriv))
    dump = tmp_path / "dump.sql"
    assert main(["dump", "--file", str(dump), *cli_flags(db)]) == 0, capsys.readouterr().err
    text = dump.read_bytes().decode()
    _comment_lines_are_single(text)
    loaded = _psql(pg_server, second_db, dump, tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "ERROR" not in loaded.stderr, loaded.stderr
    assert not _is_superuser(pg_server, lowpriv)
    assert _injected(second_db) == []
    # the dump still converges: planned against what it loaded into, nothing to do
    capsys.readouterr()
    code = main(["plan", "--detailed-exitcode", "--file", str(dump), *cli_flags(second_db)])
    assert code == 0, capsys.readouterr().out


def test_multi_file_dump_runs_no_injected_statement_and_stays_in_its_folder(pg_server, db, second_db, lowpriv,
                                                                            tmp_path, capsys):
    run_sql(db, _hostile_schema(lowpriv))
    root = tmp_path / "out"
    main_sql = root / "main.sql"
    assert main(["dump", "--multi-file", "--file", str(main_sql), *cli_flags(db)]) == 0, capsys.readouterr().err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    for path in written:
        assert path.resolve().is_relative_to(root.resolve()), path
        assert "\n" not in path.name and "\r" not in path.name
        _comment_lines_are_single(path.read_bytes().decode())
    assert not (tmp_path / "evil.sql").exists()
    loaded = _psql(pg_server, second_db, main_sql, root)
    assert loaded.returncode == 0, loaded.stderr
    assert "ERROR" not in loaded.stderr, loaded.stderr
    assert not _is_superuser(pg_server, lowpriv)
    assert _injected(second_db) == []
    capsys.readouterr()
    code = main(["plan", "--detailed-exitcode", "--file", str(main_sql), *cli_flags(second_db)])
    assert code == 0, capsys.readouterr().out


def test_plan_sql_and_human_output_keep_names_inside_their_comments(pg_server, db, tmp_path, capsys):
    run_sql(db, 'CREATE TABLE t (id int); INSERT INTO t VALUES (1);')
    desired = tmp_path / "desired.sql"
    desired.write_text('CREATE TABLE t (id int);\n'
                       'CREATE INDEX "i\nCREATE TABLE injected_plan (a int);\n--" ON t (id);\n'
                       'CREATE INDEX "j\rCREATE TABLE injected_plan_cr (a int);\r--" ON t (id);\n')
    plan_sql = tmp_path / "plan.sql"
    human = tmp_path / "plan.txt"
    assert main(["plan", "--file", str(desired), "--output-sql", str(plan_sql), "--output-human", str(human),
                 *cli_flags(db)]) == 0, capsys.readouterr().err
    sql_text = plan_sql.read_bytes().decode()
    assert "-- pgschema-tui:wait" in sql_text  # the online build writes a comment with the index name
    _comment_lines_are_single(sql_text)
    loaded = _psql(pg_server, db, plan_sql, tmp_path)
    assert loaded.returncode == 0 and "ERROR" not in loaded.stderr, loaded.stderr
    assert _injected(db) == []
    with db.connect() as c:  # the real statements did run
        assert c.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 't'").fetchone()[0] == 2
    human_text = human.read_bytes().decode()
    objects, _, ddl = human_text.partition("DDL to be executed:")
    assert not [line for line in objects.splitlines() if "injected" in line and "\\n" not in line and "\\r" not in line], objects
    # the statements hold the names as they are (a quoted identifier may hold a newline), so the
    # human DDL has exactly the lines the SQL output has that start with the injected text, and
    # its comment lines add none
    def starts(text: str) -> int:
        return sum(1 for line in text.split("\n") if line.startswith("CREATE TABLE injected"))

    assert starts(ddl) == starts(sql_text)
    _comment_lines_are_single(human_text)
    assert "i\\nCREATE TABLE injected_plan" in objects  # the object list shows the name escaped

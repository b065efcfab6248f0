"""Issue 10: what a desired file may hold that the tool does not manage is said, with file:line,
never silent and never a refusal of the whole file:

- text search parsers and templates (C functions; not modelled): the plan warns and leaves them
  alone, the dump of a schema holding one says it is not dumped;
- IMPORT FOREIGN SCHEMA: its result depends on a remote server, so no plan runs it (neither
  loader: `--plan-db` would need the remote server too); the warning says to declare the
  foreign tables instead.
"""
from __future__ import annotations

import subprocess
import sys

from conftest import cli_flags, run_sql

FILE = """CREATE TABLE t (id integer);
CREATE TEXT SEARCH TEMPLATE my_tmpl (LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH PARSER my_parser (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
    LEXTYPES = prsd_lextype);
COMMENT ON TEXT SEARCH PARSER my_parser IS 'mine';
COMMENT ON TEXT SEARCH TEMPLATE my_tmpl IS 'mine';
CREATE FOREIGN DATA WRAPPER k3_fdw;
CREATE SERVER k3_remote FOREIGN DATA WRAPPER k3_fdw;
IMPORT FOREIGN SCHEMA remote_app FROM SERVER k3_remote INTO public;
"""


def cli(db, cwd, *args: str) -> subprocess.CompletedProcess:
    command, *rest = args
    return subprocess.run([sys.executable, "-m", "pgschema_tui", command, *cli_flags(db), "--no-color", *rest],
                          capture_output=True, text=True, timeout=180, cwd=cwd)


def _assert_warned(stderr: str) -> None:
    lines = stderr.splitlines()

    def line_for(where: str, what: str) -> str:
        found = [ln for ln in lines if f"schema.sql:{where}" in ln and what in ln]
        assert found, f"no warning at schema.sql:{where} naming {what!r}:\n{stderr}"
        return found[0]

    assert "not managed" in line_for("2:1", "CREATE TEXT SEARCH TEMPLATE my_tmpl")
    assert "not managed" in line_for("3:1", "CREATE TEXT SEARCH PARSER my_parser")
    line_for("5:1", "COMMENT ON TEXT SEARCH PARSER my_parser")
    line_for("6:1", "COMMENT ON TEXT SEARCH TEMPLATE my_tmpl")
    assert "remote server" in line_for("9:1", "IMPORT FOREIGN SCHEMA remote_app")


def test_plan_warns_with_file_and_line(db, tmp_path):
    (tmp_path / "schema.sql").write_text(FILE)
    r = cli(db, tmp_path, "plan", "--file", "schema.sql")
    assert r.returncode == 0, r.stdout + r.stderr
    _assert_warned(r.stderr)
    assert "CREATE TABLE t" in r.stdout and "my_tmpl" not in r.stdout and "remote_app" not in r.stdout


def test_plan_db_loader_warns_and_does_not_import(db, second_db, tmp_path):
    """--plan-db runs the files in a scratch schema: IMPORT FOREIGN SCHEMA is not run there (this
    wrapper has no import handler: running it would fail the whole plan)."""
    lines = FILE.splitlines(keepends=True)
    (tmp_path / "schema.sql").write_text("".join(lines[:1] + ["\n"] * 5 + lines[6:]))
    r = cli(db, tmp_path, "plan", "--file", "schema.sql", "--plan-host", second_db.host, "--plan-port",
            str(second_db.port), "--plan-db", second_db.db, "--plan-user", second_db.user)
    assert r.returncode == 0, r.stdout + r.stderr
    assert any("schema.sql:9:1" in ln and "IMPORT FOREIGN SCHEMA remote_app" in ln for ln in r.stderr.splitlines()), \
        r.stderr


def test_dump_says_parsers_and_templates_are_not_dumped(db, tmp_path):
    run_sql(db, "CREATE TEXT SEARCH TEMPLATE my_tmpl (LEXIZE = dsimple_lexize);"
                "CREATE TEXT SEARCH PARSER my_parser (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,"
                " LEXTYPES = prsd_lextype); CREATE TABLE t (id integer);")
    r = cli(db, tmp_path, "dump")
    assert r.returncode == 0, r.stderr
    warning = [ln for ln in (r.stderr + r.stdout).splitlines() if "not dumped" in ln]
    assert warning and "text search parser my_parser" in warning[0] and "text search template my_tmpl" in warning[0]

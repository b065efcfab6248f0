"""A column the file puts in the middle of a table lands at its end: the plan says so."""
from __future__ import annotations

import subprocess
import sys

from conftest import cli_flags, run_sql


def plan(settings, tmp_path, sql: str) -> subprocess.CompletedProcess:
    path = tmp_path / "schema.sql"
    path.write_text(sql)
    return subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", *cli_flags(settings), "--file", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_a_column_added_in_the_middle_gets_a_note(db, tmp_path):
    run_sql(db, "CREATE TABLE t (a int, b int, z int);")
    result = plan(db, tmp_path, "CREATE TABLE t (a int, new1 int, b int, z int);")
    assert result.returncode == 0, result.stderr
    assert "Note: table t: its columns will be in the order (..., b, z, new1), not the file's (..., new1, b, z)" \
        in result.stderr
    assert "adds new columns at the end" in result.stderr


def test_columns_in_another_order_get_a_note_and_no_change(db, tmp_path):
    run_sql(db, "CREATE TABLE t (a int, b int);")
    result = plan(db, tmp_path, "CREATE TABLE t (b int, a int);")
    assert result.returncode == 0, result.stderr
    assert "No changes" in result.stdout
    assert "Note: table t: its columns will be in the order (a, b), not the file's (b, a)" in result.stderr


def test_columns_added_at_the_end_and_dropped_get_no_note(db, tmp_path):
    run_sql(db, "CREATE TABLE t (a int, gone int, b int);")
    result = plan(db, tmp_path, "CREATE TABLE t (a int, b int, c int);")
    assert result.returncode == 0, result.stderr
    assert "Note: table" not in result.stderr


def test_a_hostile_name_is_quoted_in_the_note(db, tmp_path):
    run_sql(db, 'CREATE TABLE "x\ny" (a int, b int);')
    result = plan(db, tmp_path, 'CREATE TABLE "x\ny" (b int, a int);')
    note = next(line for line in result.stderr.splitlines() if line.startswith("Note: table"))
    assert note.startswith('Note: table "x\\ny": its columns'), note

"""`review` takes the apply options (issue 12, apply controls): --lock-timeout, --lock-retries,
--index-build-timeout (the bound of a concurrent build, which --lock-timeout does not cut) and
--max-lock-queue reach the executor the reviewer starts; a bad value is one message before
anything starts."""
from __future__ import annotations

import subprocess
import sys

from conftest import run_sql
from test_tui_command import _conn_flags

from pgschema_tui.cli import build_parser
from pgschema_tui.commands.review import build_app


def test_review_passes_the_apply_options_to_its_executor(db, tmp_path):
    run_sql(db, "CREATE TABLE t (id int)")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id int, a int);\n")
    app = build_app(build_parser().parse_args([
        "review", "--file", str(desired), *_conn_flags(db), "--lock-timeout", "1500ms", "--lock-retries", "7",
        "--index-build-timeout", "2min", "--max-lock-queue", "3,10s"]))
    options = app.apply_options
    assert (options.lock_timeout_ms, options.lock_retries, options.index_build_timeout_ms) == (1500, 7, 120_000)
    assert (options.max_lock_queue, options.max_lock_queue_seconds) == (3, 10.0)
    assert options.schema == "public"


def test_review_refuses_a_bad_apply_option_before_starting(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pgschema_tui", "review", "--demo", "--lock-timeout", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "--lock-timeout 0: 0 would make every statement wait" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr

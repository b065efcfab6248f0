"""`--statement-timeout` (apply and review), on a real server: every DDL statement the executor
runs is cut by it, and the failure summary says exactly what was committed, rolled back and not
run. CREATE INDEX CONCURRENTLY builds are not cut by it (they have `--index-build-timeout`).

The slow statement is honest work made slow: a CHECK constraint whose function takes 0.5 s a row,
validated over 6 rows (3 s), under a 1 s statement timeout; an index on an expression calling a
function of the same cost is built concurrently (3 s) in the same run and is not cut.
"""
from __future__ import annotations

import pytest
from test_apply_robust import _columns, _plan, _step, _write

from conftest import cli_flags
from pgschema_tui.apply.events import PlanFinished, StepFailed
from pgschema_tui.apply.executor import Executor
from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.cli import build_parser, main
from pgschema_tui.errors import UserError

SLOW_TABLE = """
CREATE FUNCTION slow_positive(v int) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT pg_sleep(0.5) IS NOT NULL AND v > 0 $$;
CREATE FUNCTION slow_id(v int) RETURNS int LANGUAGE sql IMMUTABLE
    AS $$ SELECT v + 0 * length(pg_sleep(0.5)::text) $$;
CREATE TABLE t (id int);
INSERT INTO t SELECT g FROM generate_series(1, 6) g;
ALTER TABLE t ADD CONSTRAINT t_positive CHECK (slow_positive(id)) NOT VALID;
"""


def _slow_plan(conn):
    return _plan(conn, [
        [_step("CREATE INDEX CONCURRENTLY t_slow_idx ON t (slow_id(id));", tx=False, path="public.t.t_slow_idx")],
        [_step("ALTER TABLE t ADD COLUMN b int;"), _step("ALTER TABLE t VALIDATE CONSTRAINT t_positive;")],
        [_step("ALTER TABLE t ADD COLUMN c int;")],
    ])


def _index_valid(conn, name: str):
    row = conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = %s::regclass", (name,)).fetchone()
    return None if row is None else row[0]


def test_statement_timeout_cancels_a_slow_validation_and_the_summary_is_exact(db, conn):
    conn.execute(SLOW_TABLE)
    plan = _slow_plan(conn)
    options = ApplyOptions(schema="public", statement_timeout_ms=1000, poll_interval=0.05)
    events = list(Executor(plan, db, options).events())
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert [f.index for f in failed] == [2], failed
    assert failed[0].sqlstate == "57014"
    assert "--statement-timeout 1s" in failed[0].error and "step 3" in failed[0].error, failed[0].error
    finished = events[-1]
    assert isinstance(finished, PlanFinished) and not finished.success
    assert finished.message.splitlines() == [
        "Committed: group(s) 1 (steps 1).",
        "Rolled back: group(s) 2 (steps 2-3): none of their statements took effect.",
        "Not run: group(s) 3.",
    ], finished.message
    # the concurrent build (3 s) was not cut by the 1 s statement timeout: it has --index-build-timeout
    assert _index_valid(conn, "t_slow_idx") is True
    assert _columns(conn, "t") == ["id"]
    assert conn.execute("SELECT convalidated FROM pg_constraint WHERE conname = 't_positive'").fetchone()[0] is False


def test_cli_apply_statement_timeout_prints_the_failure_summary(db, conn, tmp_path, capsys):
    conn.execute(SLOW_TABLE)
    plan_file = _write(tmp_path / "plan.json", _slow_plan(conn))
    code = main(["apply", *cli_flags(db), "--plan", plan_file, "--auto-approve", "--statement-timeout", "1s"])
    out, err = capsys.readouterr()
    assert code != 0
    assert "canceling statement due to statement timeout" in err, err
    assert "Committed: group(s) 1 (steps 1)." in err and "Not run: group(s) 3." in err, err
    assert "Rolled back: group(s) 2 (steps 2-3)" in err, err
    assert _columns(conn, "t") == ["id"]


@pytest.mark.parametrize("value", ["0", "-1s", "soon", "9999999999ms"])
def test_statement_timeout_refuses_bad_values(value):
    args = build_parser().parse_args(["apply", "--plan", "p.json", f"--statement-timeout={value}"])
    with pytest.raises(UserError, match="--statement-timeout"):
        ApplyOptions.from_args(args)


def test_review_takes_the_statement_timeout():
    args = build_parser().parse_args(["review", "--demo", "--statement-timeout", "500ms"])
    assert ApplyOptions.from_args(args).statement_timeout_ms == 500

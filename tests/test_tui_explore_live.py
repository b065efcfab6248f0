"""Explore with a real database: row estimates and sizes of the live tables, objects that
.pgschemaignore leaves out, and saved plans another tool wrote."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from test_tui_command import _conn_flags
from test_tui_support import screen_text, sync

from conftest import run_sql
from pgschema_tui.cli import build_parser
from pgschema_tui.commands.review import build_app
from pgschema_tui.errors import UserError

SCHEMA = "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nCREATE TABLE audit_log (id bigint, at timestamptz);\n"


@sync
async def test_explore_shows_estimated_rows_and_total_size_of_live_tables(db, tmp_path):
    run_sql(db, SCHEMA + "INSERT INTO orders SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g;\n"
                "ANALYZE orders;")
    desired = tmp_path / "schema.sql"
    desired.write_text(SCHEMA + "CREATE TABLE fresh (id int);\n")
    app = build_app(build_parser().parse_args(["review", "--file", str(desired), *_conn_flags(db)]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "5.0 k rows" in text, text
        assert "MB" in text or "kB" in text, text
        assert "audit_log" in text and "never analysed" in text, text


@sync
async def test_ignored_objects_are_greyed_out_and_marked_in_explore(db, tmp_path):
    run_sql(db, SCHEMA)
    (tmp_path / ".pgschemaignore").write_text('[tables]\npatterns = ["audit_*"]\n')
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE orders (id bigint PRIMARY KEY, note text, extra int);\n")
    args = build_parser().parse_args(["review", "--file", str(desired), *_conn_flags(db)])
    import os
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        app = build_app(args)
    finally:
        os.chdir(cwd)
    assert app.session.plan.ignored, app.session.plan
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        line = next(ln for ln in text.splitlines() if "audit_log" in ln)
        assert "ignored" in line, text


def _pgschema_plan(path) -> None:
    path.write_text(json.dumps({
        "version": "1.0.0", "pgschema_version": "1.4.0", "created_at": "2026-01-01T00:00:00Z",
        "source_fingerprint": {"hash": "abc123"},
        "groups": [{"steps": [{"sql": "ALTER TABLE orders ADD COLUMN extra integer;", "type": "table.column",
                               "operation": "create", "path": "public.orders.extra"}]}]}))


def test_review_of_a_pgschema_plan_is_refused_without_unverified_plan(db, tmp_path):
    run_sql(db, SCHEMA)
    plan = tmp_path / "pgschema.json"
    _pgschema_plan(plan)
    with pytest.raises(UserError) as refused:
        build_app(build_parser().parse_args(["review", "--plan", str(plan), *_conn_flags(db)]))
    assert "--unverified-plan" in str(refused.value) and "pgschema" in str(refused.value)
    done = subprocess.run([sys.executable, "-m", "pgschema_tui", "review", "--plan", str(plan), *_conn_flags(db)],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode != 0 and "Traceback" not in done.stderr and "--unverified-plan" in done.stderr, done


@sync
async def test_unverified_pgschema_plan_opens_read_only_with_a_banner(db, tmp_path):
    run_sql(db, SCHEMA)
    plan = tmp_path / "pgschema.json"
    _pgschema_plan(plan)
    app = build_app(build_parser().parse_args(["review", "--plan", str(plan), "--unverified-plan",
                                               *_conn_flags(db)]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "unverified" in text.lower() and "read-only" in text.lower(), text
        await pilot.press("4")
        await pilot.pause()
        assert "read-only" in screen_text(app).lower() or app.current_mode != "apply"
        assert app.settings is None or app.read_only


def test_an_ignored_object_of_the_live_ir_is_marked_ignored_not_dropped():
    """`review --plan` inspects the whole live schema: what the plan's .pgschemaignore left out
    must not read as "- dropped by the plan"."""
    from test_tui_support import shop_schema

    from pgschema_tui.tui.explore_model import pair_objects

    pairs = {(c, p.key): p for c, group in pair_objects(None, shop_schema(False), ["public.legacy_coupons"])
             for p in group}
    assert pairs[("tables", "legacy_coupons")].state == "ignored"
    assert pairs[("tables", "customers")].state == "unknown"

"""`review --file` and `review --plan` build the app from a real database; `w` writes what `plan` writes.

The `--file` case plans the demo shop, so the demo's change (column, concurrent index, FK, view,
dropped table) is checked on every run.
"""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

from conftest import run_sql
from test_tui_support import screen_text, sync

from pgschema_tui.cli import build_parser
from pgschema_tui.commands.review import build_app

DEMO = resources.files("pgschema_tui.tui.demo")


def _conn_flags(db) -> list[str]:
    return ["--host", db.host, "--port", str(db.port), "--db", db.db, "--user", db.user]


def _shop_db(db) -> None:
    run_sql(db, DEMO.joinpath("shop_live.sql").read_text())
    run_sql(db, "INSERT INTO legacy_coupons VALUES ('WELCOME10', 10)")


@sync
async def test_review_file_writes_the_same_json_as_plan(db, tmp_path):
    _shop_db(db)
    desired = tmp_path / "shop.sql"
    desired.write_text(DEMO.joinpath("shop_desired.sql").read_text())
    cli_json = tmp_path / "cli.json"
    done = subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", "--file", str(desired),
                           "--output-json", str(cli_json), *_conn_flags(db)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    app = build_app(build_parser().parse_args(["review", "--file", str(desired), *_conn_flags(db)]))
    app.output_path = tmp_path / "review.json"
    async with app.run_test(size=(120, 36)) as pilot:
        assert "Plan: " in screen_text(app) and "legacy_coupons" in screen_text(app)
        await pilot.press("2")
        text = screen_text(app)
        assert "~ customers" in text and "- legacy_coupons" in text
        await pilot.press("1", "w", "enter")
        await pilot.pause()
    steps = {(s.operation, s.path) for s in app.session.plan.steps}
    assert ("create", "public.customers.phone") in steps and ("drop", "public.legacy_coupons") in steps
    assert any("CONCURRENTLY" in s.sql for s in app.session.plan.steps)
    assert any(s.path == "public.order_totals" for s in app.session.plan.steps)
    written, expected = json.loads((tmp_path / "review.json").read_text()), json.loads(cli_json.read_text())
    written.pop("created_at"), expected.pop("created_at")
    assert written == expected
    assert (tmp_path / "review.sql").read_text().strip()


@sync
async def test_review_saved_plan_opens_with_live_side(db, tmp_path):
    _shop_db(db)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text((__import__("pathlib").Path(__file__).parent.parent / "testdata/tui/small_plan.json").read_text())
    app = build_app(build_parser().parse_args(["review", "--plan", str(plan_file), *_conn_flags(db)]))
    assert app.session.live is not None and "orders" in app.session.live.tables
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Plan: 1 to add, 1 to change, 0 to drop" in screen_text(app)
        await pilot.press("2")
        assert "? orders" in screen_text(app)  # only live: a saved plan has no desired IR to compare


def test_review_missing_plan_file_is_one_line_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pgschema_tui", "review", "--plan", str(tmp_path / "nope.json")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "nope.json" in done.stderr


@sync
async def test_review_saved_plan_without_database_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PGHOST", str(tmp_path / "no-server-here"))
    plan_file = tmp_path / "plan.json"
    plan_file.write_text((__import__("pathlib").Path(__file__).parent.parent / "testdata/tui/small_plan.json").read_text())
    app = build_app(build_parser().parse_args(["review", "--plan", str(plan_file)]))
    assert app.settings is None and "Apply is disabled" in app.notice
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert any("Apply is disabled" in n.message for n in app._notifications)


@sync
async def test_r_replans_from_the_database(db, tmp_path):
    """Issue 12, defect 9: after a change (an apply, or elsewhere), r shows the new live state."""
    _shop_db(db)
    desired = tmp_path / "shop.sql"
    desired.write_text(DEMO.joinpath("shop_desired.sql").read_text())
    app = build_app(build_parser().parse_args(["review", "--file", str(desired), *_conn_flags(db)]))
    async with app.run_test(size=(120, 36)) as pilot:
        assert "customers.phone" in screen_text(app)
        await pilot.press("2")
        assert "~ customers" in screen_text(app)
        run_sql(db, "ALTER TABLE customers ADD COLUMN phone text")
        before = app.session
        await pilot.press("r")
        for _ in range(600):
            await pilot.pause(0.05)
            if app.session is not before and app.current_mode == "explore" and app.screen.is_mounted:
                break
        assert app.session is not before
        await pilot.pause(0.2)
        assert app.current_mode == "explore"
        assert "= customers" in screen_text(app)
        await pilot.press("1")
        assert "customers.phone" not in screen_text(app)
        assert all(s.path != "public.customers.phone" for s in app.session.plan.steps)

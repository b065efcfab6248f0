"""The SQL of a step or of the whole plan: a pager, the clipboard, a read-only copy in $EDITOR."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from test_tui_support import screen_text, shop_session, sync

from pgschema_tui.plan.render_sql import render_sql
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock


def make_app() -> ReviewApp:
    return ReviewApp(shop_session(), clock=FixedClock())


@sync
async def test_v_pages_the_step_sql_and_V_the_whole_plan():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)
        assert "ALTER TABLE customers ADD COLUMN phone text;" in text, text
        assert "SQL of step 1" in text, text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("V")
        await pilot.pause()
        pager = app.screen
        assert pager.sql == render_sql(app.session.plan)
        await pilot.press("G")  # the last line is reachable
        await pilot.pause()
        assert "VALIDATE CONSTRAINT order_items_product_id_fkey" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"


@sync
async def test_c_copies_the_step_sql_and_says_when_no_terminal_can_receive_it():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == app.session.ref(0).step.sql
        messages = [n.message for n in app._notifications]
        # run_test has no real terminal: the app must not claim the text reached a clipboard
        assert any("not copied" in m.lower() or "cannot" in m.lower() for m in messages), messages


@sync
async def test_e_writes_a_read_only_copy_for_the_editor_and_leaves_the_plan_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    app = make_app()
    before = render_sql(app.session.plan)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        files = list(tmp_path.glob("pgschema-tui-*/*.sql"))
        assert len(files) == 1, list(tmp_path.rglob("*"))
        assert files[0].read_text() == app.session.ref(0).step.sql + "\n"
        assert not os.stat(files[0]).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        messages = " ".join(n.message for n in app._notifications)
        assert str(files[0]) in messages, messages  # headless: cannot suspend, so it says where the copy is
    assert render_sql(app.session.plan) == before


def test_the_editor_runs_on_the_copy(tmp_path):
    from pgschema_tui.tui.sql_actions import editor_command, run_editor

    record = tmp_path / "record.txt"
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(pathlib.Path(sys.argv[2]).read_text())")
    copy = tmp_path / "step.sql"
    copy.write_text("SELECT 1;\n")
    command = editor_command(f"{sys.executable} {script} {record}", copy)
    assert command[-1] == str(copy)
    assert run_editor(command) == 0
    assert record.read_text() == "SELECT 1;\n"
    assert editor_command("", copy) is None

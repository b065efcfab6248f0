"""`review --demo` shows what the reviewer is for (issue 12, "Done when"): the lock queue, with its
blocker, wait chain and the sessions queued behind our lock, and Review's attribute diffs.

The demo is built on the suite's server (commands/review.py `demo_app`, as `review --demo` does on
its throwaway one), with its application running (tui/demo/traffic.py).
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest

from test_tui_apply_controls import _shown, _until
from test_tui_signals import tmp  # noqa: F401 - the fixture
from test_tui_support import screen_text, sync

from pgschema_tui.cli import build_parser
from pgschema_tui.commands.review import demo_app
from pgschema_tui.tui.screens.confirm import ConfirmScreen
from pgschema_tui.tui.widgets.lock_table import lock_text


@contextmanager
def _demo(pg_server, *flags: str, hold_seconds: float = 600):
    name = f"demo_{uuid.uuid4().hex[:10]}"
    args = build_parser().parse_args(["review", "--demo", *flags])
    try:
        with demo_app(args, pg_server.admin, db=name, hold_seconds=hold_seconds) as app:
            yield app
    finally:
        pg_server.drop_database(name)


def _columns(settings, table: str) -> list[str]:
    with settings.connect() as conn:
        return [r[0] for r in conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                                           "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", (table,)).fetchall()]


@pytest.mark.parametrize("key,done", [("K", "terminated pid"), ("k", "cancelled the query of pid")])
@sync
async def test_demo_apply_shows_the_blocker_its_chain_and_the_queue_and_k_K_unblock_it(pg_server, key, done):
    """K ends the report's session; k cancels its waiting query, and the application rolls back
    (as an application does when its statement fails), which frees customers too."""
    # a long lock timeout: the test, not the retries, decides when the blocker goes
    with _demo(pg_server, "--lock-timeout", "120s") as app:
        traffic = app.demo_traffic
        report, billing = traffic.report_pid, traffic.billing_pid
        session = app.session
        session.acknowledged_hazards |= {(r.index, k) for r in session.refs for k in range(len(r.step.hazards))}
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await pilot.pause()
                assert any(f"pid {report}" in n.message for n in app._notifications), "the demo says what runs"
                await pilot.press("4", "A", *"yes", "enter")
                state = app.apply_screen.state
                await _until(pilot, lambda: report in state.lock_waits and state.lock_queue is not None
                             and len(state.lock_queue.behind) >= 1)
                text = " ".join(lock_text(state).plain.split())
                assert f"pid {report} · holds AccessShareLock" in text, text
                assert "wants AccessExclusiveLock on customers" in text, text
                assert f"pid {report} itself waits for pid {billing}" in text, text
                assert "wait behind step" in text and "shop web" in text, text
                await pilot.pause(0.3)
                shown = _shown(app)  # on screen, not only in the state: the panel names the blocker and the chain
                assert "queued behind" in shown, shown
                assert f"pid {report} · holds AccessShareLock" in shown and f"itself waits for pid {billing}" in shown, \
                    shown
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, ConfirmScreen), _shown(app)
                await pilot.press("y")
                await _until(pilot, lambda: state.finished, seconds=60)
                assert state.phase == "succeeded", state.message
                assert any(f"{done} {report}" in line for line in state.log), state.log
            finally:
                if app.apply_screen is not None:
                    app.apply_screen._control.stop()
                    if app.apply_screen._executor is not None:
                        app.apply_screen._executor.abort()
        assert "phone" in _columns(app.settings, "customers")


async def _apply_all(app, pilot):
    session = app.session
    session.acknowledged_hazards |= {(r.index, k) for r in session.refs for k in range(len(r.step.hazards))}
    await pilot.press("4", "A", *"yes", "enter")


def _stop(app) -> None:
    if app.apply_screen is not None:
        app.apply_screen._control.stop()
        if app.apply_screen._executor is not None:
            app.apply_screen._executor.abort()


@sync
async def test_demo_unattended_apply_gives_up_naming_the_blocker_and_its_chain(pg_server):
    with _demo(pg_server, "--lock-timeout", "300ms", "--lock-retries", "1") as app:
        report, billing = app.demo_traffic.report_pid, app.demo_traffic.billing_pid
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await _apply_all(app, pilot)
                state = app.apply_screen.state
                await _until(pilot, lambda: state.finished, seconds=60)
                assert state.phase == "failed", state.message
                assert "Committed: nothing." in state.message and "Rolled back: group(s) 1" in state.message, \
                    state.message
                log = "\n".join(state.log)
                assert f"blocked by pid {report}" in log and f"which itself waits for pid {billing}" in log, log
            finally:
                _stop(app)
        assert "phone" not in _columns(app.settings, "customers")


@sync
async def test_demo_billing_job_commits_once_the_apply_has_waited_hold_seconds(pg_server):
    """Unattended, the chain ends `hold_seconds` after the apply starts waiting (not after the demo
    starts: a user reads the plan first), and the apply's next attempt goes through."""
    with _demo(pg_server, "--lock-timeout", "1s", "--lock-retries", "6", hold_seconds=2) as app:
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await pilot.pause(2.5)  # the user reads the plan longer than hold_seconds (the scenario, not a sync)
                with app.settings.connect() as watcher:
                    still = watcher.execute("SELECT state FROM pg_stat_activity WHERE pid = %s",
                                            (app.demo_traffic.billing_pid,)).fetchone()
                assert still == ("idle in transaction",), still
                await _apply_all(app, pilot)
                state = app.apply_screen.state
                await _until(pilot, lambda: state.finished, seconds=90)
                assert state.phase == "succeeded", state.message
                assert any("lock timeout" in line for line in state.log), state.log  # it did wait first
            finally:
                _stop(app)
        assert "phone" in _columns(app.settings, "customers")


@sync
async def test_demo_review_shows_attribute_diffs(pg_server):
    with _demo(pg_server) as app:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            expected = {"public.products.price": "type: numeric(10,2) → numeric(12,2)",
                        "public.orders.status": "default: 'new'::text → 'pending'::text",
                        "public.orders.orders_of_customer": "using: ",}
            for path, line in expected.items():
                index = next(r.index for r in app.session.refs if r.step.path == path)
                app.screen.show_step(index, move_cursor=True)
                await pilot.pause()
                text = screen_text(app)
                assert line in text.split("Changes")[-1], (path, text)


def test_demo_q_stops_the_application_and_the_server(tmp):
    """`q` ends the app: the demo's sessions end, then the server stops and its folder goes."""
    import os
    import time

    from test_tui_signals import _assert_server_gone, _drain, demo_in_a_terminal

    with demo_in_a_terminal(tmp) as (proc, leader, folder, pid, deadline):
        os.write(leader, b"q")
        _drain(leader, proc, deadline)
        _assert_server_gone(folder, pid, deadline)
        assert proc.wait(timeout=max(1.0, deadline - time.monotonic())) == 0

"""Snapshots of every mode at 120x36 and 80x24, from plan fixtures and a hand-built IR.

SVGs live under `snapshots/` at the repository root (not syrupy's `__snapshots__` next to
the tests): the fixture below is pytest-textual-snapshot's comparison with that one
directory changed. Update them with `pytest tests/test_tui_snapshots.py --snapshot-update`.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from test_tui_support import shop_session

from pgschema_tui.apply import events as ev
from pgschema_tui.connection import ConnectionSettings
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.messages import ApplyEvent

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]


class RootSnapshotExtension(SVGImageExtension):
    """pytest-textual-snapshot's SVG extension, storing under <repo>/snapshots/<test module>/."""

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / Path(test_location.filepath).stem)


@pytest.fixture
def snap_compare(snapshot):
    """Like pytest-textual-snapshot's fixture: take an SVG screenshot and compare it."""
    from textual._doc import take_svg_screenshot

    svg_snapshot = snapshot.use_extension(RootSnapshotExtension)

    def compare(app, press=(), terminal_size=(120, 36), run_before=None) -> bool:
        svg = take_svg_screenshot(app=app, press=press, terminal_size=terminal_size, run_before=run_before)
        return svg_snapshot == svg

    return compare


def make_app(clock: FixedClock | None = None) -> ReviewApp:
    settings = ConnectionSettings(host="db.example.com", port="5432", db="shop", user="app")
    return ReviewApp(shop_session(), settings=settings, clock=clock or FixedClock(), output_path="plan.json")


@pytest.mark.parametrize("size", SIZES)
def test_review_mode(snap_compare, size):
    assert snap_compare(make_app(), press=["]", "space", "]", "]", "]", "]", "a"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_explore_mode(snap_compare, size):
    assert snap_compare(make_app(), press=["2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_graph_mode(snap_compare, size):
    assert snap_compare(make_app(), press=["]", "]", "3"], terminal_size=size)


def _apply_events(at: float) -> list[ev.Event]:
    """An apply in progress: group 1 committed, the index build of step 7 at 42% and blocked once."""
    out: list[ev.Event] = [ev.PlanStarted(total_steps=9, total_groups=4, at=at),
                           ev.GroupStarted(group=0, transactional=True, at=at)]
    sqls = [r.step for r in shop_session().refs]
    for i in range(6):
        out.append(ev.StepStarted(index=i, group=0, path=sqls[i].path, operation=sqls[i].operation,
                                  sql=sqls[i].sql, at=at + i))
        out.append(ev.StepFinished(index=i, duration_seconds=0.012 * (i + 1), at=at + i))
    out += [ev.GroupCommitted(group=0, at=at + 6), ev.GroupStarted(group=1, transactional=False, at=at + 6),
            ev.StepStarted(index=6, group=1, path=sqls[6].path, operation="create", sql=sqls[6].sql, at=at + 6),
            ev.LockWait(index=6, blocker_pid=48213, blocker_query="UPDATE orders SET status = 'paid' WHERE id = 17",
                        blocker_state="idle in transaction", blocker_age_seconds=12.0, lock_mode="ShareLock",
                        relation="public.orders", attempt=1, retry_in_seconds=0.6, at=at + 7),
            ev.Progress(index=6, phase="building index: scanning table", percent=42.0, blocks_done=1580,
                        blocks_total=3762, at=at + 9)]
    return out


@pytest.mark.parametrize("size", SIZES)
def test_apply_mode(snap_compare, size):
    clock = FixedClock()
    app = make_app(clock)

    async def run_before(pilot) -> None:
        await pilot.press("4")
        await pilot.pause()
        screen = app.apply_screen
        screen.state.phase = "running"
        app.applying = True
        for event in _apply_events(clock.now):
            screen.post_message(ApplyEvent(event))
        clock.advance(12)
        await pilot.pause()
        screen.redraw()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(80, 24))


def test_filter_and_no_color(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), press=["slash", *"order_items", "enter"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_sql_pager(snap_compare, size):
    assert snap_compare(make_app(), press=["]", "]", "v"], terminal_size=size)

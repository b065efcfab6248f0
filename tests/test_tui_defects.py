"""Issue 12's defects in Review and Apply modes, each driven with Pilot as a user meets it."""
from __future__ import annotations

import sys
from pathlib import Path

from test_tui_support import screen_text, shop_session, sync

from pgschema_tui.connection import ConnectionSettings
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.session import ReviewSession
from pgschema_tui.tui.widgets.plan_tree import PlanTree

SETTINGS = ConnectionSettings(host="db.example.com", port="5432", db="shop", user="app")


def make_app(session=None, clock=None, **kwargs) -> ReviewApp:
    return ReviewApp(session or shop_session(), settings=SETTINGS, clock=clock or FixedClock(), **kwargs)


def big_session(steps: int = 600) -> ReviewSession:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_tui import big_plan

    return ReviewSession(big_plan(steps), source="bench")


@sync
async def test_marks_need_a_visible_selected_step():
    """Defect 2: on a group header, or with a filter showing nothing, space and a do nothing."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tree = app.screen.query_one(PlanTree)
        await pilot.press("g")  # line 0: the "Columns" header
        assert tree.cursor_node is not None and tree.cursor_node.data is None
        await pilot.press("space", "a")
        assert app.session.viewed == set() and app.session.acknowledged == set()
        await pilot.press("]", "]")  # step 2 (index 1) has a hazard
        await pilot.press("/", *"no-such-step", "enter")
        assert tree.step_nodes == {}
        await pilot.press("space", "a")
        assert app.session.viewed == set() and app.session.acknowledged == set()


@sync
async def test_g_and_G_scroll_a_big_tree():
    """Defect 3: G shows the last step, g the first line, in a plan taller than the screen."""
    app = make_app(big_session())
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(PlanTree)
        await pilot.press("G")
        await pilot.pause()
        assert tree.cursor_line == tree.last_line
        assert tree.scroll_offset.y > 0
        assert tree.scroll_offset.y <= tree.cursor_line < tree.scroll_offset.y + tree.scrollable_content_region.height
        await pilot.press("g")
        await pilot.pause()
        assert tree.cursor_line == 0 and tree.scroll_offset.y == 0


@sync
async def test_first_group_header_is_visible_at_start():
    """Defect 9: the first group header starts in view."""
    for size in ((120, 36), (80, 24)):
        app = make_app(big_session())
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            tree = app.screen.query_one(PlanTree)
            assert tree.scroll_offset.y == 0
            assert "Tables (" in screen_text(app)


@sync
async def test_apply_header_follows_acknowledgements():
    """Defect 8: acknowledged in Review after Apply mode was first opened: its header says so."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        assert "4 unacknowledged hazard(s), 1 blocking (data_loss)" in " ".join(screen_text(app).split())
        await pilot.press("1")
        for index in app.session.hazardous():
            app.screen.show_step(index, move_cursor=True)
            await pilot.press("a")
        assert app.session.unacknowledged() == []
        await pilot.press("4")
        await pilot.pause()
        text = screen_text(app)
        assert "unacknowledged" not in text and "Press A to apply" in text


def _wait(at: float, attempt: int = 0, retry=None):
    from pgschema_tui.apply import events as ev

    return ev.LockWait(index=0, blocker_pid=48213, blocker_query="UPDATE customers SET email = lower(email)",
                       blocker_state="idle in transaction", blocker_age_seconds=31.0,
                       lock_mode="ShareRowExclusiveLock", relation="public.customers", attempt=attempt,
                       retry_in_seconds=retry, at=at)


async def _feed(pilot, app, events) -> None:
    from pgschema_tui.tui.messages import ApplyEvent

    await pilot.press("4")
    await pilot.pause()
    screen = app.apply_screen
    screen.state.phase = "running"
    app.applying = True
    for event in events:
        screen.post_message(ApplyEvent(event))
    await pilot.pause()
    screen.redraw()
    await pilot.pause()


@sync
async def test_lock_waits_show_every_fact_once_and_name_the_lock_we_asked_for():
    """Defect 4: age, attempt and the blocker's query show at 120 and 80 columns; the log
    names the mode we requested (not "held by") and says it once, not every second."""
    from pgschema_tui.apply import events as ev

    for size in ((120, 36), (80, 24)):
        clock = FixedClock()
        app = make_app(clock=clock)
        t = clock.now
        step = app.session.ref(0).step
        events = [ev.PlanStarted(total_steps=9, total_groups=4, at=t),
                  ev.StepStarted(index=0, group=0, path=step.path, operation=step.operation, sql=step.sql, at=t)]
        events += [_wait(t + 1 + k) for k in range(5)]  # the monitor repeats the same wait every second
        async with app.run_test(size=size) as pilot:
            await _feed(pilot, app, events)
            log = [line for line in app.apply_screen.state.log if "waits for" in line]
            assert len(log) == 1, log
            assert "waits for ShareRowExclusiveLock on public.customers, blocked by pid 48213" in log[0]
            assert "held by" not in log[0]
            from pgschema_tui.tui.widgets.lock_table import LockTable

            locks = app.screen.query_one(LockTable)
            shown = " ".join(screen_text(app).split())
            for fact in ("48213", "idle in", "31 s", "attempt 1", "ShareRowExclusiveLock"):
                assert fact in shown, (size, fact)
            body = str(locks._body.render())
            assert "UPDATE customers SET email = lower(email)" in " ".join(body.split()), size


@sync
async def test_step_time_shows_waited_and_ran():
    """Defect 5: a step that ran 3.5 s after 20 s of lock retries shows both."""
    from pgschema_tui.apply import events as ev
    from pgschema_tui.tui.widgets.apply_steps import ApplySteps

    clock = FixedClock()
    app = make_app(clock=clock)
    t = clock.now
    step = app.session.ref(0).step
    start = dict(index=0, group=0, path=step.path, operation=step.operation, sql=step.sql)
    events = [ev.PlanStarted(total_steps=9, total_groups=4, at=t), ev.StepStarted(**start, at=t),
              _wait(t + 5, attempt=1, retry=2.0), ev.StepStarted(**start, at=t + 10),
              _wait(t + 15, attempt=2, retry=4.0), ev.StepStarted(**start, at=t + 20),
              ev.StepFinished(index=0, duration_seconds=3.5, at=t + 23.5)]
    async with app.run_test(size=(120, 36)) as pilot:
        await _feed(pilot, app, events)
        row = app.screen.query_one(ApplySteps).row_text(0).plain
        assert "20.0 s" in row and "3.5 s" in row, row
        assert "waited" in app.screen.query_one(ApplySteps).border_subtitle
        assert any("ran 3.5 s after waiting 20.0 s" in line for line in app.apply_screen.state.log)


def region_text(app, widget) -> str:
    """The words a widget shows on screen (its region cut out of the screen text)."""
    region = widget.content_region
    lines = screen_text(app).splitlines()[region.y: region.bottom]
    return " ".join(" ".join(line[region.x: region.right] for line in lines).split())


@sync
async def test_dialogs_show_their_whole_text():
    """Defect 9: the abort and apply dialogs wrap their text instead of cutting it."""
    from pgschema_tui.tui.screens.confirm import ConfirmScreen, TypeYesScreen

    for size in ((120, 36), (80, 24)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            detail = "The running statement is cancelled; committed groups stay applied."
            await app.push_screen(ConfirmScreen("Abort the apply?", detail))
            await pilot.pause()
            dialog = app.screen.query_one("#dialog")
            assert detail in region_text(app, dialog), size
            await pilot.press("n")
            detail = ("9 steps in 4 groups on database 'a_rather_long_database_name' on "
                      "db.example.com:5432 as 'app'; 4 acknowledged hazard(s).")
            await app.push_screen(TypeYesScreen("Apply this plan?", detail))
            await pilot.pause()
            shown = region_text(app, app.screen.query_one("#dialog"))
            assert "a_rather_long_database_name" in shown and "acknowledged hazard(s)." in shown, size
            assert "escape: cancel" in shown, size


@sync
async def test_after_a_failure_A_does_not_say_already_applied():
    from pgschema_tui.apply import events as ev

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _feed(pilot, app, [ev.PlanStarted(total_steps=9, total_groups=4),
                                 ev.StepFailed(index=0, error="boom", sql="x"),
                                 ev.PlanFinished(success=False, message="Committed: nothing.")])
        app.applying = False
        await pilot.press("A")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert not any("already been applied" in m for m in messages), messages
        assert any("re-plan" in m for m in messages), messages


@sync
async def test_abort_before_the_first_step_leaves_it_pending():
    """Defect 9: an abort before step 1 began does not mark step 1 failed."""
    from pgschema_tui.apply import events as ev

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        app.apply_screen.state.abort_requested = True
        await _feed(pilot, app, [ev.PlanStarted(total_steps=9, total_groups=4),
                                 ev.GroupStarted(group=0, transactional=True),
                                 ev.StepFailed(index=0, error="aborted by user", sql="x"),
                                 ev.PlanFinished(success=False, message="Committed: nothing.")])
        state = app.apply_screen.state
        assert state.phase == "aborted"
        assert state.step_states[0] == "pending", state.step_states


def test_command_palette_names_each_command_once():
    app = make_app()
    titles = [c.title for c in app.get_system_commands(None)] if False else None
    import asyncio

    async def run():
        async with app.run_test(size=(80, 24)):
            return [c.title for c in app.get_system_commands(app.screen)]

    titles = asyncio.run(run())
    assert len(titles) == len(set(titles)), titles


@sync
async def test_writing_the_plan_asks_before_creating_a_folder_or_replacing_files(tmp_path):
    """Defect 9: a missing folder is not created silently, an existing plan not overwritten silently."""
    from pgschema_tui.tui.screens.confirm import ConfirmScreen

    target = tmp_path / "plans" / "next.json"
    app = make_app(output_path=target)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("w", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Create the folder" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert not target.parent.exists()
        await pilot.press("w", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert target.exists()
        target.write_text("keep me")
        await pilot.press("w", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Replace" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text() == "keep me"
        await pilot.press("w", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert target.read_text() != "keep me"


def test_explore_view_comparison_marks_only_the_real_change():
    """Defect 6: your layout vs pg_get_viewdef's differ on every line; only the added column is marked."""
    from pgschema_tui.tui.explore_model import marked_diff

    desired = ("CREATE VIEW order_totals AS SELECT o.id, c.email, o.total, o.status\n"
               "FROM orders o JOIN customers c ON c.id = o.customer_id;")
    live = ("CREATE VIEW order_totals AS  SELECT o.id,\n    c.email,\n    o.total\n   FROM (orders o\n"
            "     JOIN customers c ON ((c.id = o.customer_id)));")
    desired_marked, live_marked = marked_diff(desired, live)
    changed_desired = [line for mark, line in desired_marked if mark == "+"]
    changed_live = [line for mark, line in live_marked if mark == "-"]
    assert len(changed_desired) == 1 and "o.status" in changed_desired[0], desired_marked
    assert changed_live == [], live_marked


def test_dependencies_are_the_steps_own_and_the_graph_follows_execution_order():
    """Defect 7: a column step does not inherit its table's dependents; grants read as grants;
    the Graph lists steps in the order apply runs them and names the earlier steps each needs."""
    from pgschema_tui.ir.model import Grant
    from pgschema_tui.tui.dependencies import PlanDependencies, object_label

    session = shop_session()
    deps = PlanDependencies(session)
    column = deps.for_step(0)  # + customers.phone
    assert column.depends_on == ("table customers",)
    assert column.required_by == ()
    label = object_label(Grant("TABLE", "customer_ltv", "app_ro", ("SELECT",)))
    assert label == "grant on TABLE customer_ltv to app_ro" and ":" not in label
    order = [i for layer in deps.layers() for i in layer]
    assert order == list(range(len(session.refs)))
    view = next(r.index for r in session.refs if r.step.path == "public.order_totals")
    assert deps.earlier_steps_needed(view) == [0]  # the view reads customers, whose column step 1 adds

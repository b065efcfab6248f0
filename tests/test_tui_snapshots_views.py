"""Snapshots of the views issue 12 added, at 120x36 and 80x24 (tests/test_tui_snapshots.py has
the modes): the Lock waits panel with a blocker, its wait chain and the queue behind our lock;
the per-hazard acknowledgement list; Review's attribute diffs (type, default, a policy's USING);
the question before the plan files replace existing ones. Graph's "why here" is in
test_tui_snapshots.py's graph snapshot.

Every input is what the app receives for real: the plan comes from the planner
(`build_plan`) on a hand-built IR, and the lock panel is fed the events the executor's
monitor yields (`Blocker.lock_wait`, `LockQueue` of `QueuedSession`s, as `ApplyEvent`
messages), with fixed pids, ages and queries and a fixed clock. Update the SVGs with
`pytest tests/test_tui_snapshots_views.py --snapshot-update`, then read them.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
from test_tui_snapshots import SIZES, snap_compare  # noqa: F401 (the fixture)

from pgschema_tui.apply import events as ev
from pgschema_tui.apply.monitor import Blocker
from pgschema_tui.connection import ConnectionSettings
from pgschema_tui.inspect.datachecks import CheckOutcome
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import Column, Constraint, Identity, Policy, Schema, Table
from pgschema_tui.plan.datacheck_hazards import with_data_check_hazards
from pgschema_tui.plan.datacheck_specs import data_checks
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.tui.app import ReviewApp
from pgschema_tui.tui.clock import FixedClock
from pgschema_tui.tui.messages import ApplyEvent
from pgschema_tui.tui.session import ReviewSession

BLOCKER_QUERY = "UPDATE orders SET status = 'paid', total = total - 5.00 WHERE id = 1017"


def orders_schema(desired: bool) -> Schema:
    """orders: a column dropped, a type widened with its default, a default changed, a type
    narrowed (the data check counts rows that do not fit), a policy's USING."""
    s = Schema("public")
    columns = [Column("id", "bigint", not_null=True, identity=Identity(always=True)),
               Column("customer_id", "bigint", not_null=True),
               Column("status", "text", not_null=True, default=Expr("'pending'::text" if desired else "'new'::text")),
               Column("total", "numeric(12,2)" if desired else "numeric(10,2)", not_null=True,
                      default=Expr("0.00" if desired else "0")),
               Column("reference", "varchar(12)" if desired else "varchar(40)")]
    if not desired:
        columns.append(Column("coupon_code", "text"))
    s.add(Table("orders", tuple(columns)))
    s.add(Constraint("orders", "orders_pkey", "PRIMARY KEY", columns=("id",)))
    setting = "app.customer_id" if desired else "app.customer"
    s.add(Policy("orders", "orders_own", using=Expr(f"customer_id = (current_setting('{setting}'::text))::bigint")))
    return s


def orders_session() -> ReviewSession:
    """The planner's plan, with the data check's count as `review` adds it (3 references too long)."""
    live, desired = orders_schema(False), orders_schema(True)
    plan = build_plan(live, desired)
    checks = data_checks(plan.steps, live)
    outcomes = [CheckOutcome(3, (("1017", "ORD-2026-000017-EU"), ("1018", "ORD-2026-000018-EU")))]
    plan = with_data_check_hazards(plan, checks, outcomes, "2s")
    return ReviewSession(plan, live=live, desired=desired, source="orders.sql")


def make_app(clock: FixedClock | None = None) -> ReviewApp:
    settings = ConnectionSettings(host="db.example.com", port="5432", db="shop", user="app")
    return ReviewApp(orders_session(), settings=settings, clock=clock or FixedClock(), output_path="plan.json")


def step_of(app: ReviewApp, path: str, action: str) -> int:
    return next(r.index for r in app.session.refs if r.step.path == path and app.session.action(r) == action)


def test_the_plan_is_the_one_the_snapshots_show():
    """The snapshots below move the cursor by position: pin the plan they were taken of."""
    session = orders_session()
    assert [(r.step.path, session.action(r), [h.type for h in r.step.hazards]) for r in session.refs] == [
        ("public.orders.coupon_code", "drop column", ["data_loss", "access_exclusive_lock"]),
        ("public.orders.status", "set default", ["access_exclusive_lock"]),
        ("public.orders.total", "set type", ["access_exclusive_lock"]),
        ("public.orders.total", "set default", ["access_exclusive_lock"]),
        ("public.orders.reference", "set type", ["data_loss", "table_rewrite", "access_exclusive_lock", "data_check"]),
        ("public.orders.orders_own", "alter", []),
    ]


# ------------------------------------------------------------------ Review: attribute diffs ---

def _review_at(app: ReviewApp, path: str, action: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        app.screen.show_step(step_of(app, path, action), move_cursor=True)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_review_column_attribute_diffs(snap_compare, size):
    """`type: numeric(10,2) → numeric(12,2)` and `default: 0 → 0.00` in the step's details."""
    app = make_app()
    assert snap_compare(app, terminal_size=size, run_before=_review_at(app, "public.orders.total", "set type"))


@pytest.mark.parametrize("size", SIZES)
def test_review_policy_using_diff(snap_compare, size):
    """A policy's `using: old → new` in the step's details."""
    app = make_app()
    assert snap_compare(app, terminal_size=size, run_before=_review_at(app, "public.orders.orders_own", "alter"))


# ------------------------------------------------------------ per-hazard acknowledgement ---

@pytest.mark.parametrize("size", SIZES)
def test_hazard_acknowledgement_screen(snap_compare, size):
    """Apply's `h`: every hazard of the plan on its own line; the drop's data_loss acknowledged
    (space) without its lock hazard; the data check's count on the highlighted hazard, in full."""
    assert snap_compare(make_app(), press=["4", "h", "space", *["down"] * 8], terminal_size=size)


# ------------------------------------------------------------------------- lock waits ---

def _lock_wait_events(app: ReviewApp, at: float) -> list[ev.Event]:
    """Step 3 (ALTER COLUMN total TYPE) on its third attempt, waiting for ACCESS EXCLUSIVE on
    orders: pid 48213 holds ROW EXCLUSIVE there and itself waits for pid 48190 (a row lock); two
    sessions queue behind our request. The events the executor yields while it polls the monitor."""
    refs = app.session.refs
    out: list[ev.Event] = [ev.PlanStarted(total_steps=len(refs), total_groups=len(app.session.plan.groups), at=at),
                           ev.GroupStarted(group=0, transactional=True, at=at)]
    for i in range(2):
        out += [ev.StepStarted(index=i, group=0, path=refs[i].step.path, operation=refs[i].step.operation,
                               sql=refs[i].step.sql, at=at + i),
                ev.StepFinished(index=i, duration_seconds=0.004, at=at + i)]
    step = refs[2].step
    out.append(ev.StepStarted(index=2, group=0, path=step.path, operation=step.operation, sql=step.sql, at=at + 2))
    blocker = Blocker(pid=48213, query=BLOCKER_QUERY, state="active", age_seconds=47.0,
                      lock_mode="AccessExclusiveLock", relation="orders", held_mode="RowExclusiveLock",
                      waits_for=(48190,))
    out.append(replace(blocker.lock_wait(2, attempt=2), at=at + 3))  # what the monitor yields, at a fixed time
    out.append(ev.LockQueue(index=2, relation="orders", lock_mode="AccessExclusiveLock", waited_seconds=4.0, sessions=(
        ev.QueuedSession(48213, "holds", "RowExclusiveLock", "active", None, 47.0, BLOCKER_QUERY, "shop-api"),
        ev.QueuedSession(48301, "behind", "AccessShareLock", "active", 3.0, 3.0,
                         "SELECT id, status, total FROM orders WHERE customer_id = $1", "shop-api"),
        ev.QueuedSession(48305, "behind", "RowExclusiveLock", "active", 2.0, 2.0,
                         "INSERT INTO orders (customer_id, total) VALUES ($1, $2)", "shop-worker"),
    ), at=at + 3))
    return out


async def _in_a_lock_wait(pilot, app: ReviewApp, clock: FixedClock, advance: float = 0) -> None:
    """Open Apply and post `_lock_wait_events` as a running apply receives them; then `advance`
    the clock and redraw."""
    await pilot.press("4")
    await pilot.pause()
    screen = app.apply_screen
    screen.state.phase = "running"
    app.applying = True
    for event in _lock_wait_events(app, clock.now):
        screen.post_message(ApplyEvent(event))
    clock.advance(advance)
    await pilot.pause()
    screen.redraw()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_apply_lock_waits_panel(snap_compare, size):
    clock = FixedClock()
    app = make_app(clock)

    async def run_before(pilot) -> None:
        await _in_a_lock_wait(pilot, app, clock, advance=7)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


# -------------------------------------------------------- write the plan: replace files? ---

@pytest.mark.parametrize("size", SIZES)
def test_write_plan_asks_before_replacing(snap_compare, size, tmp_path, monkeypatch):
    """`w`, enter: plan.json and plan.sql exist in the folder, so the app asks before replacing them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.json").write_text("{}")
    (tmp_path / "plan.sql").write_text("-- an older plan\n")
    assert snap_compare(make_app(), press=["w", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_lock_waits_panel_shows_what_a_dba_needs_without_scrolling(size):
    """Issue 12 item 4 on the screen, not only in the widget's text: at 120 columns the blocker's
    pid, held and requested locks, age, attempt, query, chain and every session queued behind;
    at 80 columns at least the pid, both locks, the age and the attempt."""
    import asyncio

    from test_tui_support import screen_text

    async def run() -> str:
        clock = FixedClock()
        app = make_app(clock)
        async with app.run_test(size=size) as pilot:
            await _in_a_lock_wait(pilot, app, clock)
            width = size[0]
            lines = screen_text(app).splitlines()[:-8]  # the panels above the log
            return " ".join(" ".join(line[width * 3 // 5:].strip("│╭╮╰╯─ ") for line in lines).split())

    shown = asyncio.run(run())
    must = ["pid 48213", "holds RowExclusiveLock", "for 47 s", "attempt 3", "wants AccessExclusiveLock"]
    if size == (120, 36):
        must += [BLOCKER_QUERY, "itself waits for pid 48190", "2 session(s) wait behind step 3",
                 "pid 48301 wants AccessShareLock", "pid 48305 wants RowExclusiveLock"]
    for fact in must:
        assert fact in shown, (fact, shown)


@pytest.mark.parametrize("size", SIZES)
def test_hazard_screen_says_the_whole_hazard_and_its_acknowledgement_in_words(size, monkeypatch):
    """The checklist's one-line prompts are cut (`drops column coupon_code of …`) and its ticks
    are colour only: the highlighted hazard is said in full, acknowledged or not in words."""
    import asyncio

    from test_tui_support import dialog_text, screen_text

    monkeypatch.setenv("NO_COLOR", "1")

    async def run() -> tuple[str, str, set, str]:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.press("4", "h", "space")
            await pilot.pause()
            first = dialog_text(app)
            await pilot.press("down")
            await pilot.pause()
            second = dialog_text(app)
            await pilot.press(*["down"] * 7)  # the data check's hazard: the longest text
            await pilot.pause()
            return first, second, set(app.session.acknowledged_hazards), screen_text(app)

    first, second, acked, screen = asyncio.run(run())
    assert "space: acknowledge / take back · escape: close" in screen, screen  # not cut off at 80x24
    assert acked == {(0, 0)}, acked
    assert "1 of 9 acknowledged" in first, first
    assert ("step 1 orders.coupon_code · drop column data_loss (blocks apply): drops column coupon_code of "
            "public.orders and its data · acknowledged") in first, first
    assert ("step 1 orders.coupon_code · drop column access_exclusive_lock: takes ACCESS EXCLUSIVE on "
            "public.orders: reads and writes wait · not acknowledged") in second, second


def test_apply_header_says_the_waiting_step_waits():
    """Issue 12 defect 5 in the header too: a step waiting for its lock is not "running for" the
    whole time since it started; the header says waited and ran apart, as the step's row does."""
    import asyncio

    from test_tui_support import screen_text

    async def run() -> str:
        clock = FixedClock()
        app = make_app(clock)
        async with app.run_test(size=(120, 36)) as pilot:
            await _in_a_lock_wait(pilot, app, clock, advance=7)
            return screen_text(app)

    text = asyncio.run(run())
    assert "running for" not in text, text
    assert "step 3 waiting for a lock: waited 4.0 s, ran 1.0 s" in text, text

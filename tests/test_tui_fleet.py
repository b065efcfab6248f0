"""`review` over several targets against a real server: the Fleet screen groups identical plans,
a group opens in Review, a drifted tenant has a plan of its own, the fleet is applied with the
single-target Apply's rigor (databases named, blocking hazards acknowledged, `yes` typed) and a
tenant whose table another session locks fails alone, listed with its error; the exit status is
the CLI's."""
from __future__ import annotations

import threading
from dataclasses import replace

from conftest import cli_flags
from test_tui_support import screen_text, sync

from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.cli import build_parser, main
from pgschema_tui.commands.review import build_app
from pgschema_tui.tui.screens.confirm import TypeYesScreen

TENANT = """
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL DEFAULT '', legacy text);
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id));
"""
DESIRED = TENANT.replace("legacy text)", "legacy text, note text)")  # one column more
DROPPED = TENANT.replace(", legacy text)", ", note text)")  # one column more, one less (data_loss with rows)


def _tenants(conn, names, sql=TENANT):
    for name in names:
        conn.execute(f'CREATE SCHEMA "{name}"')
        conn.execute(f'SET search_path TO "{name}"')
        conn.execute(sql)
    conn.execute("RESET search_path")


def _columns(conn, schema, table="users"):
    return [r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum", (f'"{schema}".{table}',)).fetchall()]


def _app(db, tmp_path, spec, sql=DESIRED):
    path = tmp_path / "schema.sql"
    path.write_text(sql)
    args = build_parser().parse_args(["review", *cli_flags(db), "--file", str(path), "--schema", spec,
                                      "--parallel", "2"])
    app = build_app(args)
    # short lock waits, no retries: a locked tenant fails in a fraction of a second
    app.apply_options = replace(app.apply_options or ApplyOptions(), lock_timeout_ms=300, lock_retries=0,
                                poll_interval=0.05)
    return app


def _flat(app) -> str:
    return " ".join(screen_text(app).split())


async def _until(pilot, condition, seconds: float = 60.0) -> None:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("condition not reached")


@sync
async def test_groups_drill_down_and_a_drifted_tenant(db, conn, tmp_path):
    _tenants(conn, ["t1", "t2", "t3"])
    _tenants(conn, ["t4"], DESIRED)  # up to date
    _tenants(conn, ["t5"])
    conn.execute("ALTER TABLE t5.users ALTER COLUMN email SET DEFAULT 'drift'")  # drifted
    app = _app(db, tmp_path, "t*")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = _flat(app)
        assert app.current_mode == "fleet"
        assert "Fleet: 5 targets, 3 distinct plans; 4 with changes." in text
        assert "[1] 1 target: no changes" in text
        assert "[2] 3 targets: + users.note" in text
        assert "[3] 1 target: ~ users.email, + users.note" in text
        rows = {app.fleet.label(t): (p.group, p.status) for t, p in app.fleet.progress.items()}
        assert rows == {"t4": (1, "queued"), "t1": (2, "queued"), "t2": (2, "queued"), "t3": (2, "queued"),
                        "t5": (3, "queued")}
        # drill down into group 2: its plan in Review, its targets named
        await pilot.press("down", "enter")
        await _until(pilot, lambda: app.current_mode == "review")
        await pilot.pause()
        text = _flat(app)
        assert "Plan [2] of the fleet, for 3 targets: t1, t2, t3." in text
        assert "users.note" in text and "ALTER TABLE users ADD COLUMN note text;" in text
        assert [s.sql for s in app.session.plan.steps] == ["ALTER TABLE users ADD COLUMN note text;"]
        # the drifted tenant's plan also puts its default back
        await pilot.press("0", "down", "enter")
        await _until(pilot, lambda: app.current_mode == "review" and app.group_number == 3)
        await pilot.pause()
        text = _flat(app)
        assert "Plan [3] of the fleet, for 1 target: t5." in text
        assert any("SET DEFAULT ''" in s.sql for s in app.session.plan.steps), app.session.plan.steps
        # Explore, Graph and the single-target Apply are not offered over a fleet
        await pilot.press("4")
        assert app.current_mode == "review"
        await pilot.press("q")
    assert app.return_code == 0
    assert all("note" not in _columns(conn, s) for s in ("t1", "t2", "t3", "t5"))  # nothing applied


def _hold_lock(db, table: str, ready: threading.Event, release: threading.Event):
    with db.connect(autocommit=False) as other:
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        ready.set()
        release.wait(60)
        other.rollback()


@sync
async def test_apply_the_fleet_with_one_tenant_locked(db, conn, tmp_path):
    _tenants(conn, ["t_a", "t_b", "t_c", "t_d"])
    _tenants(conn, ["t_e"], DESIRED)
    app = _app(db, tmp_path, "t_*")
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db, "t_b.users", ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("A")
            assert isinstance(app.screen, TypeYesScreen)
            detail = " ".join(app.screen.detail.split())  # what the dialog shows, unwrapped
            assert f"database '{db.db}'" in detail and "5 schemas (t_a, t_b, t_c, t_d, t_e)" in detail, detail
            assert "4 targets with changes in 1 plan ([2]); 1 without changes" in detail
            await pilot.press(*"no", "enter")
            assert isinstance(app.screen, TypeYesScreen)  # only "yes" applies
            await pilot.press(*"yes", "enter")
            await _until(pilot, lambda: app.fleet.phase == "finished")
            await pilot.pause()
            status = {app.fleet.label(t): p.status for t, p in app.fleet.progress.items()}
            assert status == {"t_a": "applied", "t_b": "failed", "t_c": "applied", "t_d": "applied",
                              "t_e": "no changes"}
            failed = app.fleet.progress[next(t for t in app.fleet.progress if t.schema == "t_b")]
            assert "lock" in failed.message.lower(), failed.message
            text = _flat(app)
            assert "Fleet apply finished: 3 applied, 1 no changes, 1 failed. Exit status 1" in text
            assert "t_b: " in text and "╭─ Failed" in screen_text(app)  # listed with its error
            await pilot.press("q")
        assert app.return_code == 1
    finally:
        release.set()
        holder.join()
    for schema in ("t_a", "t_c", "t_d"):
        assert "note" in _columns(conn, schema), schema
    assert "note" not in _columns(conn, "t_b")


@sync
async def test_blocking_hazards_are_acknowledged_per_group(db, conn, tmp_path):
    """A data_loss hazard blocks the fleet apply until acknowledged in its group's Review."""
    _tenants(conn, ["h_full", "h_empty"])
    conn.execute("INSERT INTO h_full.users VALUES (1, 'a', 'old value')")
    app = _app(db, tmp_path, "h_*", DROPPED)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "blocking hazard(s) not acknowledged (data_loss in [" in _flat(app)
        await pilot.press("A")
        assert not isinstance(app.screen, TypeYesScreen)  # refused: not even asked
        number = next(n for n in app.fleet.changed_groups()
                      if any(h.type == "data_loss" for s in app.fleet.group(n).plan.steps for h in s.hazards))
        for _ in range(number - 1):
            await pilot.press("down")
        await pilot.press("enter")
        await _until(pilot, lambda: app.current_mode == "review" and app.group_number == number)
        dropping = next(r.index for r in app.session.refs if r.step.hazards)
        app.screen.show_step(dropping, move_cursor=True)
        await pilot.press("a", "0")
        await pilot.pause()
        assert "blocking hazard(s) not acknowledged" not in _flat(app)
        await pilot.press("A")
        assert isinstance(app.screen, TypeYesScreen)
        await pilot.press(*"yes", "enter")
        await _until(pilot, lambda: app.fleet.phase == "finished")
        statuses = {t.schema: p.status for t, p in app.fleet.progress.items()}
        assert statuses == {"h_full": "applied", "h_empty": "applied"}, app.fleet.failed()
        await pilot.press("q")
    assert app.return_code == 0
    assert _columns(conn, "h_full") == ["id", "email", "note"]


def test_review_over_a_fleet_is_no_longer_refused(db, conn, tmp_path, capsys):
    """Before: `review takes one schema`. A fleet with nothing to review still plans first, and
    bad input is one clear error."""
    path = tmp_path / "schema.sql"
    path.write_text(DESIRED)
    code = main(["review", *cli_flags(db), "--file", str(path), "--schema", "nope_*"])
    err = capsys.readouterr().err
    assert code == 1 and "'nope_*' matches no schema" in err and "takes one schema" not in err


@sync
async def test_a_hazard_only_another_tenant_of_the_group_has_is_shown_and_blocks(db, conn, tmp_path):
    """Two tenants with one plan (`SET NOT NULL`); only the second has a NULL, so only its plan
    has the data_check hazard. The group's Review shows the first's plan: the hazard must still
    be listed there and block the apply until acknowledged; then that tenant fails alone."""
    live = "CREATE TABLE accounts (id integer PRIMARY KEY, email text);"
    _tenants(conn, ["dc_a", "dc_b"], live)
    conn.execute("INSERT INTO dc_a.accounts VALUES (1, 'a@example.com'); INSERT INTO dc_b.accounts VALUES (1, NULL)")
    app = _app(db, tmp_path, "dc_*", live.replace("email text", "email text NOT NULL"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert len(app.fleet.groups) == 1 and [m.target.schema for m in app.fleet.groups[0].members] == ["dc_a", "dc_b"]
        assert not any(h.type == "data_check" for s in app.fleet.groups[0].plan.steps for h in s.hazards)
        text = _flat(app)
        from pgschema_tui.tui.widgets.fleet_groups import hazard_line  # the group's line, unwrapped

        assert "data_check on 1 of 2 (blocks apply; not acknowledged)" in str(hazard_line(app.fleet, 1))
        assert "blocking hazard(s) not acknowledged (data_check in [1])" in text
        await pilot.press("A")
        assert not isinstance(app.screen, TypeYesScreen)
        await pilot.press("enter")
        await _until(pilot, lambda: app.current_mode == "review" and app.group_number == 1)
        checked = next(r.index for r in app.session.refs if any(h.type == "data_check" for h in r.step.hazards))
        app.screen.show_step(checked, move_cursor=True)
        await pilot.press("a", "0")
        await pilot.pause()
        assert "blocking hazard(s) not acknowledged" not in _flat(app)
        await pilot.press("A", *"yes", "enter")
        await _until(pilot, lambda: app.fleet.phase == "finished")
        rows = {t.schema: p for t, p in app.fleet.progress.items()}
        assert rows["dc_a"].status == "applied" and rows["dc_b"].status == "failed", rows
        assert "null" in rows["dc_b"].message.lower(), rows["dc_b"].message
        await pilot.press("q")
    assert app.return_code == 1
    nullable = dict(conn.execute("SELECT n.nspname, a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = "
                                 "a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = "
                                 "'accounts' AND a.attname = 'email'").fetchall())
    assert nullable == {"dc_a": True, "dc_b": False}


@sync
async def test_targets_file_over_two_databases_names_both(db, second_db, conn, tmp_path):
    """`review --targets FILE`: targets labelled database/schema, the confirmation names both
    databases, each target applied in its own database."""
    _tenants(conn, ["acme", "globex"])
    with second_db.connect() as other:
        _tenants(other, ["initech"])

    def conninfo(s):
        return f"host={s.host} port={s.port} dbname={s.db}" + (f" user={s.user}" if s.user else "")

    targets = tmp_path / "targets.toml"
    targets.write_text(f'[[target]]\nname = "eu"\nconninfo = "{conninfo(db)}"\npattern = "acme,globex"\n'
                       f'[[target]]\nname = "us"\nconninfo = "{conninfo(second_db)}"\nschema = "initech"\n')
    desired = tmp_path / "schema.sql"
    desired.write_text(DESIRED)
    app = build_app(build_parser().parse_args(["review", "--targets", str(targets), "--file", str(desired)]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = _flat(app)
        assert "Fleet: 3 targets in 2 databases, 1 distinct plan; 3 with changes." in text
        assert "eu/acme" in text and "us/initech" in text
        await pilot.press("A")
        detail = " ".join(app.screen.detail.split())
        assert f"database '{db.db}'" in detail and f"database '{second_db.db}'" in detail
        assert "2 schemas (acme, globex)" in detail and "1 schema (initech)" in detail
        await pilot.press(*"yes", "enter")
        await _until(pilot, lambda: app.fleet.phase == "finished")
        assert {app.fleet.label(t): p.status for t, p in app.fleet.progress.items()} == {
            "eu/acme": "applied", "eu/globex": "applied", "us/initech": "applied"}
        await pilot.press("q")
    assert app.return_code == 0
    with second_db.connect() as other:
        assert "note" in _columns(other, "initech")
    assert "note" in _columns(conn, "acme")


def _waiting_on_lock(db) -> bool:
    with db.connect() as c:
        return bool(c.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0])


@sync
async def test_abort_cancels_running_targets_and_starts_no_other(db, conn, tmp_path):
    """X while a target waits for a lock: that target fails (its statement cancelled), the ones
    not started are skipped, nothing else is applied; the exit status is 1."""
    _tenants(conn, ["x_a", "x_b", "x_c"])
    app = _app(db, tmp_path, "x_*")
    app.apply_options = replace(app.apply_options, lock_timeout_ms=60_000)  # it would wait a minute
    app.applier.parallel = 1
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db, "x_a.users", ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("A", *"yes", "enter")
            await _until(pilot, lambda: _waiting_on_lock(db))
            await pilot.press("X", "y")
            await _until(pilot, lambda: app.fleet.phase == "finished", seconds=30)
            status = {t.schema: p.status for t, p in app.fleet.progress.items()}
            assert status == {"x_a": "failed", "x_b": "skipped", "x_c": "skipped"}, status
            aborted = next(p for t, p in app.fleet.progress.items() if t.schema == "x_a")
            assert "aborted during the pre-apply check: nothing was applied" in aborted.message
            await pilot.press("q")
        assert app.return_code == 1
    finally:
        release.set()
        holder.join()
    assert all("note" not in _columns(conn, s) for s in ("x_a", "x_b", "x_c"))


@sync
async def test_a_saved_fleet_plan_is_reviewed_and_a_stale_target_refused(db, conn, tmp_path, capsys):
    """`review --plan fleet.json`: the saved plan's groups; a tenant changed since the plan is
    refused by its fingerprint (failed, named), the others are applied."""
    _tenants(conn, ["s_a", "s_b", "s_c"])
    desired = tmp_path / "schema.sql"
    desired.write_text(DESIRED)
    plan_file = tmp_path / "fleet.json"
    assert main(["plan", *cli_flags(db), "--file", str(desired), "--schema", "s_*", "--output-json", str(plan_file)]) == 0
    capsys.readouterr()
    conn.execute("ALTER TABLE s_b.orders ADD COLUMN late integer")  # after the plan
    app = build_app(build_parser().parse_args(["review", *cli_flags(db), "--plan", str(plan_file)]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = _flat(app)
        assert "fleet.json" in text and "Fleet: 3 targets, 1 distinct plan; 3 with changes." in text
        await pilot.press("A", *"yes", "enter")
        await _until(pilot, lambda: app.fleet.phase == "finished")
        rows = {t.schema: p for t, p in app.fleet.progress.items()}
        assert {s: r.status for s, r in rows.items()} == {"s_a": "applied", "s_b": "failed", "s_c": "applied"}
        assert "orders" in rows["s_b"].message and "changed" in rows["s_b"].message, rows["s_b"].message
        await pilot.press("q")
    assert app.return_code == 1
    assert "note" not in _columns(conn, "s_b") and "note" in _columns(conn, "s_a")

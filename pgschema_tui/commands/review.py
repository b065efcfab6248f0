"""`pgschema-tui review`: plan a file, open a saved plan, or run the demo, in the terminal reviewer.

Everything that touches the database happens here, before the app starts (planning,
inspection) or inside the app's apply worker; the app itself only draws.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from pgschema_tui.commands.common import connect_to_schema
from pgschema_tui.ddl.quote import ident
from pgschema_tui.errors import UserError

DEMO_DB = "shop_demo"


def run(args) -> int:
    from pgschema_tui.apply.options import ApplyOptions

    ApplyOptions.from_args(args)  # a bad value is refused before anything starts or connects
    if args.demo:
        return _run_demo(args)
    if _is_fleet(args):  # several targets: the Fleet reviewer (commands/fleet_review.py)
        from pgschema_tui.commands import fleet_review

        return fleet_review.run(args)
    build_app(args).run()
    return 0


def build_app(args):
    """The reviewer for `--file` (plan now) or `--plan` (a saved plan), ready to `run()`; over
    several targets, the Fleet reviewer."""
    if _is_fleet(args):
        from pgschema_tui.commands import fleet_review

        return fleet_review.build_app(args)
    if args.plan:
        return _saved_plan_app(args)
    from pgschema_tui.commands.plan import connect_and_plan

    settings, conn, (plan, live, desired) = connect_and_plan(args)  # parses before connecting
    try:
        sizes = _sizes(conn, plan.schema or args.schema)
    finally:
        conn.close()
    app = _app(plan, live, desired, settings, args, source=Path(args.file).name, sizes=sizes)
    app.replan = lambda: _replanned(args)
    return app


def _is_fleet(args) -> bool:
    """Several targets (`--schema` list or pattern, `--targets FILE`) or a saved fleet plan."""
    from pgschema_tui.commands.fleet import is_fleet
    from pgschema_tui.commands.fleet_apply import is_fleet_plan_file

    return is_fleet(args) or is_fleet_plan_file(args.plan)


def _replanned(args):
    """`r` in the app: read the files again, inspect the database again, plan again."""
    from pgschema_tui.commands.plan import connect_and_plan
    from pgschema_tui.tui.session import ReviewSession

    _settings, conn, (plan, live, desired) = connect_and_plan(args)
    try:
        sizes = _sizes(conn, plan.schema or args.schema)
    finally:
        conn.close()
    return ReviewSession(plan, live=live, desired=desired, source=Path(args.file).name, sizes=sizes)


def _sizes(conn, schema: str):
    """Row estimates and total sizes of the live relations, for Explore (one catalog query)."""
    from pgschema_tui.inspect.sizes import relation_sizes

    return relation_sizes(conn, schema)


def _saved_plan_app(args):
    """A saved plan; with a reachable database we also show its live objects and can apply."""
    from pgschema_tui.commands.apply import load_plan_file

    plan = load_plan_file(args.plan)
    banner = _foreign_plan_banner(plan, args)
    live, settings, notice, sizes = None, None, "", None
    try:
        settings, conn = connect_to_schema(args)
    except UserError as exc:
        notice = f"{exc}: reviewing without a database (Apply is disabled)."
        print(f"Note: {notice}", file=sys.stderr)
    else:
        try:
            from pgschema_tui.inspect import inspect_schema

            live = inspect_schema(conn, plan.schema or args.schema, tuple(plan.search_path))
            sizes = _sizes(conn, plan.schema or args.schema)
        finally:
            conn.close()
    if banner:  # nothing here may apply it: no connection settings reach the app
        settings, notice = None, banner
    app = _app(plan, live, None, settings, args, source=Path(args.plan).name, notice=notice, sizes=sizes)
    app.banner = banner
    if settings is not None:
        app.replan = lambda: _reinspected(plan, args)
    return app


def _foreign_plan_banner(plan, args) -> str:
    """A plan another tool wrote (pgschema): refused unless --unverified-plan, then read-only.
    Its fingerprint is that tool's hash of its own model, so we can never confirm the database
    is still what it was planned against."""
    from pgschema_tui.plan.model import TOOL_NAME

    if plan.origin == TOOL_NAME:
        return ""
    who = f"{plan.origin or 'another tool'} {plan.pgschema_version}".strip()
    if not getattr(args, "unverified_plan", False):
        raise UserError(f"{args.plan} was written by {who}, not by pgschema-tui: its fingerprint cannot be checked "
                        f"here, so the reviewer cannot tell whether the database still matches it. Plan again with "
                        f"`pgschema-tui plan --output-json`, or pass --unverified-plan to read it (read-only).")
    return (f"Unverified plan written by {who}: its fingerprint cannot be checked, so this reviewer is "
            f"read-only (Apply is disabled). Plan again with pgschema-tui to apply.")


def _reinspected(plan, args):
    """`r` with a saved plan: the plan stays as saved (it is what was reviewed); the live side is read again."""
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.tui.session import ReviewSession

    _settings, conn = connect_to_schema(args)
    try:
        live = inspect_schema(conn, plan.schema or args.schema, tuple(plan.search_path))
        sizes = _sizes(conn, plan.schema or args.schema)
    finally:
        conn.close()
    return ReviewSession(plan, live=live, source=Path(args.plan).name, sizes=sizes)


def _app(plan, live, desired, settings, args, source: str, notice: str = "", sizes=None):
    from pgschema_tui.apply.options import ApplyOptions
    from pgschema_tui.tui.app import ReviewApp
    from pgschema_tui.tui.session import ReviewSession

    session = ReviewSession(plan, live=live, desired=desired, source=source, sizes=sizes)
    from dataclasses import replace

    # --lock-timeout, --lock-retries, --index-build-timeout, --statement-timeout, --max-lock-queue, the data-check flags
    options = replace(ApplyOptions.from_args(args), schema=plan.schema or args.schema)
    return ReviewApp(session, settings=settings, apply_options=options,
                     source_label=source, notice=notice)


def _run_demo(args) -> int:
    """Start a throwaway server, load the sample shop, plan the changed shop, open the app."""
    from pgschema_tui.embedded import EmbeddedServer

    print("Starting a throwaway PostgreSQL with the demo shop (a few seconds)...", file=sys.stderr)
    with EmbeddedServer() as server:
        with demo_app(args, server.settings()) as app:
            app.run()
        print("Stopping the demo server...", file=sys.stderr)
    print("The demo server is gone; nothing outside it was touched.", file=sys.stderr)
    return 0


@contextmanager
def demo_app(args, admin, db: str = DEMO_DB, hold_seconds: float = 30.0):
    """On the server of `admin` (a superuser's settings): create database `db` with the sample shop,
    plan the changed shop, start the shop's application (tui/demo/traffic.py: a session that
    blocks the plan's ALTER TABLE, the session it waits for, readers queueing behind), and yield
    the app ready to `run()`. The application's sessions end when the block is left."""
    from importlib import resources

    from pgschema_tui.tui.demo.traffic import DemoTraffic

    demo = resources.files("pgschema_tui.tui.demo")
    with admin.connect() as conn:
        conn.execute(f"CREATE DATABASE {ident(db)}")
    settings = admin.with_db(db)
    with settings.connect() as conn:
        conn.execute(demo.joinpath("shop_live.sql").read_text())
        conn.execute(demo.joinpath("shop_seed.sql").read_text())
    with resources.as_file(demo.joinpath("shop_desired.sql")) as desired_file:
        demo_args = argparse.Namespace(**{**vars(args), "file": str(desired_file), "demo": False,
                                          "host": settings.host, "port": settings.port, "db": db,
                                          "user": settings.user, "password": settings.password,
                                          "sslmode": settings.sslmode, "schema": "public"})
        app = build_app(demo_args)
    # The demo's index builds in a fraction of a second: poll often enough to show its phases.
    app.apply_options = replace(app.apply_options, poll_interval=0.05)
    traffic = DemoTraffic(settings, hold_seconds=hold_seconds)
    try:
        traffic.start()
        app.notice = traffic.describe()
        app.demo_traffic = traffic
        yield app
    finally:
        traffic.stop()

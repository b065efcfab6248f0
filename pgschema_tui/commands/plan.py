"""`pgschema-tui plan`: compare the desired-state files with the live schema and print the migration.

`connect_and_plan` is shared with `apply --file` and `review`: it loads both sides and builds
the plan, so all three see exactly the same plan for the same input.
"""
from __future__ import annotations

import os
import sys
from typing import NamedTuple

from pgschema_tui.commands.common import (collector_paused, connect_to_schema, ignore_rules, session_search_path,
                                          write_output)
from pgschema_tui.errors import UserError
from pgschema_tui.ir.model import Schema
from pgschema_tui.plan.model import Plan

EXIT_NO_CHANGES, EXIT_CHANGES = 0, 2


class PlanResult(NamedTuple):
    plan: Plan
    live: Schema
    desired: Schema


def desired_from_args(args, files=None, extensions=(), session=None, neighbours=()):
    """The desired state of `--file` (from its already read `desired.DesiredFiles` when given);
    `extensions` and `neighbours` (other schemas' DDL) are the live database's, for the
    `--plan-db` server; `session` the connected session's facts (`parse.session.SessionFacts`)."""
    from pgschema_tui.desired import load_desired

    return load_desired(args.file, args.schema, plan_db=getattr(args, "plan_db", None), files=files,
                        extensions=tuple(extensions), session=session, neighbours=tuple(neighbours))


def _plan(args, live: Schema, desired: Schema, sizes, server_version: int | None = None) -> PlanResult:
    from pgschema_tui.errors import UserError
    from pgschema_tui.plan.guards import drop_all_refusal
    from pgschema_tui.plan.planner import build_plan

    refusal = None if getattr(args, "allow_drop_all", False) else drop_all_refusal(live, desired)
    if refusal:
        raise UserError(refusal)
    plan = build_plan(live, desired, online=not getattr(args, "no_online", False), sizes=sizes,
                      server_version=server_version)
    return PlanResult(plan, live, desired)


def say_column_order(live: Schema, desired: Schema, prefix: str = "") -> None:
    """The notes of `plan/column_order.py` on stderr (`prefix` names a fleet's target)."""
    from pgschema_tui.plan.column_order import column_order_notes

    for note in column_order_notes(live, desired):
        print(prefix + note, file=sys.stderr)


def connect_and_plan(args, bound=None):
    """Read `--file`, then build its IR while a worker thread connects and inspects the live
    schema (the server does its part meanwhile); returns (settings, open connection, PlanResult).

    Syntax errors are found by the first step, before any connection is opened (files the
    desired-state cache knows are not parsed at all: `desired.DesiredFiles`). Whichever side
    fails, its error is raised and the connection (if any) is closed. With `bound` (apply's
    `ApplyOptions`), the reads of the live schema run under its lock timeout and retries and
    name the session they waited for (`apply/live_inspection.py`); Ctrl-C cancels them.
    """
    data_check_timeout(args)  # a bad value fails before connecting
    with collector_paused():
        return _connect_and_plan(args, bound)


def _connect_and_plan(args, bound=None):
    from concurrent.futures import Future, ThreadPoolExecutor

    from pgschema_tui.desired import DesiredFiles
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.parse.session import SessionFacts

    files = DesiredFiles.open(args.file, args.schema)  # syntax errors, and refuses all-foreign, before connecting
    for warning in files.notes.foreign:
        print(warning, file=sys.stderr)
    rules = ignore_rules(args)
    args = _with_plan_db(args)
    plan_db = args.plan_db

    session: Future = Future()  # known right after connecting, long before the inspection ends
    reads: Future = Future()  # the LiveInspection the live side reads through, for Ctrl-C

    def connect_and_inspect():
        from pgschema_tui.apply.live_inspection import LiveInspection

        try:
            settings, conn = connect_to_schema(args)
        except BaseException as exc:
            session.set_exception(exc)
            reads.set_result(None)
            raise
        try:
            path = session_search_path(args, conn)
            inspection = LiveInspection.for_options(conn, bound, doing="to plan it") if bound \
                else LiveInspection(conn, args.schema, doing="to plan it")
            reads.set_result(inspection)
            session.set_result(SessionFacts(*conn.execute(SessionFacts.SQL).fetchone(), search_path=path))
            extensions = _installed_extensions(conn)
            live = inspection.run(lambda c: inspect_schema(c, args.schema, path))
            neighbours = inspection.run(lambda c: _neighbour_schemas(c, files, args.schema)) if plan_db else ()
            if plan_db:  # CREATE FOREIGN TABLE needs its (database-wide) server there too
                neighbours = (*neighbours, *inspection.run(_live_servers))
            inspection.run(lambda c: _warn_unmanaged(c, args.schema))
            return settings, conn, live, _sizes(conn, args.schema), (extensions, neighbours)
        except BaseException as exc:
            if not session.done():
                session.set_exception(exc)
            conn.close()
            raise

    with ThreadPoolExecutor(max_workers=1) as pool:
        live_side = pool.submit(connect_and_inspect)
        try:
            # the --plan-db server gets the live database's extensions and the other schemas the
            # files name first, so wait for them
            extensions, neighbours = live_side.result()[4] if plan_db else ((), ())
            desired = desired_from_args(args, files, extensions, session.result(), neighbours)
            live_side.result()  # waited for here, where Ctrl-C can cancel its reads
        except BaseException:
            if isinstance(sys.exc_info()[1], KeyboardInterrupt) and reads.result() is not None:
                reads.result().abort()  # Ctrl-C: cancel the read the live side waits on
            if live_side.exception() is None:
                live_side.result()[1].close()
            raise
        settings, conn, live, sizes, (extensions, _neighbours) = live_side.result()
    for line in files.notes.skipped:
        print(line, file=sys.stderr)
    _say_missing_extensions(files.notes.extensions, extensions)
    try:
        if not plan_db:  # the --plan-db server has checked every name already
            _check_names(conn, files, desired, args.schema, (args.schema, *session.result().search_path))
        live, desired, ignored = _without_ignored(rules, live, desired)
        if bound:  # the hazards read relation sizes, which wait behind an ACCESS EXCLUSIVE lock too
            from pgschema_tui.apply.live_inspection import LiveInspection

            result = LiveInspection.for_options(conn, bound, doing="to plan it").run(
                lambda c: _plan(args, live, desired, sizes, conn.info.server_version))
        else:
            result = _plan(args, live, desired, sizes, conn.info.server_version)
        say_column_order(live, desired)
        result.plan.ignore, result.plan.ignored = rules.to_json(), ignored
        result.plan.search_path = list(session.result().search_path)
        return settings, conn, result._replace(plan=data_checked(result.plan, conn, live, args))
    except BaseException:
        conn.close()
        raise


def data_check_timeout(args) -> tuple[str, int]:
    """(`--data-check-timeout` as given, in milliseconds); a UserError when it is not a duration."""
    from pgschema_tui.errors import UserError
    from pgschema_tui.inspect.datachecks import parse_timeout

    text = str(getattr(args, "data_check_timeout", None) or "2s").strip()
    ms = parse_timeout(text)
    if ms is None or ms <= 0:
        raise UserError(f"--data-check-timeout {text!r} is not a duration like 500ms, 2s or 1min")
    return text, ms


def data_checked(plan: Plan, conn, live: Schema, args, prefix: str = "") -> Plan:
    """The plan with its data checks counted on `conn` now (`plan/datacheck_specs.py`), replacing
    any it carried; says on stderr (each line after `prefix`) how many ran, found rows or could not count."""
    if plan.is_empty:
        return plan
    import time

    from pgschema_tui.inspect.datachecks import run_checks
    from pgschema_tui.plan.datacheck_hazards import summary, with_data_check_hazards
    from pgschema_tui.plan.datacheck_specs import data_checks

    checks = data_checks(plan.steps, live)
    if not checks:
        return with_data_check_hazards(plan, [], [], "")
    if getattr(args, "skip_data_checks", False):
        print(f"{prefix}Note: data checks skipped (--skip-data-checks): {len(checks)} count(s) of rows that would make "
              f"a step fail were not made", file=sys.stderr)
        return with_data_check_hazards(plan, [], [], "")
    text, ms = data_check_timeout(args)
    start = time.perf_counter()
    outcomes = run_checks(conn, live.name, checks, ms, tuple(plan.search_path))
    print(prefix + summary(checks, outcomes, time.perf_counter() - start), file=sys.stderr)
    return with_data_check_hazards(plan, checks, outcomes, text)


def _with_plan_db(args):
    """`args` with `plan_db` resolved from `--plan-db` and pgschema's `--plan-*` flags (a copy)."""
    import argparse

    from pgschema_tui.commands.common import settings_from_args
    from pgschema_tui.commands.plan_db import resolve_plan_db

    return argparse.Namespace(**{**vars(args), "plan_db": resolve_plan_db(args, settings_from_args(args))})


def _without_ignored(rules, live: Schema, desired: Schema):
    """Both sides without what `.pgschemaignore` names, so the diff never sees it; the paths left out."""
    from pgschema_tui.ir.ignore import filter_schema

    live, gone_live = filter_schema(live, rules)
    desired, gone_desired = filter_schema(desired, rules)
    return live, desired, sorted(set(gone_live) | set(gone_desired))


def _warn_unmanaged(conn, schema: str) -> None:
    from pgschema_tui.inspect.unmanaged import unmanaged_objects, warning

    objects = unmanaged_objects(conn, schema)
    if objects:
        print(warning(objects, "planned: left as they are in the database"), file=sys.stderr)


def _check_names(conn, statements, desired, schema: str, path: tuple[str, ...]) -> None:
    """Types, functions and relations the files use but neither create nor find in the database
    (or built in): an error at file:line:col now rather than at apply (parse/namecheck.py).
    `statements` (a list, or the `desired.DesiredFiles`) are walked only to locate an unknown name."""
    from pgschema_tui.parse import namecheck

    names = namecheck.unresolved(desired, schema)
    if names:
        rows = conn.execute(namecheck.CATALOG_QUERY, namecheck.query_parameters(names)).fetchall()
        unknown = namecheck.missing(names, rows, path)
        namecheck.check(statements, schema, unknown, namecheck.elsewhere(unknown, rows))


def _warn_missing_extensions(statements, installed) -> None:
    """The files create an extension the database lacks: the plan will not create it (no
    extension is part of one schema's state), so say so before its objects fail to apply."""
    from pgschema_tui.parse.statements import created_extensions

    _say_missing_extensions(created_extensions(statements), installed)


def _say_missing_extensions(created, installed) -> None:
    """`_warn_missing_extensions` for the (name, file:line) of each CREATE EXTENSION in the files."""
    have = {name for name, _schema in installed} | {"plpgsql"}
    for name, where in created:
        if name not in have:
            print(f"Warning: {where}: extension {name!r} is not installed in the database, and plans do not "
                  f"install extensions: run CREATE EXTENSION {name} first, or objects using it fail to apply",
                  file=sys.stderr)
            have.add(name)


def _neighbour_schemas(conn, statements, target: str) -> list[tuple[str, tuple[str, ...]]]:
    """(schema, DDL of its objects in creation order) for each other schema of the live database
    whose name the files use as a qualifier, for the `--plan-db` server to create first."""
    from pgschema_tui.dump.layout import dump_units
    from pgschema_tui.inspect import inspect_schema

    names = [name for (name,) in conn.execute(
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname <> %s AND nspname NOT LIKE 'pg\\_%%' "
        "AND nspname <> 'information_schema' ORDER BY nspname", (target,)).fetchall()]
    text = "\n".join(s.text for s in statements)
    out = []
    for name in names:
        if f"{name}." in text or f'"{name}".' in text:
            schema = inspect_schema(conn, name)
            out.append((name, tuple(sql for unit in dump_units(schema) for sql in unit.statements)))
    return out


def _live_servers(conn) -> list[tuple[str, tuple[str, ...]]]:
    """The live database's foreign servers as one `neighbours` entry for the `--plan-db` server
    (under `public`, which the rolled-back transaction creates if it must: servers have no schema)."""
    from pgschema_tui.inspect.foreign_servers import server_ddl

    ddl = server_ddl(conn)
    return [("public", ddl)] if ddl else []


def _installed_extensions(conn):
    from pgschema_tui.inspect.extensions import installed_extensions

    return installed_extensions(conn)


def _sizes(conn, schema: str):
    """Relation sizes for the hazards, read from the server only if a hazard asks."""
    from pgschema_tui.inspect.sizes import LazyRelationSizes

    return LazyRelationSizes(conn, schema)


def _use_color(target: str | None, args) -> bool:
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR"):
        return False
    return target in (None, "", "stdout", "-") and sys.stdout.isatty()


def run(args) -> int:
    from pgschema_tui.commands.fleet import is_fleet

    if is_fleet(args):  # a --schema list or pattern, or --targets: commands/fleet_plan.py
        from pgschema_tui.commands.fleet_plan import run as run_fleet

        return run_fleet(args)
    from pgschema_tui.plan.render_human import render_human
    from pgschema_tui.plan.render_json import render_json
    from pgschema_tui.plan.render_sql import render_sql

    outputs = [(args.output_human, "human"), (args.output_json, "json"), (args.output_sql, "sql"),
               (getattr(args, "output_markdown", None), "markdown")]
    on_stdout = [kind for target, kind in outputs if target in ("stdout", "-")]
    if len(on_stdout) > 1:  # as pgschema: the formats would interleave
        raise UserError(f"only one output format can go to stdout (asked for {', '.join(on_stdout)}); "
                        f"write the others to files")
    _settings, conn, result = connect_and_plan(args)
    conn.close()
    from pgschema_tui.plan.attributes import with_attributes

    plan = with_attributes(result.plan, result.live, result.desired)  # written in the JSON too
    if not any(target for target, _kind in outputs):
        outputs = [("stdout", "human")]
    for target, kind in outputs:
        if not target:
            continue
        if kind == "human":
            text = render_human(plan, color=_use_color(target, args))
        elif kind == "json":
            text = render_json(plan)
        elif kind == "markdown":
            from pgschema_tui.plan.render_markdown import render_markdown

            text = render_markdown(plan)
        else:
            text = render_sql(plan)
        write_output(target, text)
    if args.detailed_exitcode:
        return EXIT_NO_CHANGES if plan.is_empty else EXIT_CHANGES
    return 0

"""`pgschema-tui apply`: apply a saved JSON plan (or plan a file first), safely.

Order of business: load or compute the plan, check the database still matches the plan's
fingerprint, show the plan, refuse unaccepted hazards, ask for `yes`, then run the executor
and print its events (and log them with `--log-json`).
"""
from __future__ import annotations

import json
import os
import signal
import threading
import sys
from dataclasses import replace
from pathlib import Path

from pgschema_tui.apply.options import ApplyOptions
from pgschema_tui.apply.preflight import (LiveInspection, as_live_fingerprint, changed_objects, parse_allowed,
                                          recompute_hazards, refused_hazards, row_problems)
from pgschema_tui.commands.common import connect_to_schema, live_as_planned
from pgschema_tui.errors import UserError
from pgschema_tui.plan.datacheck_hazards import with_data_checks_of
from pgschema_tui.plan.model import TOOL_NAME, Plan, PlanFormatError

# Default for --allow-hazards, for unattended runs that accept hazards by policy (CI, harnesses).
ALLOW_HAZARDS_ENV = "PGSCHEMA_TUI_ALLOW_HAZARDS"


def load_plan_file(path: str) -> Plan:
    """The plan in `path`; UserError naming the problem when it is not a plan `plan` wrote, unchanged."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read plan {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # not JSON, truncated, not UTF-8
        raise UserError(f"plan {path} is not valid JSON ({exc}); nothing was applied") from None
    try:
        return Plan.from_json(data)
    except PlanFormatError as exc:
        raise UserError(f"plan {path} is not usable: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # another tool's plan, not checked field by field
        raise UserError(f"plan {path} is not usable: {type(exc).__name__}: {exc}; nothing was applied") from None


def check_plan_target(plan: Plan, schema: str, path: str) -> None:
    """Refuse a plan for another schema, or one without the fingerprint that makes it safe to apply."""
    if plan.origin != TOOL_NAME:  # pgschema's plans may name no schema; their fingerprint: check_fingerprint
        plan.schema = plan.schema or schema
    if plan.schema != schema:
        raise UserError(f"plan {path} was made for schema {plan.schema!r}, not {schema!r}: pass --schema "
                        f"{plan.schema} to apply it there. Nothing was applied.")
    if not plan.fingerprint and plan.origin == TOOL_NAME:
        raise UserError(f"plan {path} carries no source fingerprint (source_fingerprint.hash is empty), so "
                        f"apply cannot check that the database is still what it was planned against. "
                        f"Nothing was applied; plan again with `pgschema-tui plan --output-json`.")


def check_fingerprint(plan: Plan, live_schema, unverified_ok: bool = False) -> None:
    """Refuse (UserError) when the live schema changed since the plan was made, naming what changed."""
    if plan.origin != TOOL_NAME:
        return _foreign_plan(plan, unverified_ok)
    from pgschema_tui.plan.fingerprint import fingerprint

    from pgschema_tui.apply.live_inspection import stale_plan_message

    live = as_live_fingerprint(fingerprint(live_schema))
    changes = changed_objects(plan, live)
    if changes:
        raise UserError(stale_plan_message(plan, changes, live.hash))


def _foreign_plan(plan: Plan, unverified_ok: bool) -> None:
    """A plan another tool wrote (pgschema): its fingerprint hashes that tool's own model of the
    schema, which cannot be recomputed here, so a match can never be confirmed. Refused unless
    the user takes that on with --unverified-plan (hazards are still checked at apply time)."""
    who = f"{plan.origin or 'another tool'} {plan.pgschema_version}".strip()
    what = (f"its source fingerprint ({plan.fingerprint[:12]}...) is {plan.origin or 'that tool'}'s hash of its own "
            f"model of the schema, which pgschema-tui cannot recompute" if plan.fingerprint
            else "it carries no source fingerprint")
    if unverified_ok:
        print(f"Warning: the plan was written by {who}; {what}: applying it without checking that the database "
              f"is still what it was planned against (--unverified-plan).", file=sys.stderr)
        return
    raise UserError(f"the plan was written by {who}: {what}, so pgschema-tui cannot verify that the database "
                    f"has not changed since it was made. Nothing was applied. Plan again with pgschema-tui "
                    f"(`plan --output-json`), or pass --unverified-plan to apply it anyway.")


def render_plan(plan: Plan, color: bool) -> str:
    """The planner's human rendering of the plan, hazards included."""
    from pgschema_tui.plan.render_human import render_human

    return render_human(plan, color=color)


def confirm() -> bool:
    """True only for an explicit `yes` (or `y`, as pgschema takes) on stdin; end of input refuses."""
    print("Apply these changes? Type 'yes' (or 'y') to apply: ", end="", flush=True)
    try:
        answer = input()
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("yes", "y")


def run(args) -> int:
    from pgschema_tui.commands.fleet import is_fleet
    from pgschema_tui.commands.fleet_apply import is_fleet_plan_file

    if is_fleet(args) or is_fleet_plan_file(args.plan):  # several targets: commands/fleet_apply.py
        from pgschema_tui.commands.fleet_apply import run as run_fleet

        return run_fleet(args)
    allowed = parse_allowed(args.allow_hazards or os.environ.get(ALLOW_HAZARDS_ENV))
    options = ApplyOptions.from_args(args, allowed)  # bad values are refused before connecting
    if args.plan:
        plan = load_plan_file(args.plan)  # and so is a bad plan file
        check_plan_target(plan, args.schema, args.plan)
        settings, conn = connect_to_schema(args)
    else:  # the files are parsed before connecting: a syntax error never touches the database
        from pgschema_tui.commands.plan import connect_and_plan

        settings, conn, result = connect_and_plan(args, bound=options)  # its reads bounded as the apply's
    try:
        from pgschema_tui.apply import advisory
        from pgschema_tui.inspect import inspect_schema
        from pgschema_tui.inspect.sizes import relation_sizes

        try:  # another apply running on the schema is said first; the executor takes the lock again
            advisory.acquire(conn, args.schema, options.lock_timeout_ms)
        except advisory.ApplyLockBusy as exc:
            raise UserError(str(exc)) from None
        inspection = LiveInspection.for_options(conn, options)
        if args.plan:  # the live schema filtered by the ignore rules the plan was made with
            live_schema = live_as_planned(plan, inspection.run(lambda c: inspect_schema(c, args.schema, tuple(plan.search_path))), args)
            check_fingerprint(plan, live_schema, getattr(args, "unverified_plan", False))
        else:
            from pgschema_tui.plan.attributes import with_attributes

            plan, live_schema = with_attributes(result.plan, result.live, result.desired), result.live
        problems = {}
        if not plan.is_empty:  # hazards from the SQL, not from the file; rows as they are now
            sizes = inspection.run(lambda c: relation_sizes(c, args.schema))
            counted = plan if not args.plan else None  # apply --file: counted while planning, just now
            plan = recompute_hazards(plan, live_schema, sizes)
            if counted is None:
                from pgschema_tui.commands.plan import data_check_timeout, data_checked

                data_check_timeout(args)
                plan = data_checked(plan, conn, live_schema, args)  # a saved plan's rows, counted now
            else:
                plan = with_data_checks_of(counted, plan)
            problems = inspection.run(lambda c: row_problems(c, plan))
    finally:
        conn.close()
    if plan.is_empty:
        print("No changes. Nothing to apply.")
        return 0

    use_color = not args.no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()
    text = render_plan(plan, use_color)
    print(text if text.endswith("\n") else text + "\n", end="", flush=True)
    refused = refused_hazards(plan, allowed, problems)
    if refused:
        kinds = sorted({h.type for _, _, h in refused})
        listing = "\n".join(f"  step {i + 1} {path}: {h.message}"
                            + (f" ({problems[h.relation]})" if problems.get(h.relation) else "")
                            for i, path, h in refused)
        raise UserError(f"refusing to apply: the plan has {', '.join(kinds)} hazards:\n{listing}\n"
                        f"Nothing was applied. Pass --allow-hazards {','.join(kinds)} (or set "
                        f"{ALLOW_HAZARDS_ENV}) to accept them.")
    if not args.auto_approve and not confirm():
        print("Apply cancelled: nothing was applied.", file=sys.stderr)
        return 1
    # The executor checks again once it holds the apply lock: the fingerprint and the data checks
    # (apply/recheck.py), then the data-loss hazards in each step's transaction, after locking
    return execute_and_print(plan, settings, replace(options, schema=args.schema), args.log_json)


def execute_and_print(plan: Plan, settings, options: ApplyOptions, log_json: str | None) -> int:
    """Run the executor, printing every event; Ctrl-C cancels the running statement."""
    from pgschema_tui.apply.executor import Executor
    from pgschema_tui.apply.journal import JsonLinesJournal
    from pgschema_tui.apply.events import PlanFinished
    from pgschema_tui.apply.printer import make_printer

    executor = Executor(plan, settings, options)
    journal = JsonLinesJournal(log_json) if log_json else None
    printer = make_printer()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous_handler = signal.signal(signal.SIGINT, lambda *_: executor.abort()) if in_main_thread else None
    success = False
    try:
        for event in executor.events():
            if journal:
                journal.write(event)
            printer.handle(event)
            if isinstance(event, PlanFinished):
                success = event.success
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous_handler)
        printer.close()
        if journal:
            journal.close()
    return 0 if success else 1

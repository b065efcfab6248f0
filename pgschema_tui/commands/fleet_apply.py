"""`pgschema-tui apply` over a fleet: every target on its own, `--parallel` at a time per server.

Order of business: plan every target (`--file`, as `plan` does) or read a fleet plan
(`--plan`), print the grouped summary, ask once, then for each target, on its own connection:
take the schema's apply lock, inspect it and refuse when its fingerprint no longer matches the
plan (stale), recompute the hazards and data checks from the live schema, refuse unaccepted
hazards, and run the executor (`apply/executor.py`, unchanged: its own transactions, advisory
lock and retries). A target that fails does not stop the others unless `--fail-fast` (then no
further target starts; those running finish). The end is a table of outcomes; exit 1 when any
target failed. `--log-json` lines carry the target.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from pgschema_tui.errors import UserError
from pgschema_tui.fleet.grouping import TargetId, TargetPlan
from pgschema_tui.fleet.outcomes import APPLIED, FAILED, NO_CHANGES, SKIPPED, Outcome


class FleetJournal:
    """`--log-json`: every executor event and every target outcome as a JSON line with its target."""

    def __init__(self, path: str):
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._file = target.open("w", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, target: TargetId, record: dict) -> None:
        line = json.dumps({**record, "target": {"database": target.database, "schema": target.schema}}, default=str)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        self._file.close()


def load_fleet_plan(path: str):
    from pgschema_tui.fleet.document import from_json, is_fleet_document
    from pgschema_tui.plan.model import PlanFormatError

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read plan {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UserError(f"plan {path} is not valid JSON ({exc}); nothing was applied") from None
    if not is_fleet_document(data):
        raise UserError(f"plan {path} is a single-schema plan, not a fleet plan: apply it with one --schema "
                        f"(without a list, a pattern or --targets). Nothing was applied.")
    try:
        return from_json(data)
    except PlanFormatError as exc:
        raise UserError(f"plan {path} is not usable: {exc}. Nothing was applied.") from None


def is_fleet_plan_file(path: str | None) -> bool:
    """Whether `apply --plan PATH` names a fleet document (read errors are left to the loaders)."""
    if not path:
        return False
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    from pgschema_tui.fleet.document import is_fleet_document

    return is_fleet_document(data)


def run(args) -> int:
    from pgschema_tui.apply.options import ApplyOptions
    from pgschema_tui.apply.preflight import parse_allowed
    from pgschema_tui.commands.apply import ALLOW_HAZARDS_ENV, confirm
    from pgschema_tui.commands.fleet import databases_of, parallel_of, plan_fleet
    from pgschema_tui.fleet.grouping import group_plans, render_fleet_human
    from pgschema_tui.plan.render_human import render_human

    allowed = parse_allowed(args.allow_hazards or os.environ.get(ALLOW_HAZARDS_ENV))
    options = ApplyOptions.from_args(args, allowed)
    parallel = parallel_of(args)
    planning_failed: list[TargetPlan] = []
    if args.plan:
        entries = load_fleet_plan(args.plan)
        settings_of = _settings_for_plan(args, entries, databases_of(args))
        results = [TargetPlan(target, plan) for target, plan in entries]
    else:
        fleet = plan_fleet(args)
        results = fleet.results
        settings_of = fleet.settings_of
    groups, planning_failed = group_plans(results)
    color = not args.no_color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()
    print(render_fleet_human(groups, planning_failed, lambda p: render_human(p, color=color)), end="", flush=True)
    work = [(r.target, settings_of(r.target), r.plan) for r in results if r.plan is not None]
    changed = sum(1 for _t, _s, plan in work if not plan.is_empty)
    if changed and not args.auto_approve and not confirm():
        print("Apply cancelled: nothing was applied.", file=sys.stderr)
        return 1
    unplanned = [Outcome(r.target, FAILED, f"could not be planned: {r.error}") for r in planning_failed]
    from pgschema_tui.commands.fleet_progress import make_display

    run = FleetRun(args, options, parallel, len(work) + len(unplanned), display_factory=make_display)
    run.planned_here = not args.plan  # plans made by this run from the live schemas (see FleetRun._checked)
    outcomes = run.run(work, unplanned)
    from pgschema_tui.fleet.outcomes import render_outcomes

    print()
    print(render_outcomes(outcomes), end="")
    return 1 if any(o.status == FAILED for o in outcomes) else 0


def _settings_for_plan(args, entries, databases):
    """Connection settings of each target of a fleet plan: the connection flags for a plan of one
    database, else `--targets FILE` entries by name. Refuses targets `--schema` does not name."""
    from pgschema_tui.fleet.targets import is_fleet_spec, matches

    by_label = {d.label: d.settings for d in databases}
    labels = sorted({t.database for t, _p in entries})
    if not getattr(args, "targets", None):
        if len(labels) > 1:
            raise UserError(f"the fleet plan covers {len(labels)} databases ({', '.join(labels)}): pass the "
                            f"--targets FILE it was made with. Nothing was applied.")
        only = databases[0].settings
        by_label = {labels[0]: only}
        if is_fleet_spec(args.schema):
            outside = [t.schema for t, _p in entries if not matches(args.schema, t.schema)]
            if outside:
                raise UserError(f"the fleet plan has targets --schema {args.schema!r} does not name: "
                                f"{', '.join(outside[:10])}. Nothing was applied.")
    missing = [label for label in labels if label not in by_label]
    if missing:
        raise UserError(f"the fleet plan names databases the targets file lacks: {', '.join(missing)}. "
                        f"Nothing was applied.")
    return lambda target: by_label[target.database]


class FleetRun:
    """Applies every target, `parallel` at a time per server; `stop` (Ctrl-C, --fail-fast) ends
    the starting of new targets, Ctrl-C also cancels the running statements."""

    def __init__(self, args, options, parallel: int, total: int, display_factory=None):
        self.args, self.options, self.parallel, self.total = args, options, parallel, total
        self.stop = threading.Event()
        self.aborted = threading.Event()  # Ctrl-C or the reviewer's X (--fail-fast only sets stop)
        self._running: set = set()
        # (targets, with_database, color=) -> a display (`commands/fleet_progress.py`); the
        # default shows nothing (the CLI passes make_display: lines, or a live table on a tty)
        self.display_factory = display_factory
        self.display = None
        self.planned_here = False  # True: the plans were made by this run (`_checked`)
        self.journal = FleetJournal(args.log_json) if getattr(args, "log_json", None) else None

    def run(self, work, unplanned: list[Outcome] = ()) -> list[Outcome]:
        """Outcomes of `unplanned` (said first: with --fail-fast nothing else starts) and of `work`."""
        from pgschema_tui.commands.fleet_progress import QuietFleetDisplay

        self._with_database = len({t.database for t, _s, _p in work} | {o.target.database for o in unplanned}) > 1
        color = not getattr(self.args, "no_color", False) and not os.environ.get("NO_COLOR")
        self.display = (self.display_factory or QuietFleetDisplay)(
            [o.target for o in unplanned] + [t for t, _s, _p in work], self._with_database, color=color)
        try:
            return self._run(work, unplanned)
        finally:
            self.display.close()

    def _run(self, work, unplanned) -> list[Outcome]:
        from pgschema_tui.commands.fleet import Database

        before = [self._say(outcome) for outcome in unplanned]
        by_server: dict[tuple, list] = {}
        for item in work:
            by_server.setdefault(Database("", item[1], "").server, []).append(item)
        in_main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, self._interrupt) if in_main else None
        pools = [ThreadPoolExecutor(max_workers=self.parallel) for _ in by_server]
        try:
            futures = [pool.submit(self._target, *item)
                       for pool, items in zip(pools, by_server.values()) for item in items]
            return before + [f.result() for f in futures]
        finally:
            for pool in pools:
                pool.shutdown(wait=True)
            if in_main:
                signal.signal(signal.SIGINT, previous)
            if self.journal:
                self.journal.close()

    def _interrupt(self, *_):
        self.stop.set()
        self.aborted.set()
        for executor in list(self._running):
            executor.abort()
        print("\nInterrupted: cancelling the running targets; no other target starts.", file=sys.stderr)

    def _say(self, outcome: Outcome) -> Outcome:
        self.display.finished(outcome)
        if self.journal:
            self.journal.write(outcome.target, {"type": "target_finished", "at": time.time(), "outcome": outcome.status,
                                                "message": outcome.message, "steps": outcome.steps,
                                                "seconds": round(outcome.seconds, 3)})
        if outcome.status == FAILED and getattr(self.args, "fail_fast", False):
            self.stop.set()
        return outcome

    def _target(self, target: TargetId, settings, plan) -> Outcome:
        if self.stop.is_set():
            why = "not started: an earlier target failed (--fail-fast)" if getattr(self.args, "fail_fast", False) \
                else "not started: interrupted"
            return self._say(Outcome(target, SKIPPED, why))
        started = time.monotonic()
        self.display.checking(target)
        if self.journal:
            self.journal.write(target, {"type": "target_started", "at": time.time()})
        try:
            plan, refusal = self._checked(target, settings, plan)
        except UserError as exc:
            return self._say(Outcome(target, FAILED, str(exc), seconds=time.monotonic() - started))
        except Exception as exc:  # the server went away, a catalog query failed...
            from pgschema_tui.apply.executor import server_error_text

            return self._say(Outcome(target, FAILED, server_error_text(exc), seconds=time.monotonic() - started))
        if refusal:
            return self._say(Outcome(target, FAILED, refusal, seconds=time.monotonic() - started))
        if plan.is_empty:
            return self._say(Outcome(target, NO_CHANGES, seconds=time.monotonic() - started))
        return self._say(self._execute(target, settings, plan, started))

    def _checked(self, target: TargetId, settings, plan):
        """(the plan with hazards and data checks from the live schema now, a refusal or None);
        UserError when the target changed since the plan (fingerprint) or its lock is held.

        A plan this run made (`apply --file`) was planned from a full inspection of the target
        moments ago, its hazards and data checks with it: the executor compares the fingerprint
        again once it holds the schema's apply lock and recounts the data checks there
        (`apply/recheck.py`), and its data-loss guard probes rows before a step runs, so only the
        rows of the relations a data_loss hazard names are looked at here. A target without
        changes is inspected and its fingerprint compared (the executor would not look at it,
        and its plan may come from another schema's inspection: `inspect/signatures.py`). A
        fleet plan file (`apply --plan`) is not trusted: each target is inspected, its
        fingerprint compared and its hazards recomputed here, then again by the executor after
        its lock."""
        if self.planned_here and not plan.is_empty:
            return self._checked_fresh(settings, plan)
        from pgschema_tui.apply import advisory
        from pgschema_tui.apply.preflight import LiveInspection, recompute_hazards, refused_hazards, row_problems
        from pgschema_tui.commands.apply import check_fingerprint
        from pgschema_tui.commands.fleet import data_checked
        from pgschema_tui.inspect import inspect_schema
        from pgschema_tui.inspect.sizes import relation_sizes
        from pgschema_tui.ir.ignore import IgnoreRules, filter_schema

        schema = target.schema
        conn = settings.connect()
        try:
            try:
                advisory.acquire(conn, schema, self.options.lock_timeout_ms)
            except advisory.ApplyLockBusy as exc:
                raise UserError(str(exc)) from None
            inspection = LiveInspection(conn, schema, self.options.lock_timeout_ms)
            live = inspection.run(lambda c: inspect_schema(c, schema, tuple(plan.search_path)))
            live = filter_schema(live, IgnoreRules.from_json(plan.ignore, "the plan's ignore rules"))[0]
            check_fingerprint(plan, live)  # every target, with changes or not
            if plan.is_empty:
                return plan, None
            sizes = inspection.run(lambda c: relation_sizes(c, schema))
            plan = recompute_hazards(plan, live, sizes)
            plan = data_checked(plan, conn, live, self.args, target)
            problems = inspection.run(lambda c: row_problems(c, plan))
        finally:
            conn.close()
        return plan, self._refusal(plan, refused_hazards(plan, self.options.allow_hazards, problems))

    @staticmethod
    def _refusal(plan, refused) -> str | None:
        if not refused:
            return None
        kinds = sorted({h.type for _, _, h in refused})
        listing = "\n".join(f"step {i + 1} {path}: {h.message}" for i, path, h in refused)
        return (f"refusing to apply: the plan has {', '.join(kinds)} hazards:\n{listing}\n"
                f"Nothing was applied to this target; pass --allow-hazards {','.join(kinds)} to accept them.")

    def _checked_fresh(self, settings, plan):
        from pgschema_tui.apply.preflight import refused_hazards, row_problems

        problems = {}
        if any(h.type == "data_loss" and h.relation for s in plan.steps for h in s.hazards):
            conn = settings.connect()
            try:
                problems = row_problems(conn, plan)
            finally:
                conn.close()
        return plan, self._refusal(plan, refused_hazards(plan, self.options.allow_hazards, problems))

    def _execute(self, target: TargetId, settings, plan, started: float) -> Outcome:
        from pgschema_tui.apply.events import PlanFinished
        from pgschema_tui.apply.executor import Executor

        executor = Executor(plan, settings, replace(self.options, schema=target.schema))
        self._running.add(executor)
        if self.aborted.is_set():  # aborted between the target's checks and here
            executor.abort()
        finished = None
        try:
            for event in executor.events():
                self._event(target, event)
                if isinstance(event, PlanFinished):
                    finished = event
        finally:
            self._running.discard(executor)
        seconds = time.monotonic() - started
        if finished is not None and finished.success:
            return Outcome(target, APPLIED, steps=len(finished.applied_steps), seconds=seconds)
        message = finished.message if finished is not None and finished.message else "the apply ended without a result"
        return Outcome(target, FAILED, message, seconds=seconds)

    def _event(self, target: TargetId, event) -> None:
        """One executor event of `target`: to the display and the --log-json journal."""
        self.display.event(target, event)
        if self.journal:
            self.journal.write(target, event.to_json())

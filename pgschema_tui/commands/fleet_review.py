"""`pgschema-tui review` over several targets (`--schema` list or pattern, `--targets FILE`).

Plans the fleet as `plan` does (`commands/fleet.plan_fleet`), then opens the Fleet reviewer
(`tui/fleet_app.py`). Applying from it runs `commands/fleet_apply.FleetRun` (the CLI's fleet
apply: per target its own connection, advisory lock, full inspection and fingerprint check,
hazards and data checks recounted, then the unchanged executor), with two differences: what
it would print goes to the reviewer as `FleetEvent`s, and each target's `--allow-hazards` is
the hazard kinds the user acknowledged in that target's own plan group.
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from pathlib import Path

from pgschema_tui.commands.fleet_apply import FleetRun
from pgschema_tui.fleet.outcomes import APPLIED, FAILED, Outcome


def run(args) -> int:
    app = build_app(args)
    app.run()
    return app.return_code or 0


def build_app(args):
    from pgschema_tui.apply.options import ApplyOptions, max_lock_queue
    from pgschema_tui.commands.fleet import parallel_of, plan_fleet
    from pgschema_tui.tui.fleet_app import FleetApp
    from pgschema_tui.tui.fleet_model import FleetSession

    parallel = parallel_of(args)
    if getattr(args, "plan", None):  # a saved fleet plan: every target's fingerprint is checked when applied
        from pgschema_tui.commands.fleet import databases_of
        from pgschema_tui.commands.fleet_apply import _settings_for_plan, load_fleet_plan
        from pgschema_tui.fleet.grouping import TargetPlan

        entries = load_fleet_plan(args.plan)
        databases = databases_of(args)
        settings_of = _settings_for_plan(args, entries, databases)
        results = [TargetPlan(target, plan) for target, plan in entries]
        where = {t.database: settings_of(t).describe() for t, _p in entries}
        source = Path(args.plan).name
    else:
        fleet = plan_fleet(args)
        results, settings_of = fleet.results, fleet.settings_of
        where = {d.label: d.settings.describe() for d in fleet.databases}
        source = Path(args.file).name
    session = FleetSession(results, where, source=source)
    options = ApplyOptions(max_lock_queue=max_lock_queue(args))
    return FleetApp(session, applier=FleetApplier(args, settings_of, parallel), apply_options=options)


class FleetApplier:
    """What the Fleet screen calls to apply: one `ReviewedFleetRun` at a time, abortable."""

    def __init__(self, args, settings_of, parallel: int) -> None:
        self.args, self.settings_of, self.parallel = args, settings_of, parallel
        self._run: ReviewedFleetRun | None = None
        self._aborted = threading.Event()

    def run(self, work, options, listener) -> list[Outcome]:
        """`work`: (target, plan, acknowledged hazard kinds) of every planned target."""
        allowed = {target: kinds for target, _plan, kinds in work}
        fleet_run = ReviewedFleetRun(self.args, options, self.parallel, len(work), listener, allowed)
        self._run = fleet_run
        if self._aborted.is_set():
            fleet_run.stop.set()
        return fleet_run.run([(target, self.settings_of(target), plan) for target, plan, _kinds in work])

    def abort(self) -> None:
        self._aborted.set()
        if self._run is not None:
            self._run.abort()


class ReviewedFleetRun(FleetRun):
    """`FleetRun` reporting to a listener instead of stdout, with per-target hazard consent."""

    def __init__(self, args, options, parallel: int, total: int, listener, allowed: dict) -> None:
        self._local = threading.local()
        super().__init__(args, options, parallel, total)
        self.listener = listener
        self.allowed = allowed
        self.tag = f"pgschema-tui fleet review {uuid.uuid4().hex[:8]}"
        self._servers: dict = {}

    @property
    def options(self):
        """The running target's options (its group's acknowledged hazards), else the base ones."""
        return getattr(self._local, "options", self._base_options)

    @options.setter
    def options(self, value) -> None:
        self._base_options = value

    def abort(self) -> None:
        """No target starts any more; the running executors are aborted, and the pre-apply checks
        (inspections waiting for a lock, which FleetRun gives no handle on) are cancelled on the
        server: their connections carry this run's application_name."""
        self.stop.set()
        self.aborted.set()
        for executor in list(self._running):
            executor.abort()
        threading.Thread(target=self._cancel_checks, daemon=True, name="fleet-abort").start()

    def _cancel_checks(self) -> None:
        for settings in list(self._servers.values()):
            try:
                with settings.connect() as conn:
                    conn.execute("SELECT pg_catalog.pg_cancel_backend(pid) FROM pg_catalog.pg_stat_activity "
                                 "WHERE application_name = %s AND pid <> pg_catalog.pg_backend_pid()", (self.tag,))
            except Exception:  # noqa: BLE001 - the checks still end at their lock timeout
                pass

    def _say(self, outcome: Outcome) -> Outcome:
        from pgschema_tui.tui.fleet_model import FINISHED, FleetEvent

        if self.stop.is_set() and outcome.status == FAILED and "due to user request" in outcome.message:
            outcome = replace(outcome, message="aborted during the pre-apply check: nothing was applied to this target")
        self.listener(FleetEvent(outcome.target, FINISHED, outcome=outcome))
        return outcome

    def _target(self, target, settings, plan) -> Outcome:
        from pgschema_tui.commands.fleet import Database
        from pgschema_tui.tui.fleet_model import STARTED, FleetEvent

        base = self._base_options
        self._local.options = replace(base, allow_hazards=base.allow_hazards | self.allowed.get(target, frozenset()))
        settings = replace(settings, application_name=self.tag)  # what abort cancels
        self._servers.setdefault(Database("", settings, "").server, settings)
        try:
            if not self.stop.is_set():
                self.listener(FleetEvent(target, STARTED))
            return super()._target(target, settings, plan)
        finally:
            del self._local.options

    def _event(self, target, event) -> None:
        """The executor's events go to the listener (the current step of each target)."""
        from pgschema_tui.tui.fleet_model import EVENT, FleetEvent

        self.listener(FleetEvent(target, EVENT, event=event))

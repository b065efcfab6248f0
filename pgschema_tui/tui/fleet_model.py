"""The reviewer over a fleet, without Textual: groups of identical plans, the user's hazard
marks per group, the per-target progress of a fleet apply, and the exit code.

`FleetSession` groups the targets' plans (`fleet/grouping.group_plans`), keeps one
`ReviewSession` per group (the plan shown is the group's first target's, with the hazard kinds
only other targets of the group have added: its hazard marks are the consent given for every
target of the group) and folds `FleetEvent`s, which the fleet
runner (`commands/fleet_review.py`) sends from its threads, into one `TargetProgress` per target.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from pgschema_tui.apply import events as ev
from pgschema_tui.fleet.grouping import PlanGroup, TargetId, TargetPlan, describe_plan, group_plans, relative_path
from pgschema_tui.fleet.outcomes import APPLIED, FAILED, NO_CHANGES, SKIPPED, Outcome
from pgschema_tui.plan.model import Plan
from pgschema_tui.tui.session import ReviewSession

QUEUED, CHECKING, RUNNING = "queued", "checking", "running"
STATUSES = (QUEUED, CHECKING, RUNNING, APPLIED, NO_CHANGES, FAILED, SKIPPED)
FINAL = (APPLIED, NO_CHANGES, FAILED, SKIPPED)
STATUS_MARKS = {QUEUED: "·", CHECKING: "?", RUNNING: ">", APPLIED: "✓", NO_CHANGES: "=", FAILED: "✗", SKIPPED: "-"}
"""A mark next to each status word, so a status never depends on colour."""

# what a FleetEvent says: the target's pre-apply check started, an executor event, its outcome
STARTED, EVENT, FINISHED = "started", "event", "finished"


@dataclass(frozen=True)
class FleetEvent:
    """One thing that happened to one target during a fleet apply (posted from a runner thread)."""

    target: TargetId
    kind: str  # STARTED | EVENT | FINISHED
    event: ev.Event | None = None
    outcome: Outcome | None = None


@dataclass
class TargetProgress:
    target: TargetId
    group: int | None  # 1-based number of its plan group; None: it could not be planned
    total_steps: int = 0
    status: str = QUEUED
    current_step: int | None = None  # 0-based index of the step running now
    current_label: str = ""  # the running step's object, without the schema
    done_steps: int = 0
    message: str = ""  # the error of a failed target, why a skipped one did not start
    seconds: float = 0.0

    def step_text(self) -> str:
        """`step 2/3 users.note`, `2/3 steps`, or '' (nothing to say)."""
        if self.status == RUNNING and self.current_step is not None:
            return f"step {self.current_step + 1}/{self.total_steps} {self.current_label}".rstrip()
        if self.status == CHECKING:
            return "pre-apply check: lock, fingerprint, hazards"
        if self.status in (RUNNING, APPLIED, FAILED) and self.total_steps:
            return f"{self.done_steps}/{self.total_steps} steps"
        return ""


class FleetSession:
    """The fleet under review: its groups, the marks on them, the apply's progress."""

    def __init__(self, results: list[TargetPlan], databases: dict[str, str] | None = None, source: str = "") -> None:
        self.results = results
        self.groups, self.planning_failed = group_plans(results)
        self.databases = dict(databases or {})  # database label -> where it is (never a password)
        self.source = source
        self.with_database = len({r.target.database for r in results}) > 1
        self._sessions: dict[int, ReviewSession] = {}
        self._group_of: dict[TargetId, int] = {
            m.target: number for number, g in enumerate(self.groups, 1) for m in g.members}
        self.phase = "ready"  # ready | running | finished
        self.abort_requested = False
        self.progress: dict[TargetId, TargetProgress] = {}
        self.order: list[TargetId] = []  # the progress rows, in plan order of the groups
        self._reset_progress()

    # --------------------------------------------------------------- groups ---

    def group(self, number: int) -> PlanGroup:
        return self.groups[number - 1]

    def group_session(self, number: int) -> ReviewSession:
        """The Review session of group `number` (1-based), made once: its marks persist."""
        session = self._sessions.get(number)
        if session is None:
            session = self._sessions[number] = ReviewSession(merged_plan(self.group(number)), source=f"group {number}")
        return session

    def group_of(self, target: TargetId) -> int | None:
        return self._group_of.get(target)

    def label(self, target: TargetId) -> str:
        return target.label(self.with_database)

    def group_title(self, number: int) -> str:
        group = self.group(number)
        return describe_plan(group.plan)

    def changed_groups(self) -> list[int]:
        return [n for n, g in enumerate(self.groups, 1) if not g.is_empty]

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def changed_targets(self) -> int:
        return sum(len(self.group(n).members) for n in self.changed_groups())

    def hazards_left(self) -> list[tuple[int, int, int]]:
        """(group, step, hazard position) of every hazard of a changed group not acknowledged."""
        return [(n, i, k) for n in self.changed_groups() for i, k in self.group_session(n).hazards_left()]

    def blocking_left(self) -> list[tuple[int, int, int]]:
        """The hazards left that `apply` refuses without `--allow-hazards` (data_loss, data_check)."""
        return [(n, i, k) for n in self.changed_groups() for i, k in self.group_session(n).blocking_left()]

    def acknowledged_count(self) -> int:
        return sum(len(self.group_session(n).acknowledged_hazards) for n in self.changed_groups())

    def hazard_kind(self, group: int, step: int, position: int) -> str:
        return self.group_session(group).ref(step).step.hazards[position].type

    def allowed_for(self, target: TargetId) -> frozenset[str]:
        """The hazard kinds acknowledged, one by one, in the target's group: its `--allow-hazards`.
        A hazard the apply-time recount finds on this target that its group's plan did not list
        is not among them, so that target is refused (and listed as failed), never applied."""
        number = self.group_of(target)
        if number is None or number not in self._sessions:
            return frozenset()
        return self._sessions[number].acknowledged_kinds()

    def work(self) -> list[tuple[TargetId, Plan]]:
        """Every planned target, in group order: targets without changes too (their fingerprints
        are checked, as `apply` does)."""
        return [(m.target, m.plan) for g in self.groups for m in g.members]

    # ------------------------------------------------------------- progress ---

    def _reset_progress(self) -> None:
        self.progress.clear()
        self.order = []
        for number, group in enumerate(self.groups, 1):
            for member in group.members:
                self.progress[member.target] = TargetProgress(member.target, number, len(member.plan.steps))
                self.order.append(member.target)
        for failed in self.planning_failed:
            self.progress[failed.target] = TargetProgress(failed.target, None, status=FAILED,
                                                          message=f"could not be planned: {failed.error}")
            self.order.append(failed.target)

    def start(self) -> None:
        self.phase = "running"
        self.abort_requested = False

    def record(self, event: FleetEvent) -> None:
        row = self.progress.get(event.target)
        if row is None:
            return
        if event.kind == STARTED:
            row.status = CHECKING
        elif event.kind == FINISHED and event.outcome is not None:
            outcome = event.outcome
            message = outcome.message
            if outcome.status == FAILED and row.message and row.message not in message:
                # the executor's summary ("Committed: nothing. Rolled back: ...") after the error itself
                message = f"{row.message}\n{message}".strip()
            row.status, row.message, row.seconds = outcome.status, message, outcome.seconds
            row.current_step, row.current_label = None, ""
            if outcome.status == APPLIED:
                row.done_steps = outcome.steps
        elif event.kind == EVENT and event.event is not None:
            self._record_step(row, event.event)

    def _record_step(self, row: TargetProgress, event: ev.Event) -> None:
        if isinstance(event, ev.PlanStarted):
            row.status, row.total_steps = RUNNING, event.total_steps
        elif isinstance(event, ev.StepStarted):
            row.status = RUNNING
            row.current_step = event.index
            row.current_label = relative_path(event.path, row.target.schema)
        elif isinstance(event, ev.StepFinished):
            row.done_steps += 1
        elif isinstance(event, ev.StepFailed) and event.error:
            label = f" {row.current_label}" if row.current_step == event.index and row.current_label else ""
            row.message = f"step {event.index + 1}{label} failed: {event.error}"

    def finish(self, error: str = "") -> None:
        """The runner returned (or raised `error`): a target it never reported on failed with
        that error, or was not started."""
        self.phase = "finished"
        for row in self.progress.values():
            if not is_final(row.status):
                started = row.status != QUEUED
                row.status = FAILED if error or started else SKIPPED
                row.message = (f"the fleet apply stopped: {error}" if error
                               else "no outcome was reported" if started else "not started")

    def counts(self) -> dict[str, int]:
        out = {status: 0 for status in STATUSES}
        for row in self.progress.values():
            out[row.status] += 1
        return out

    def failed(self) -> list[TargetProgress]:
        return [self.progress[t] for t in self.order if self.progress[t].status == FAILED]

    def exit_code(self) -> int:
        """As the CLI: 1 when a target could not be planned (`plan`) or failed to apply (`apply`)."""
        return 1 if any(row.status == FAILED for row in self.progress.values()) else 0

    def database_lines(self) -> list[str]:
        """`database 'app' on db1:5432 as 'deploy': 12 schemas (tenant_1, tenant_2, … and 9 more)`."""
        by_database: dict[str, list[str]] = {}
        for target, _plan in self.work():
            by_database.setdefault(target.database, []).append(target.schema)
        lines = []
        for label, schemas in by_database.items():
            schemas.sort()
            where = self.databases.get(label) or f"database {label!r}"
            shown = ", ".join(schemas[:6]) + (f" and {len(schemas) - 6} more" if len(schemas) > 6 else "")
            lines.append(f"{where}: {len(schemas)} schema{'s' if len(schemas) != 1 else ''} ({shown})")
        return lines


def merged_plan(group: PlanGroup) -> Plan:
    """The group's plan (its first target's) with, on each step, the hazard kinds the other
    targets' same step has and it lacks (rows, data checks: what differs from tenant to tenant),
    so what Review lists, and what is acknowledged there, covers every target of the group."""
    plan = group.plan
    if len(group.members) == 1:
        return plan
    hazards = [list(step.hazards) for step in plan.steps]
    for member in group.members[1:]:
        for own, step in zip(hazards, member.plan.steps):
            kinds = {h.type for h in own}
            for hazard in step.hazards:
                if hazard.type not in kinds:
                    own.append(hazard)
                    kinds.add(hazard.type)
    return plan.with_steps([replace(step, hazards=tuple(own)) for step, own in zip(plan.steps, hazards)])


def is_final(status: str) -> bool:
    return status in FINAL


def member_names(session: FleetSession, number: int, limit: int | None = None) -> list[str]:
    names = [session.label(m.target) for m in session.group(number).members]
    return names if limit is None else names[:limit]

"""The plan: ordered groups of steps, each group one transaction (or none).

This is the contract between the planner, the renderers (human, SQL, JSON), `apply` and
the terminal reviewer. `to_json`/`from_json` are the on-disk format of `--output-json`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PLAN_FORMAT_VERSION = "1.0.0"
TOOL_NAME = "pgschema-tui"
# The pgschema release whose plan JSON this format follows (written as `pgschema_version`, next
# to `tool` and `tool_version`, so scripts reading pgschema's plans read ours)
PGSCHEMA_FORMAT_VERSION = "1.12.4"


@dataclass(frozen=True)
class Hazard:
    """A cost or risk of running one step, with the size of what it touches."""

    type: str  # data_loss | table_rewrite | access_exclusive_lock | index_build | validation_scan | blocks_writes
    message: str
    relation: str | None = None
    rows: int | None = None  # pg_class.reltuples estimate
    bytes: int | None = None  # pg_total_relation_size


@dataclass(frozen=True)
class Directive:
    """Instruction to the executor beyond running SQL: `wait` polls until `sql` says done."""

    type: str  # "wait"
    message: str


@dataclass(frozen=True)
class Step:
    sql: str
    type: str  # "table", "table.column", "table.index", "view", "function", ...
    operation: str  # create | alter | drop | replace
    path: str
    can_run_in_transaction: bool = True
    directive: Directive | None = None
    hazards: tuple[Hazard, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sql": self.sql, "type": self.type, "operation": self.operation,
                               "path": self.path, "can_run_in_transaction": self.can_run_in_transaction}
        if self.directive:
            out["directive"] = asdict(self.directive)
        if self.hazards:
            out["hazards"] = [{k: v for k, v in asdict(h).items() if v is not None} for h in self.hazards]
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Step":
        return cls(
            sql=d["sql"], type=d.get("type", ""), operation=d.get("operation", ""), path=d.get("path", ""),
            can_run_in_transaction=_in_transaction(d),
            directive=Directive(**d["directive"]) if d.get("directive") else None,
            hazards=tuple(Hazard(**h) for h in d.get("hazards", ())),
        )


def _in_transaction(d: dict[str, Any]) -> bool:
    """The step's `can_run_in_transaction`; when missing (another tool's plan), derived from its SQL."""
    value = d.get("can_run_in_transaction")
    if value is None:
        from pgschema_tui.plan.transactional import can_run_in_transaction

        return can_run_in_transaction(d["sql"])
    return bool(value)


@dataclass(frozen=True)
class Group:
    """Steps that run together: in one transaction when `transactional`, else one by one."""

    steps: tuple[Step, ...]

    @property
    def transactional(self) -> bool:
        return all(s.can_run_in_transaction for s in self.steps)


@dataclass
class Plan:
    schema: str
    groups: list[Group] = field(default_factory=list)
    fingerprint: str = ""  # SHA-256 of the live schema IR the plan was computed against
    created_at: str = ""
    tool_version: str = ""
    # Per-object fingerprints, so a mismatch can name what changed (path -> hash).
    object_fingerprints: dict[str, str] = field(default_factory=dict)
    # .pgschemaignore rules the plan was made with (section -> patterns; apply filters the live
    # schema by them before the fingerprint check) and the paths of the objects they left out
    ignore: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    origin: str = TOOL_NAME  # the tool that wrote the plan file ("pgschema" for pgschema's own)
    pgschema_version: str = ""  # as a pgschema plan file states it

    @property
    def steps(self) -> list[Step]:
        return [s for g in self.groups for s in g.steps]

    @property
    def is_empty(self) -> bool:
        return not any(g.steps for g in self.groups)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": PLAN_FORMAT_VERSION,
            "tool": TOOL_NAME,
            "tool_version": self.tool_version,
            "pgschema_version": PGSCHEMA_FORMAT_VERSION,
            "created_at": self.created_at,
            "source_fingerprint": {"hash": self.fingerprint, "objects": self.object_fingerprints},
            "schema": self.schema,
            "groups": [{"steps": [s.to_json() for s in g.steps]} for g in self.groups if g.steps],
            **({"ignore": {"patterns": self.ignore, "objects": self.ignored}} if self.ignore else {}),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Plan":
        fp = d.get("source_fingerprint") or {}
        return cls(
            schema=d.get("schema") or ("" if _written_by_pgschema(d) else "public"),
            groups=_groups(d),
            fingerprint=fp.get("hash", ""),
            created_at=d.get("created_at", ""),
            tool_version=d.get("tool_version", ""),
            object_fingerprints=fp.get("objects", {}) or {},
            ignore=(d.get("ignore") or {}).get("patterns") or {},
            ignored=list((d.get("ignore") or {}).get("objects") or ()),
            origin="pgschema" if _written_by_pgschema(d) else (d.get("tool") or TOOL_NAME),
            pgschema_version=str(d.get("pgschema_version") or ""),
        )


def _written_by_pgschema(d: dict[str, Any]) -> bool:
    """pgschema's plans carry `pgschema_version` and no `tool` (ours carry both)."""
    return "pgschema_version" in d and not d.get("tool")


def _groups(d: dict[str, Any]) -> list[Group]:
    """`groups` (pgschema writes null for no changes); pgschema's older flat `diffs` list becomes
    groups of consecutive steps that agree on running in a transaction."""
    if d.get("groups") is None and isinstance(d.get("diffs"), list):
        groups: list[list[Step]] = []
        for step in (Step.from_json(s) for s in d["diffs"]):
            if groups and groups[-1][-1].can_run_in_transaction and step.can_run_in_transaction:
                groups[-1].append(step)
            else:
                groups.append([step])
        return [Group(tuple(g)) for g in groups]
    return [Group(tuple(Step.from_json(s) for s in g.get("steps") or ())) for g in d.get("groups") or ()]

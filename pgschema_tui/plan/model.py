"""The plan: ordered groups of steps, each group one transaction (or none).

This is the contract between the planner, the renderers (human, SQL, JSON), `apply` and
the terminal reviewer. `to_json`/`from_json` are the on-disk format of `--output-json`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PLAN_FORMAT_VERSION = "1.0.0"
TOOL_NAME = "pgschema-tui"


@dataclass(frozen=True)
class Hazard:
    """A cost or risk of running one step, with the size of what it touches."""

    type: str  # data_loss | table_rewrite | access_exclusive_lock | index_build | validation_scan | blocks_writes
    #          | data_check (rows that make the step fail, counted) | data_unchecked (could not count them)
    message: str
    relation: str | None = None
    rows: int | None = None  # pg_class.reltuples estimate
    bytes: int | None = None  # pg_total_relation_size
    count: int | None = None  # data_check: rows (or duplicated keys) found
    samples: tuple[str, ...] | None = None  # data_check: a few of their keys, one line each

    def __post_init__(self) -> None:
        if isinstance(self.samples, list):  # read back from JSON
            object.__setattr__(self, "samples", tuple(str(s) for s in self.samples))


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
            can_run_in_transaction=d.get("can_run_in_transaction", True),
            directive=Directive(**d["directive"]) if d.get("directive") else None,
            hazards=tuple(Hazard(**h) for h in d.get("hazards", ())),
        )


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
            "created_at": self.created_at,
            "source_fingerprint": {"hash": self.fingerprint, "objects": self.object_fingerprints},
            "schema": self.schema,
            "groups": [{"steps": [s.to_json() for s in g.steps]} for g in self.groups if g.steps],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Plan":
        fp = d.get("source_fingerprint") or {}
        return cls(
            schema=d.get("schema", "public"),
            groups=[Group(tuple(Step.from_json(s) for s in g.get("steps", ()))) for g in d.get("groups", ())],
            fingerprint=fp.get("hash", ""),
            created_at=d.get("created_at", ""),
            tool_version=d.get("tool_version", ""),
            object_fingerprints=fp.get("objects", {}) or {},
        )

"""The plan: ordered groups of steps, each group one transaction (or none).

This is the contract between the planner, the renderers (human, SQL, JSON), `apply` and
the terminal reviewer. `to_json`/`from_json` are the on-disk format of `--output-json`.
A plan file is untrusted input: `from_json` checks its structure field by field
(`PlanFormatError` names the bad field) and its `plan_digest`, a SHA-256 of everything else in
the file, so a plan edited after `plan` wrote it is refused.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

PLAN_FORMAT_VERSION = "1.2.0"  # 1.1.0: plan_digest; 1.2.0: attributes (the changed objects' attribute diffs)
READABLE_FORMAT_VERSIONS = ("1.1.0", PLAN_FORMAT_VERSION)  # 1.1.0 plans are read, without attribute diffs
TOOL_NAME = "pgschema-tui"
# The pgschema release whose plan JSON this format follows (written as `pgschema_version`, next
# to `tool` and `tool_version`, so scripts reading pgschema's plans read ours)
PGSCHEMA_FORMAT_VERSION = "1.12.4"


class PlanFormatError(ValueError):
    """A plan file that is not one `plan --output-json` wrote: bad structure, version or digest."""


def plan_digest(data: dict[str, Any]) -> str:
    """SHA-256 of a plan's JSON without its `plan_digest` and `created_at` (so the same plan made
    twice has the same digest): keys sorted, no whitespace, UTF-8."""
    body = {k: v for k, v in data.items() if k not in ("plan_digest", "created_at")}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    """One SQL statement of the plan, with what it changes and its hazards."""

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

    @staticmethod
    def check_json(d: Any, where: str) -> None:
        """PlanFormatError naming the first field of step `d` that is missing or of the wrong type."""
        _need(d, dict, where)
        _need(d.get("sql"), str, f"{where}.sql")
        if not d["sql"].strip():
            raise PlanFormatError(f"{where}.sql: empty statement")
        for key in ("type", "operation", "path"):
            _need(d.get(key), str, f"{where}.{key}")
        _need(d.get("can_run_in_transaction"), bool, f"{where}.can_run_in_transaction")
        _check_keys(d, {"sql", "type", "operation", "path", "can_run_in_transaction", "directive", "hazards"}, where)
        if "directive" in d:
            directive = d["directive"]
            _need(directive, dict, f"{where}.directive")
            _check_keys(directive, {"type", "message"}, f"{where}.directive")
            if directive.get("type") != "wait":
                raise PlanFormatError(f"{where}.directive.type: {directive.get('type')!r} is not a known "
                                      f"directive (expected 'wait')")
            _need(directive.get("message"), str, f"{where}.directive.message")
        hazards = d.get("hazards", [])
        _need(hazards, list, f"{where}.hazards")
        for k, hazard in enumerate(hazards):
            at = f"{where}.hazards[{k}]"
            _need(hazard, dict, at)
            _check_keys(hazard, {"type", "message", "relation", "rows", "bytes", "count", "samples"}, at)
            _need(hazard.get("type"), str, f"{at}.type")
            _need(hazard.get("message"), str, f"{at}.message")
            for key, kind in (("relation", str), ("rows", int), ("bytes", int), ("count", int), ("samples", list)):
                if hazard.get(key) is not None:
                    _need(hazard[key], kind, f"{at}.{key}")
            for s, sample in enumerate(hazard.get("samples") or ()):
                _need(sample, str, f"{at}.samples[{s}]")


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
    """The migration: its steps in groups, and the fingerprint of the live schema it was made against."""

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
    # the schemas after `schema` on the search_path the plan was made with (pg_catalog implicitly
    # first unless named): apply runs its SQL with the same path (ddl/search_path.py)
    search_path: list[str] = field(default_factory=list)
    # path -> plan.attribute_change.AttributeChange tuple: what changes in each changed object,
    # old -> new (`plan.attributes.with_attributes` fills it from both IRs; a saved plan keeps it)
    attributes: dict[str, tuple] = field(default_factory=dict)

    @property
    def steps(self) -> list[Step]:
        return [s for g in self.groups for s in g.steps]

    def with_steps(self, steps) -> "Plan":
        """A copy of the plan with `steps` (as many as it has, in order: the same steps with new
        hazards, say) in place of its own, grouped as its own are."""
        from dataclasses import replace

        steps = list(steps)
        if len(steps) != sum(len(g.steps) for g in self.groups):
            raise ValueError("with_steps: not one step for each of the plan's steps")
        groups, position = [], 0
        for group in self.groups:
            groups.append(Group(tuple(steps[position: position + len(group.steps)])))
            position += len(group.steps)
        return replace(self, groups=groups)

    @property
    def is_empty(self) -> bool:
        return not any(g.steps for g in self.groups)

    def to_json(self) -> dict[str, Any]:
        out = {
            "version": PLAN_FORMAT_VERSION,
            "tool": TOOL_NAME,
            "tool_version": self.tool_version,
            "pgschema_version": PGSCHEMA_FORMAT_VERSION,
            "created_at": self.created_at,
            "source_fingerprint": {"hash": self.fingerprint, "objects": self.object_fingerprints},
            "schema": self.schema,
            "groups": [{"steps": [s.to_json() for s in g.steps]} for g in self.groups if g.steps],
            **({"ignore": {"patterns": self.ignore, "objects": self.ignored}} if self.ignore else {}),
            **({"search_path": list(self.search_path)} if self.search_path else {}),
        }
        if self.attributes:
            from pgschema_tui.plan.attribute_change import attributes_to_json

            attributes = attributes_to_json(self.attributes)
            if attributes:
                out["attributes"] = attributes
        out["plan_digest"] = plan_digest(out)
        return out

    @classmethod
    def from_json(cls, d: Any) -> "Plan":
        """The plan of a JSON document; PlanFormatError when it is not one `to_json` wrote unchanged."""
        if not (isinstance(d, dict) and _written_by_pgschema(d)):  # pgschema's own plans: commands/apply.py
            check_plan_json(d)
        fp = d.get("source_fingerprint") or {}
        groups = _groups(d)
        attributes = {}
        if d.get("attributes") and not _written_by_pgschema(d):
            from pgschema_tui.plan.attribute_change import attributes_from_json

            attributes = attributes_from_json(d["attributes"], {s.path for g in groups for s in g.steps})
        return cls(
            schema=d.get("schema") or ("" if _written_by_pgschema(d) else "public"),
            groups=groups,
            fingerprint=fp.get("hash", ""),
            created_at=d.get("created_at", ""),
            tool_version=d.get("tool_version", ""),
            object_fingerprints=fp.get("objects", {}) or {},
            ignore=(d.get("ignore") or {}).get("patterns") or {},
            ignored=list((d.get("ignore") or {}).get("objects") or ()),
            origin="pgschema" if _written_by_pgschema(d) else (d.get("tool") or TOOL_NAME),
            pgschema_version=str(d.get("pgschema_version") or ""),
            search_path=list(d.get("search_path") or ()) if not _written_by_pgschema(d) else [],
            attributes=attributes,
        )


_TYPE_WORDS = {dict: "an object", list: "a list", str: "a string", bool: "true or false", int: "an integer"}


def _need(value: Any, kind: type, where: str) -> None:
    if value is None:
        raise PlanFormatError(f"{where}: missing")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PlanFormatError(f"{where}: expected {_TYPE_WORDS[kind]}, found {type(value).__name__} {_short(value)}")


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_keys(d: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(d) - known)
    if unknown:
        raise PlanFormatError(f"{where}: unknown field {unknown[0]!r}")


def check_plan_json(d: Any) -> None:
    """PlanFormatError naming the first problem of a plan document: structure, version, digest."""
    _need(d, dict, "plan")
    if d.get("tool") != TOOL_NAME:
        raise PlanFormatError(f"tool: expected {TOOL_NAME!r}, found {_short(d.get('tool'))}: not a plan written "
                              f"by `pgschema-tui plan --output-json`")
    version = d.get("version")
    if version not in READABLE_FORMAT_VERSIONS:
        hint = (" (an older pgschema-tui wrote it, without a digest)" if version == "1.0.0"
                else " (a newer or unknown format)")
        raise PlanFormatError(f"version: plan format {_short(version)} is not supported{hint}; this pgschema-tui "
                              f"reads formats {', '.join(READABLE_FORMAT_VERSIONS)}: plan again")
    _check_keys(d, {"version", "tool", "tool_version", "created_at", "source_fingerprint", "schema", "groups",
                    "plan_digest", "pgschema_version", "ignore", "search_path", "attributes"}, "plan")
    for key in ("tool_version", "created_at", "schema"):
        _need(d.get(key), str, key)
    if not d["schema"]:
        raise PlanFormatError("schema: empty")
    path = d.get("search_path", [])
    _need(path, list, "search_path")
    for i, name in enumerate(path):
        _need(name, str, f"search_path[{i}]")
        if not name:
            raise PlanFormatError(f"search_path[{i}]: empty")
    fp = d.get("source_fingerprint")
    _need(fp, dict, "source_fingerprint")
    _need(fp.get("hash"), str, "source_fingerprint.hash")
    objects = fp.get("objects", {})
    _need(objects, dict, "source_fingerprint.objects")
    for path, digest in objects.items():
        _need(digest, str, f"source_fingerprint.objects[{path!r}]")
    groups = d.get("groups")
    _need(groups, list, "groups")
    for g, group in enumerate(groups):
        _need(group, dict, f"groups[{g}]")
        _check_keys(group, {"steps"}, f"groups[{g}]")
        steps = group.get("steps")
        _need(steps, list, f"groups[{g}].steps")
        for k, step in enumerate(steps):
            Step.check_json(step, f"groups[{g}].steps[{k}]")
    if "attributes" in d:
        if version == "1.1.0":
            raise PlanFormatError("attributes: not part of plan format 1.1.0 (added in 1.2.0)")
        from pgschema_tui.plan.attribute_change import check_attributes_json

        check_attributes_json(d["attributes"], {s["path"] for g in groups for s in g["steps"]}, PlanFormatError)
    _need(d.get("plan_digest"), str, "plan_digest")
    try:
        expected = plan_digest(d)
    except ValueError as exc:  # NaN or infinity somewhere
        raise PlanFormatError(f"plan: {exc}") from None
    if d["plan_digest"] != expected:
        raise PlanFormatError("plan_digest: does not match the plan's content: the file was edited after "
                              "`plan` wrote it (or damaged); plan again rather than editing a plan")


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

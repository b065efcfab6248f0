"""What the reviewer knows and what the user decided, without any Textual.

One `ReviewSession` is shared by every mode: the plan, the live and desired IR when we
have them, and the user's marks (viewed steps, acknowledged hazards). Keeping it plain
makes it cheap to test and keeps 5,000-step plans fast.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pgschema_tui.ir.model import Schema
from pgschema_tui.plan.model import Plan, Step
from pgschema_tui.plan.attributes import AttributeChange, ObjectIndex, path_attributes, with_statement_attributes
from pgschema_tui.plan.render_human import object_changes
from pgschema_tui.tui.formatting import short_path, step_kind
from pgschema_tui.tui.labels import SEPARATOR, step_action


@dataclass(frozen=True)
class StepRef:
    """A step with its position: `index` in the flat step list and `group` it runs in."""

    index: int
    group: int
    step: Step


@dataclass(frozen=True)
class PlanSummary:
    to_add: int
    to_change: int
    to_drop: int
    hazards: int
    hazards_acknowledged: int
    viewed: int
    steps: int

    def plan_line(self) -> str:
        return f"Plan: {self.to_add} to add, {self.to_change} to change, {self.to_drop} to drop"


@dataclass
class ReviewSession:
    """The plan under review plus the user's marks on it."""

    plan: Plan
    live: Schema | None = None
    desired: Schema | None = None
    viewed: set[int] = field(default_factory=set)
    # (step index, position of the hazard in step.hazards): each hazard is acknowledged on its own
    acknowledged_hazards: set[tuple[int, int]] = field(default_factory=set)
    source: str = ""  # what the plan came from, for the title ("schema.sql", "plan.json")
    sizes: dict | None = None  # live relation name -> inspect.sizes.RelationSize (rows estimate, total bytes)

    def __post_init__(self) -> None:
        self.refs: list[StepRef] = [
            StepRef(i, g, s) for i, (g, s) in enumerate(
                (g, s) for g, group in enumerate(self.plan.groups) for s in group.steps)
        ]
        self._counts = _count_objects(self.plan)
        self._actions: dict[int, str] = {}
        self._by_group: dict[int, list[StepRef]] = {}
        self._attributes: dict[str, list[AttributeChange]] = {}
        self._stated: dict[str, list[Step]] | None = None
        self._live_index = ObjectIndex(self.live)
        self._desired_index = ObjectIndex(self.desired)
        # worked out once, when first asked (the plan and the IRs never change under a session)
        self._step_paths: frozenset[str] | None = None
        self._object_pairs: list | None = None
        self._hazard_keys: list[tuple[int, int]] | None = None
        self._haystacks: list[str] | None = None
        self._all_grouped: list[tuple[str, list[StepRef]]] | None = None
        for ref in self.refs:
            self._by_group.setdefault(ref.group, []).append(ref)

    # ------------------------------------------------------------- queries ---

    @property
    def schema_name(self) -> str:
        return self.plan.schema

    def ref(self, index: int) -> StepRef:
        return self.refs[index]

    def label(self, ref: StepRef) -> str:
        """The step's object, without the schema every step shares ("customers.email")."""
        return short_path(ref.step.path, self.plan.schema)

    def action(self, ref: StepRef) -> str:
        """What the step does ("set not null", "validate"): tells apart the steps of one object."""
        cached = self._actions.get(ref.index)
        if cached is None:
            cached = self._actions[ref.index] = step_action(ref.step)
        return cached

    def title(self, ref: StepRef) -> str:
        """`customers.email · set not null`: the label every mode shows for a step."""
        return f"{self.label(ref)}{SEPARATOR}{self.action(ref)}"

    def attributes(self, ref: StepRef) -> list[AttributeChange]:
        """What changes in the step's object, old → new ([] for a create or drop, or without both IRs)."""
        if ref.step.operation not in ("alter", "replace"):
            return []
        path = ref.step.path
        if path not in self._attributes:
            if self.live is None or self.desired is None:  # a saved plan: the diffs it was written with
                changes = list(self.plan.attributes.get(path, ()))
            else:
                changes = path_attributes(self._live_index, self._desired_index, path)
            # what the statements state (OWNER TO, in another tool's plan), and every text escaped
            # as a plan file writes it: a live value or a statement can hold a terminal escape
            if self._stated is None:  # the steps stating an attribute, by path, read once
                self._stated = {}
                for r in self.refs:
                    if "OWNER" in r.step.sql.upper():
                        self._stated.setdefault(r.step.path, []).append(r.step)
            changes = with_statement_attributes(changes, self._stated.get(path, ()))
            self._attributes[path] = [AttributeChange.from_json(c.to_json()) for c in changes]
        return self._attributes[path]

    def plan_to_save(self) -> Plan:
        """The plan as `plan --output-json` writes it: with its attribute diffs (from both IRs when
        the session has them, else the ones a saved plan came with)."""
        from pgschema_tui.plan.attributes import with_attributes

        return with_attributes(self.plan, self.live, self.desired)

    @property
    def step_paths(self) -> frozenset[str] | None:
        """The paths the plan's steps touch, when the plan was made from this session's two IRs
        (`review --file`); None otherwise (then Explore compares the objects themselves)."""
        if self.live is None or self.desired is None:
            return None
        if self._step_paths is None:
            self._step_paths = frozenset(r.step.path for r in self.refs)
        return self._step_paths

    @property
    def pairs_ready(self) -> bool:
        return self._object_pairs is not None

    def object_pairs(self) -> list:
        """Explore's pairs of desired and live objects (`explore_model.pair_objects`), made once
        for the session (the IRs and the plan never change under it; a refresh is a new session)."""
        if self._object_pairs is None:
            from pgschema_tui.tui.explore_model import pair_objects

            self._object_pairs = pair_objects(self.desired, self.live, self.plan.ignored, self.step_paths)
        return self._object_pairs

    def hazard_keys(self) -> list[tuple[int, int]]:
        """(step index, hazard position) of every hazard of the plan, in plan order, listed once:
        the hazards left are these less the acknowledged ones (a scan of every step was 3 ms,
        four times per Apply redraw, on 8,000 steps)."""
        if self._hazard_keys is None:
            self._hazard_keys = [(r.index, k) for r in self.refs for k in range(len(r.step.hazards))]
        return self._hazard_keys

    def hazardous(self) -> list[int]:
        return list(dict.fromkeys(i for i, _ in self.hazard_keys()))

    @property
    def acknowledged(self) -> set[int]:
        """Steps every hazard of which is acknowledged."""
        return {i for i in {i for i, _ in self.acknowledged_hazards} if self.is_acknowledged(i)}

    def is_acknowledged(self, index: int) -> bool:
        """Is every hazard of step `index` acknowledged (False for a step without hazards)?"""
        count = len(self.refs[index].step.hazards)
        return count > 0 and all((index, k) in self.acknowledged_hazards for k in range(count))

    def unacknowledged(self) -> list[int]:
        """Steps with at least one hazard the user has not acknowledged."""
        acked = self.acknowledged
        return [i for i in self.hazardous() if i not in acked]

    def hazards_left(self) -> list[tuple[int, int]]:
        """(step index, hazard position) of every hazard not acknowledged, in plan order."""
        acked = self.acknowledged_hazards
        return [key for key in self.hazard_keys() if key not in acked]

    def blocking_left(self) -> list[tuple[int, int]]:
        """The hazards left that block the start of an apply: the kinds `apply` refuses without
        `--allow-hazards` (apply/preflight.BLOCKING_HAZARDS: data_loss, data_check)."""
        from pgschema_tui.apply.preflight import BLOCKING_HAZARDS

        return [(i, k) for i, k in self.hazards_left() if self.refs[i].step.hazards[k].type in BLOCKING_HAZARDS]

    def acknowledged_kinds(self) -> frozenset[str]:
        """Hazard kinds every listed hazard of which is acknowledged: the `--allow-hazards` they amount to."""
        left = {self.refs[i].step.hazards[k].type for i, k in self.hazards_left()}
        return frozenset(self.refs[i].step.hazards[k].type for i, k in self.hazard_keys()) - left

    def summary(self) -> PlanSummary:
        hazardous, acked = self.hazardous(), self.acknowledged
        return PlanSummary(*self._counts, hazards=len(hazardous),
                           hazards_acknowledged=sum(1 for i in hazardous if i in acked),
                           viewed=len(self.viewed), steps=len(self.refs))

    def matches(self, ref: StepRef, needle: str) -> bool:
        """Does the filter text occur in the step's path, kind, operation, hazards or SQL?"""
        if not needle:
            return True
        return needle.lower() in self.haystacks()[ref.index]

    def haystacks(self) -> list[str]:
        """Each step's searchable fields, lowercased once (a filter keystroke on an 8,000-step
        plan lowercased 40,000 strings); NUL-separated so no match spans two fields."""
        if self._haystacks is None:
            self._haystacks = ["\0".join((r.step.path, r.step.type, r.step.operation, r.step.sql,
                                           " ".join(h.type for h in r.step.hazards))).lower() for r in self.refs]
        return self._haystacks

    def grouped(self, needle: str = "") -> list[tuple[str, list[StepRef]]]:
        """Steps matching `needle` grouped by object kind, kinds in order of first appearance
        (without a needle, every step: worked out once, as opening and each cleared filter show it)."""
        if not needle:
            if self._all_grouped is None:
                self._all_grouped = self._group(self.refs)
            return self._all_grouped
        needle = needle.lower()
        return self._group([ref for ref, text in zip(self.refs, self.haystacks()) if needle in text])

    @staticmethod
    def _group(refs: list[StepRef]) -> list[tuple[str, list[StepRef]]]:
        groups: dict[str, list[StepRef]] = {}
        for ref in refs:
            groups.setdefault(step_kind(ref.step), []).append(ref)
        return list(groups.items())

    def group_steps(self, group: int) -> list[StepRef]:
        return self._by_group.get(group, [])

    # ---------------------------------------------------------------- marks ---

    def toggle_viewed(self, index: int) -> bool:
        """Flip the viewed mark; returns the new state."""
        if index in self.viewed:
            self.viewed.discard(index)
            return False
        self.viewed.add(index)
        return True

    def acknowledge(self, index: int) -> bool:
        """Acknowledge every hazard of a step (or, when all were, none); returns the new state.
        Steps without hazards stay unmarked."""
        keys = {(index, k) for k in range(len(self.refs[index].step.hazards))}
        if not keys:
            return False
        if keys <= self.acknowledged_hazards:
            self.acknowledged_hazards -= keys
            return False
        self.acknowledged_hazards |= keys
        return True

    def acknowledge_hazard(self, index: int, position: int) -> bool:
        """Acknowledge (or un-acknowledge) one hazard of a step; returns the new state."""
        if not 0 <= position < len(self.refs[index].step.hazards):
            return False
        key = (index, position)
        if key in self.acknowledged_hazards:
            self.acknowledged_hazards.discard(key)
            return False
        self.acknowledged_hazards.add(key)
        return True


def _count_objects(plan: Plan) -> tuple[int, int, int]:
    """Objects to add, change, drop, counted as the human plan counts them (a replace adds and drops)."""
    add = change = drop = 0
    for object_symbol, _type in object_changes(plan).values():
        add += object_symbol in ("+", "-/+")
        drop += object_symbol in ("-", "-/+")
        change += object_symbol == "~"
    return add, change, drop

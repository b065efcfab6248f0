"""Desired vs live IR side by side: which objects are equal, changed, only wanted, only present.

Explore mode draws two trees from this; the markers follow the plan vocabulary
(`=` same, `~` changed, `+` only in the desired files, `-` only in the database).
"""
from __future__ import annotations

import difflib

from pgschema_tui.ir.model import Schema
from pgschema_tui.plan.attributes import canonical_layout

MARKERS = {"same": "=", "changed": "~", "added": "+", "removed": "-", "unknown": "?", "ignored": "·"}
IGNORED = "ignored"  # the pseudo-collection of ignored paths neither side's IR holds


class ObjectPair:
    """One object key in one collection, with what each side holds. Compared by identity (field
    equality would compare whole IR objects); a plain slotted class, not a frozen dataclass,
    whose `__init__` was most of pairing 10,000 objects. Read-only by convention."""

    __slots__ = ("collection", "key", "desired", "live", "compared", "ignored", "differs")

    def __init__(self, collection: str, key: str, desired: object | None, live: object | None,
                 compared: bool = True, ignored: bool = False, differs: bool | None = None) -> None:
        self.collection, self.key, self.desired, self.live = collection, key, desired, live
        self.compared = compared  # False when one side's schema is not loaded at all (a saved plan)
        self.ignored = ignored  # named by .pgschemaignore: the plan leaves it as it is
        self.differs = differs  # from the plan (it has a step for the object); None: compare the objects

    def __repr__(self) -> str:
        return f"ObjectPair({self.collection!r}, {self.key!r}, state={self.state!r})"

    @property
    def state(self) -> str:
        if self.ignored:
            return "ignored"
        if not self.compared:
            return "unknown"
        if self.live is None:
            return "added"
        if self.desired is None:
            return "removed"
        if self.differs is not None:
            return "changed" if self.differs else "same"
        return "same" if self.desired == self.live else "changed"

    @property
    def marker(self) -> str:
        return MARKERS[self.state]


def pair_objects(desired: Schema | None, live: Schema | None, ignored: list[str] | tuple[str, ...] = (),
                 step_paths: set[str] | frozenset[str] | None = None) -> list[tuple[str, list[ObjectPair]]]:
    """Every object of either side, grouped by collection in the IR's order, keys sorted.

    With `step_paths` (the paths of the plan made from these two IRs), an object on both sides
    is changed when the plan touches it (a step on it, or on a column of it) and the same
    otherwise: the planner already compared them, and comparing every expression again costs
    seconds on a big schema. A step path that is no object's (a column) marks its parent.

    `ignored` are the plan's `.pgschemaignore` paths: those objects are marked ignored (never
    "dropped" or "new"); the ones neither IR holds (the plan command filtered them out) are
    listed under the pseudo-collection `IGNORED`."""
    out = []
    ignored_paths = set(ignored)
    found: set[str] = set()
    schema_name = (desired or live).name if (desired or live) is not None else ""
    compared = desired is not None and live is not None
    need_paths = bool(ignored_paths) or (compared and step_paths is not None)
    # each object's path, worked out once per side (it is most of the cost on a big schema)
    desired_paths = _paths(desired) if need_paths and desired is not None else {}
    live_paths = _paths(live) if need_paths and live is not None else {}
    touched = _touched_paths(set(desired_paths.values()) | set(live_paths.values()), step_paths) \
        if compared and step_paths is not None else None
    for coll in Schema.COLLECTIONS:
        desired_items = getattr(desired, coll) if desired is not None else {}
        live_items = getattr(live, coll) if live is not None else {}
        keys = sorted(desired_items.keys() | live_items.keys())
        if keys:
            pairs = []
            for k in keys:
                d, lv = desired_items.get(k), live_items.get(k)
                skip = False
                differs = None
                if need_paths:
                    path = desired_paths[coll, k] if d is not None else live_paths[coll, k]
                    skip = path in ignored_paths
                    if skip:
                        found.add(path)
                    if touched is not None and d is not None and lv is not None:
                        differs = path in touched
                pairs.append(ObjectPair(coll, k, d, lv, compared, ignored=skip, differs=differs))
            out.append((coll, pairs))
    rest = sorted(ignored_paths - found)
    if rest:
        prefix = f"{schema_name}."
        out.append((IGNORED, [ObjectPair(IGNORED, p[len(prefix):] if p.startswith(prefix) else p, None, None,
                                         False, ignored=True) for p in rest]))
    return out


def _paths(schema: Schema) -> dict[tuple[str, str], str]:
    """(collection, key) -> the object's path (`diff.context.object_path`), for every object."""
    from pgschema_tui.diff.context import object_path

    return {(coll, key): object_path(schema, obj) for coll in Schema.COLLECTIONS
            for key, obj in getattr(schema, coll).items()}


def _touched_paths(known: set[str], step_paths) -> set[str]:
    """Object paths the plan touches: each step's path, or for a path that names no object (a
    column, `public.users.email`) the nearest enclosing object's (`public.users`)."""
    touched = set()
    for path in step_paths:
        while path and path not in known and "." in path:
            path = path.rsplit(".", 1)[0]
        touched.add(path)
    return touched


def marked_diff(desired_text: str, live_text: str, canonical: bool = True
                ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Each side's lines with a marker: `+` only in desired, `-` only in live, ` ` shared.
    With `canonical`, both sides are first laid out alike (`canonical_layout`)."""
    if canonical and desired_text and live_text:
        desired_text, live_text = canonical_layout(desired_text), canonical_layout(live_text)
    desired_lines, live_lines = desired_text.splitlines(), live_text.splitlines()
    desired_marked = [(" ", ln) for ln in desired_lines]
    live_marked = [(" ", ln) for ln in live_lines]
    matcher = difflib.SequenceMatcher(a=live_lines, b=desired_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            for i in range(i1, i2):
                live_marked[i] = ("-", live_lines[i])
        if tag in ("replace", "insert"):
            for j in range(j1, j2):
                desired_marked[j] = ("+", desired_lines[j])
    return desired_marked, live_marked

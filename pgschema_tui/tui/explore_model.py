"""Desired vs live IR side by side: which objects are equal, changed, only wanted, only present.

Explore mode draws two trees from this; the markers follow the plan vocabulary
(`=` same, `~` changed, `+` only in the desired files, `-` only in the database).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from pgschema_tui.ir.model import Schema
from pgschema_tui.plan.attributes import canonical_layout

MARKERS = {"same": "=", "changed": "~", "added": "+", "removed": "-", "unknown": "?", "ignored": "·"}
IGNORED = "ignored"  # the pseudo-collection of ignored paths neither side's IR holds


@dataclass(frozen=True)
class ObjectPair:
    """One object key in one collection, with what each side holds."""

    collection: str
    key: str
    desired: object | None
    live: object | None
    compared: bool = True  # False when one side's schema is not loaded at all (a saved plan)
    ignored: bool = False  # named by .pgschemaignore: the plan leaves it as it is

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
        return "same" if self.desired == self.live else "changed"

    @property
    def marker(self) -> str:
        return MARKERS[self.state]


def pair_objects(desired: Schema | None, live: Schema | None,
                 ignored: list[str] | tuple[str, ...] = ()) -> list[tuple[str, list[ObjectPair]]]:
    """Every object of either side, grouped by collection in the IR's order, keys sorted.

    `ignored` are the plan's `.pgschemaignore` paths: those objects are marked ignored (never
    "dropped" or "new"); the ones neither IR holds (the plan command filtered them out) are
    listed under the pseudo-collection `IGNORED`."""
    out = []
    ignored_paths = set(ignored)
    found: set[str] = set()
    schema_name = (desired or live).name if (desired or live) is not None else ""
    for coll in Schema.COLLECTIONS:
        desired_items = getattr(desired, coll) if desired is not None else {}
        live_items = getattr(live, coll) if live is not None else {}
        keys = sorted(set(desired_items) | set(live_items))
        compared = desired is not None and live is not None
        if keys:
            pairs = []
            for k in keys:
                d, lv = desired_items.get(k), live_items.get(k)
                skip = False
                if ignored_paths:
                    from pgschema_tui.diff.context import object_path

                    path = object_path(desired if d is not None else live, d if d is not None else lv)
                    skip = path in ignored_paths
                    if skip:
                        found.add(path)
                pairs.append(ObjectPair(coll, k, d, lv, compared, ignored=skip))
            out.append((coll, pairs))
    rest = sorted(ignored_paths - found)
    if rest:
        prefix = f"{schema_name}."
        out.append((IGNORED, [ObjectPair(IGNORED, p[len(prefix):] if p.startswith(prefix) else p, None, None,
                                         False, ignored=True) for p in rest]))
    return out


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

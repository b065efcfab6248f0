"""One side of Explore mode: that side's IR objects by collection, with `= ~ + -` markers."""
from __future__ import annotations

from rich.text import Text

from pgschema_tui.tui.explore_model import IGNORED, ObjectPair
from pgschema_tui.tui.formatting import human_bytes, human_count
from pgschema_tui.tui.widgets.row_tree import Group, RowTree

_SIZED = frozenset({"tables", "materialized_views", "indexes"})


def relation_size_text(size) -> str:
    """"5.0 k rows · 1.2 MB" (the planner's estimate and pg_total_relation_size)."""
    rows = "never analysed" if size.rows is None else f"{human_count(size.rows)} rows"
    return f"{rows} · {human_bytes(size.bytes)}"


_MARKER_STYLES = {"same": "dim", "changed": "yellow", "added": "green", "removed": "red", "unknown": "dim",
                  "ignored": "dim"}


class ObjectTree(RowTree):
    """Items are `ObjectPair`s keyed by (collection, key); `side` is "desired" or "live"."""

    def __init__(self, side: str, sizes: dict | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.side = side
        self.sizes = sizes if side == "live" else None  # relation name -> RelationSize

    def key_of(self, pair: ObjectPair) -> tuple[str, str]:
        return pair.collection, pair.key

    @property
    def object_nodes(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(collection, key) -> (group, position) of every object shown."""
        return self.positions

    def rebuild(self, grouped: list[tuple[str, list[ObjectPair]]], needle: str = "") -> None:
        """This side's objects whose key contains `needle`; collections with changes expanded."""
        needle = needle.lower()
        small = sum(len(pairs) for _, pairs in grouped) <= 60  # small schemas: show everything
        groups = []
        for collection, pairs in grouped:
            mine = [p for p in pairs if (getattr(p, self.side) is not None or collection == IGNORED)
                    and (not needle or needle in p.key.lower())]
            if not mine:
                continue
            changed = sum(1 for p in mine if p.state not in ("same", "unknown", "ignored"))
            title = "ignored by .pgschemaignore" if collection == IGNORED else collection.replace("_", " ")
            label = Text(f"{title} ({len(mine)}" + (f", {changed} differ)" if changed else ")"), style="bold")
            if collection == IGNORED:
                label.stylize("dim")
            groups.append(Group(label, mine, expanded=bool(changed) or small))
        self.set_groups(groups)

    def item_label(self, pair: ObjectPair, width: int) -> Text:
        """`~ customers  5.0 k rows · 1.2 MB`: made when drawn, for the rows on screen only."""
        leaf = Text()
        leaf.append(f"{pair.marker} ", style=_MARKER_STYLES[pair.state])
        leaf.append(pair.key, style="dim" if pair.ignored else "")
        if pair.ignored:
            leaf.append("  ignored", style="dim italic")
        if self.sizes is not None and pair.collection in _SIZED:
            size = self.sizes.get(getattr(pair.live, "name", pair.key))
            if size is not None:
                leaf.append(f"  {relation_size_text(size)}", style="dim")
        return leaf

    def select_object(self, collection: str, key: str) -> bool:
        return self.select_key((collection, key))

    @property
    def selected_pair(self) -> ObjectPair | None:
        item = self.cursor_item
        return item if isinstance(item, ObjectPair) else None

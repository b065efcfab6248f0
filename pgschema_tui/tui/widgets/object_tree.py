"""One side of Explore mode: that side's IR objects by collection, with `= ~ + -` markers."""
from __future__ import annotations

from rich.text import Text
from textual.widgets.tree import TreeNode

from pgschema_tui.tui.explore_model import IGNORED, ObjectPair
from pgschema_tui.tui.formatting import human_bytes, human_count
from pgschema_tui.tui.widgets.vim_tree import VimTree

_PLACEHOLDER = Text("")
_SIZED = frozenset({"tables", "materialized_views", "indexes"})


def relation_size_text(size) -> str:
    """"5.0 k rows · 1.2 MB" (the planner's estimate and pg_total_relation_size)."""
    rows = "never analysed" if size.rows is None else f"{human_count(size.rows)} rows"
    return f"{rows} · {human_bytes(size.bytes)}"


_MARKER_STYLES = {"same": "dim", "changed": "yellow", "added": "green", "removed": "red", "unknown": "dim",
                  "ignored": "dim"}


class ObjectTree(VimTree):
    """Leaves carry their `ObjectPair`; `side` is "desired" or "live"."""

    def __init__(self, side: str, sizes: dict | None = None, **kwargs) -> None:
        super().__init__(side, **kwargs)
        self.side = side
        self.sizes = sizes if side == "live" else None  # relation name -> RelationSize
        self.object_nodes: dict[tuple[str, str], TreeNode] = {}

    def rebuild(self, grouped: list[tuple[str, list[ObjectPair]]], needle: str = "") -> None:
        """This side's objects whose key contains `needle`; collections with changes expanded."""
        self.clear()
        self.object_nodes = {}
        needle = needle.lower()
        small = sum(len(pairs) for _, pairs in grouped) <= 60  # small schemas: show everything
        with self.bulk_add():
            for collection, pairs in grouped:
                mine = [p for p in pairs if (getattr(p, self.side) is not None or collection == IGNORED)
                        and needle in p.key.lower()]
                if not mine:
                    continue
                changed = sum(1 for p in mine if p.state not in ("same", "unknown", "ignored"))
                title = "ignored by .pgschemaignore" if collection == IGNORED else collection.replace("_", " ")
                label = Text(f"{title} ({len(mine)}" + (f", {changed} differ)" if changed else ")"), style="bold")
                if collection == IGNORED:
                    label.stylize("dim")
                branch = self.root.add(label, expand=bool(changed) or small)
                for pair in mine:  # labels are drawn by fit_label, for the rows on screen only
                    self.object_nodes[(collection, pair.key)] = branch.add_leaf(_PLACEHOLDER, data=pair)

    fits_labels = True

    def fit_label(self, node, width: int) -> Text:
        """`~ customers  5.0 k rows · 1.2 MB`: made when drawn (building 10,000 labels up front
        was most of the first switch to Explore on a big schema)."""
        pair = node.data
        if not isinstance(pair, ObjectPair):
            return node._label
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
        node = self.object_nodes.get((collection, key))
        if node is None:
            return False
        if node.parent is not None and not node.parent.is_expanded:
            node.parent.expand()
        self.move_to(node)
        return True

    @property
    def selected_pair(self) -> ObjectPair | None:
        node = self.cursor_node
        return node.data if node is not None and isinstance(node.data, ObjectPair) else None

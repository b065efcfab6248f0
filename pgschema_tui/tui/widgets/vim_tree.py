"""A Tree with lazygit/k9s keys (j/k, g/G, h/l), the base of every tree in the reviewer."""
from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Tree


class VimTree(Tree):
    """Tree navigation with j/k (down/up), g/G (first/last), h/l (collapse or parent / expand)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        Binding("h", "collapse_or_parent", "Collapse", show=False),
        Binding("l", "expand_or_child", "Expand", show=False),
    ]

    def __init__(self, label: str = "", **kwargs) -> None:
        super().__init__(label, **kwargs)
        self.show_root = False
        self.guide_depth = 2

    def move_to(self, node) -> None:
        """Put the cursor on `node`, even right after nodes were added (lines not yet laid out)."""
        self._tree_lines  # noqa: B018 - lays out the lines, which sets node._line
        self.move_cursor(node)

    def action_first(self) -> None:
        self.cursor_line = 0

    def action_last(self) -> None:
        self.cursor_line = self.last_line

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_to(node.parent)

    def action_expand_or_child(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_to(node.children[0])

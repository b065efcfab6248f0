"""A Tree with lazygit/k9s keys (j/k, g/G, h/l), the base of every tree in the reviewer."""
from __future__ import annotations

from contextlib import contextmanager

from rich.text import Text
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

    _bulk_adding = False  # class default: Tree.__init__ already invalidates

    def __init__(self, label: str = "", **kwargs) -> None:
        super().__init__(label, **kwargs)
        self.show_root = False
        self.guide_depth = 2

    @contextmanager
    def bulk_add(self):
        """Add many nodes with one invalidation at the end instead of one per node."""
        self._bulk_adding = True
        try:
            yield
        finally:
            self._bulk_adding = False
            self._invalidate()

    def _invalidate(self) -> None:
        # Tree invalidates (and refreshes) on every add; thousands of adds cost ~0.3 s.
        if not self._bulk_adding:
            super()._invalidate()

    def process_label(self, label):
        """A one-line Text is its own first line: skip Tree's split and copy (two per node added,
        a third of building a 10,000-node tree)."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    # Tree lays out all its lines again (a walk over every node) on each resize and style change
    # (focus, the filter bar opening): nine walks of a 3,000-group tree on a first switch to Graph.
    # Neither changes which lines there are, only how they are drawn: drop the drawn lines only.
    def _on_resize(self, event) -> None:
        event.prevent_default()  # Tree's handler would drop the laid-out lines as well
        self._line_cache.grow(event.size.height)
        self._line_cache.clear()
        self.refresh(layout=True)

    def notify_style_update(self) -> None:
        super(Tree, self).notify_style_update()  # not Tree's, which drops the laid-out lines
        self._line_cache.clear()
        self.refresh()

    def get_label_width(self, node) -> int:
        """The label's width without rendering it: Tree measures every line on each layout,
        which dominated opening a 5,000-step plan. Fitted labels never need more than the room."""
        if self.fits_labels and not node._allow_expand:
            return 0  # fitted to the room when drawn: never wider than the tree, whatever its size
        return node._label.cell_len + (2 if node._allow_expand else 0)

    fits_labels = False
    """Subclasses that set this draw leaves with `fit_label(node, width)`, cut to the tree's width."""

    def label_room(self, node) -> int:
        """Cells left for `node`'s label after the guides of its depth (the root is hidden)."""
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth += 1
            parent = parent.parent
        return max(4, self.scrollable_content_region.width - self.guide_depth * depth)

    def fit_label(self, node, width: int):
        """The leaf's label for `width` cells (a Rich Text); subclasses with `fits_labels` define it."""
        return node._label

    def render_label(self, node, base_style, style):
        if not self.fits_labels or node._allow_expand:
            return super().render_label(node, base_style, style)
        label = self.fit_label(node, self.label_room(node)).copy()
        label.stylize(style)
        return label

    def move_to(self, node) -> None:
        """Put the cursor on `node`, even right after nodes were added (lines not yet laid out)."""
        self._tree_lines  # noqa: B018 - lays out the lines, which sets node._line
        if not self.scrollable_content_region.height:  # not laid out yet: scrolling now would overshoot
            self.cursor_line = node._line
            self.call_after_refresh(self._scroll_into_view, node)
            return
        self._scroll_into_view(node)
        self.move_cursor(node, animate=False)

    def _scroll_into_view(self, node) -> None:
        parent = node.parent
        if parent is not None and parent is not self.root and parent.children and parent.children[0] is node \
                and parent._line >= 0:
            self.scroll_to_line(parent._line, animate=False)  # the first of a group: keep its header in view
        if node._line >= 0:
            self.scroll_to_line(node._line, animate=False)

    def action_first(self) -> None:
        self.cursor_line = 0
        self.scroll_to_line(self.cursor_line, animate=False)

    def action_last(self) -> None:
        self.cursor_line = self.last_line
        self.scroll_to_line(self.cursor_line, animate=False)

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

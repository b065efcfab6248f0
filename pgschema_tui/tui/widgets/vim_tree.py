"""A Tree with lazygit/k9s keys (j/k, g/G, h/l), the base of every tree in the reviewer."""
from __future__ import annotations

from contextlib import contextmanager

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

    _fitted_width = 0

    def _build(self) -> None:
        # `self.size` walks up to the screen on every call: read it once per layout of the lines,
        # not once per line (16,000 calls were most of a filter on an 8,000-step plan)
        self._fitted_width = self.size.width // 2
        super()._build()

    def get_label_width(self, node) -> int:
        """The label's width without rendering it: Tree measures every line on each layout,
        which dominated opening a 5,000-step plan. Fitted labels never need more than the room."""
        if self.fits_labels and not node._allow_expand:
            return self._fitted_width  # fitted to the room when drawn: never wider than the tree
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

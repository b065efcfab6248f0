"""A virtualised two-level list: group headers and their items, drawn one visible line at a time.

Textual's Tree keeps one node object per row and walks every node on each layout, which made
8,000-step plans slow to open, filter and switch modes. `RowTree` holds plain lists (groups of
items) and draws only the rows on screen (the line API, `render_line`); its cost per keystroke
does not grow with the plan. It keeps the Tree's look (▼/▶ headers, ├/└ guides, the cursor
bar) and the reviewer's keys: j/k, g/G, h/l, page up/down, enter, space, shift+arrows.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Any, Callable, Hashable, Iterable, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

HEADER = -1
"""The item position of a group's header row."""

_TOGGLE = Style.from_meta({"toggle": True})


class Row(NamedTuple):
    """What the cursor (or a row) is on: a group's header (`data` None) or one of its items."""

    group: int
    item: int  # HEADER for the group's own line
    data: Any
    is_expanded: bool  # a header's group is open; always False for an item

    @property
    def allow_expand(self) -> bool:
        return self.item == HEADER


class Group:
    """One header line and the items under it. `label` may be a function making the Text: it is
    then made when the header is first drawn (a plan of 3,000 transaction groups drew a dozen)."""

    __slots__ = ("_label", "items", "expanded")

    def __init__(self, label: Text | Callable[[], Text], items: list, expanded: bool = True) -> None:
        self._label, self.items, self.expanded = label, items, expanded

    @property
    def label(self) -> Text:
        if not isinstance(self._label, Text):
            self._label = self._label()
        return self._label


class RowTree(ScrollView, can_focus=True):
    """Groups of items; subclasses say how an item is keyed (`key_of`) and drawn (`item_label`)."""

    DEFAULT_CSS = """
    RowTree {
        background: $surface;
        color: $foreground;
        & > .row-tree--guides { color: $surface-lighten-2; }
        & > .row-tree--guides-hover { color: $surface-lighten-2; }
        & > .row-tree--guides-selected { color: $block-cursor-blurred-background; }
        & > .row-tree--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        & > .row-tree--hover { background: $block-hover-background; }
        &:focus {
            background-tint: $foreground 5%;
            & > .row-tree--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .row-tree--guides { color: $surface-lighten-3; }
            & > .row-tree--guides-hover { color: $surface-lighten-3; }
            & > .row-tree--guides-selected { color: $block-cursor-background; }
        }
        &:light {
            & > .row-tree--guides { color: $surface-darken-1; }
            & > .row-tree--guides-hover { color: $block-cursor-background; }
            & > .row-tree--guides-selected { color: $block-cursor-background; }
        }
    }
    RowTree:ansi {
        color: ansi_default;
        & > .row-tree--guides { color: $ansi-background; }
        &:nocolor > .row-tree--cursor { text-style: reverse; }
    }
    """

    COMPONENT_CLASSES = {"row-tree--cursor", "row-tree--guides", "row-tree--guides-hover",
                         "row-tree--guides-selected", "row-tree--hover", "row-tree--label"}

    VIM_KEYS = [  # lazygit/k9s keys, listed in the help screen
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        Binding("h", "collapse_or_parent", "Collapse", show=False),
        Binding("l", "expand_or_child", "Expand", show=False),
    ]
    BINDINGS = [
        *VIM_KEYS,
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("space", "toggle_group", "Toggle", show=False),
        Binding("shift+space", "toggle_all", "Open or close every group", show=False),
        Binding("shift+left", "cursor_parent", "Cursor to group", show=False),
        Binding("shift+right", "next_group", "Cursor to next group", show=False),
        Binding("shift+up", "previous_sibling", "Previous sibling", show=False),
        Binding("shift+down", "next_sibling", "Next sibling", show=False),
    ]

    GUIDE_ITEM, GUIDE_LAST = "├ ", "└ "
    ICON_OPEN, ICON_CLOSED = "▼ ", "▶ "
    guide_depth = 2
    """Cells of guide before an item's label (a header has none)."""

    class RowMessage(Message):
        """About one row of the tree (`data` is None on a group header)."""

        def __init__(self, tree: "RowTree", row: Row) -> None:
            super().__init__()
            self.tree, self.row, self.data = tree, row, row.data

        @property
        def control(self) -> "RowTree":
            return self.tree

    class Highlighted(RowMessage):
        """The cursor moved to another row."""

    class Selected(RowMessage):
        """Enter (or a click) on a row."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.groups: list[Group] = []
        self.positions: dict[Hashable, tuple[int, int]] = {}
        """Item key -> (group, item position), for every item shown (collapsed groups included)."""
        self._starts: list[int] = []  # row of each group's header
        self._rows = 0
        self._cursor = -1
        self._hover = -1
        self._generation = 0  # bumped on each set_groups: a row number then means something else
        self._posted: tuple[int, int, int] | None = None  # (generation, group, item) last announced
        self._strips: LRUCache[tuple, Strip] = LRUCache(256)
        self._pieces: dict[Hashable, dict[int, list]] = {}
        """Item key -> label width -> the label's rendered pieces: a label does not change with
        focus, cursor, hover or position, which redrew every visible line (focus moving to the
        filter line and back, a scroll). `refresh_item` and `forget_labels` drop them."""

    # ---------------------------------------------------------------- content ---

    def key_of(self, item: Any) -> Hashable:
        """The key `positions` and `select_key` use for an item (the item itself by default)."""
        return item

    def item_label(self, item: Any, width: int) -> Text:
        """The item's label fitted to `width` cells; subclasses draw their rows here."""
        return Text(str(item))

    def set_groups(self, groups: Iterable[Group], positions: dict | None = None) -> None:
        """Show these groups instead; the cursor keeps its line (clamped), as Tree.clear did.
        `positions`: the index of these very groups, from `self.positions` after an earlier call."""
        self.groups = list(groups)
        if positions is not None:
            self.positions = positions
        elif type(self).key_of is RowTree.key_of:  # items are their own keys: no call per item
            self.positions = {item: (g, i) for g, group in enumerate(self.groups)
                              for i, item in enumerate(group.items)}
        else:
            key_of = self.key_of
            self.positions = {key_of(item): (g, i) for g, group in enumerate(self.groups)
                              for i, item in enumerate(group.items)}
        self._generation += 1
        self._relayout()

    def _relayout(self) -> None:
        """Header rows after a change of content or of a group's open state."""
        starts, row = [], 0
        for group in self.groups:
            starts.append(row)
            row += 1 + (len(group.items) if group.expanded else 0)
        self._starts, self._rows = starts, row
        self._cursor = min(self._cursor, row - 1) if row else -1
        self._hover = -1
        self._strips.clear()
        self.virtual_size = Size(0, row)
        self.refresh()

    def locate(self, row: int) -> tuple[int, int]:
        """(group, item position or HEADER) of a row number."""
        g = bisect_right(self._starts, row) - 1
        return g, row - self._starts[g] - 1

    def row_of(self, group: int, item: int = HEADER) -> int:
        return self._starts[group] + 1 + item

    def row_at(self, line: int) -> Row | None:
        if not 0 <= line < self._rows:
            return None
        g, i = self.locate(line)
        group = self.groups[g]
        return Row(g, i, None if i == HEADER else group.items[i], i == HEADER and group.expanded)

    def data_at(self, position: tuple[int, int]) -> Any:
        g, i = position
        return None if i == HEADER else self.groups[g].items[i]

    @property
    def row_count(self) -> int:
        return self._rows

    @property
    def last_line(self) -> int:
        return self._rows - 1

    @property
    def cursor_line(self) -> int:
        return self._cursor

    @cursor_line.setter
    def cursor_line(self, line: int) -> None:
        self._move(line)

    @property
    def cursor_node(self) -> Row | None:
        return self.row_at(self._cursor)

    @property
    def cursor_item(self) -> Any:
        """The item under the cursor, None on a header or when the list is empty."""
        row = self.row_at(self._cursor)
        return None if row is None else row.data

    def refresh_item(self, key: Hashable) -> None:
        """Draw the item's line again (its label changed)."""
        position = self.positions.get(key)
        if position is None or not self.groups[position[0]].expanded:
            return
        self._strips.clear()
        self._pieces.pop(key, None)
        self.refresh_line(self.row_of(*position))

    def forget_labels(self) -> None:
        """Draw every label anew (what they show may have changed elsewhere)."""
        self._pieces.clear()
        self._strips.clear()
        self.refresh()

    # ----------------------------------------------------------------- cursor ---

    def _move(self, line: int, scroll: bool = False) -> None:
        previous = self._cursor
        self._cursor = max(0, min(line, self._rows - 1)) if self._rows else -1
        for changed in {previous, self._cursor} - {-1}:
            self.refresh_line(changed)
        if self._cursor < 0:
            return
        if scroll:
            self.scroll_to_line(self._cursor)
        identity = (self._generation, *self.locate(self._cursor))
        if self._posted != identity:
            self._posted = identity
            self.post_message(self.Highlighted(self, self.cursor_node))

    def scroll_to_line(self, line: int, animate: bool = False) -> None:
        """Scroll the least that shows `line` (after the first layout when not laid out yet)."""
        height = self.scrollable_content_region.height
        if not height:
            self.call_after_refresh(self.scroll_to_line, line)
            return
        top = self.scroll_offset.y
        if line < top:
            self.scroll_to(y=line, animate=animate, force=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=animate, force=True)

    def select_key(self, key: Hashable) -> bool:
        """Put the cursor on the item with this key (opening its group); False when not shown."""
        position = self.positions.get(key)
        if position is None:
            return False
        g, i = position
        if not self.groups[g].expanded:
            self.groups[g].expanded = True
            self._relayout()
        row = self.row_of(g, i)
        self._move(row)
        self._scroll_into_view(g, i)
        return True

    def _scroll_into_view(self, g: int, i: int) -> None:
        """The item's line in view; for the first of a group, its header too."""
        if not self.scrollable_content_region.height:
            self.call_after_refresh(self._scroll_into_view, g, i)
            return
        if i == 0:
            self.scroll_to_line(self.row_of(g))
        self.scroll_to_line(self.row_of(g, i))

    def action_cursor_down(self) -> None:
        self._move(0 if self._cursor < 0 else self._cursor + 1, scroll=True)

    def action_cursor_up(self) -> None:
        self._move(self.last_line if self._cursor < 0 else self._cursor - 1, scroll=True)

    def action_first(self) -> None:
        self._move(0, scroll=True)

    def action_last(self) -> None:
        self._move(self.last_line, scroll=True)

    def action_page_down(self) -> None:
        self._move(max(self._cursor, 0) + self.scrollable_content_region.height - 1, scroll=True)

    def action_page_up(self) -> None:
        self._move(max(self._cursor, 0) - self.scrollable_content_region.height + 1, scroll=True)

    # ------------------------------------------------------------------ groups ---

    def set_expanded(self, group: int, expanded: bool) -> None:
        """Open or close a group; a cursor inside a group being closed moves to its header."""
        if self.groups[group].expanded == expanded:
            return
        cursor = self.cursor_node
        self.groups[group].expanded = expanded
        self._relayout()
        if cursor is not None:
            inside = cursor.group == group and cursor.item != HEADER and not expanded
            self._move(self.row_of(group) if inside else self.row_of(cursor.group, cursor.item), scroll=True)

    def toggle_group(self, group: int) -> None:
        self.set_expanded(group, not self.groups[group].expanded)

    def action_toggle_group(self) -> None:
        row = self.cursor_node
        if row is not None and row.item == HEADER:
            self.toggle_group(row.group)

    def action_toggle_all(self) -> None:
        """Every group closed, or (when all are closed) every group open."""
        row = self.cursor_node
        if row is None:
            return
        expand = not any(group.expanded for group in self.groups)
        for group in self.groups:
            group.expanded = expand
        self._relayout()
        header = self.row_of(row.group)
        self._move(header if not expand or row.item == HEADER else self.row_of(row.group, row.item), scroll=True)

    def action_select_cursor(self) -> None:
        row = self.cursor_node
        if row is None:
            return
        self.post_message(self.Selected(self, row))
        if row.item == HEADER:
            self.toggle_group(row.group)

    def action_collapse_or_parent(self) -> None:
        row = self.cursor_node
        if row is None:
            return
        if row.item == HEADER:
            self.set_expanded(row.group, False)
        else:
            self._move(self.row_of(row.group), scroll=True)

    def action_expand_or_child(self) -> None:
        row = self.cursor_node
        if row is None or row.item != HEADER:
            return
        if not row.is_expanded:
            self.set_expanded(row.group, True)
        elif self.groups[row.group].items:
            self._move(self._cursor + 1, scroll=True)

    def action_cursor_parent(self) -> None:
        row = self.cursor_node
        if row is not None and row.item != HEADER:
            self._move(self.row_of(row.group), scroll=True)

    def action_next_group(self) -> None:
        row = self.cursor_node
        if row is not None and row.item != HEADER and row.group + 1 < len(self.groups):
            self._move(self.row_of(row.group + 1), scroll=True)

    def action_previous_sibling(self) -> None:
        row = self.cursor_node
        if row is None:
            return
        if row.item == HEADER:
            self._move(self.row_of(max(0, row.group - 1)), scroll=True)
        else:
            self._move(self._cursor - 1, scroll=True)  # the previous item, or the header (its parent)

    def action_next_sibling(self) -> None:
        row = self.cursor_node
        if row is None:
            return
        if row.item == HEADER or row.item == len(self.groups[row.group].items) - 1:
            if row.group + 1 < len(self.groups):
                self._move(self.row_of(row.group + 1), scroll=True)
        else:
            self._move(self._cursor + 1, scroll=True)

    # ------------------------------------------------------------------ mouse ---

    def _on_click(self, event: events.Click) -> None:
        line = event.style.meta.get("line")
        if line is None:
            return
        if event.style.meta.get("toggle"):
            self.toggle_group(self.locate(line)[0])
            return
        self._move(line)
        self.action_select_cursor()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        line = event.style.meta.get("line", -1) if event.style.meta else -1
        if line != self._hover:
            self._set_hover(line)

    def _on_leave(self, event: events.Leave) -> None:
        self._set_hover(-1)

    def _set_hover(self, line: int) -> None:
        previous, self._hover = self._hover, line
        for changed in (previous, line):
            if changed < 0 or changed >= self._rows:
                continue
            g, i = self.locate(changed)
            if i == HEADER and self.groups[g].expanded:  # a header's hover shows on its items too
                self.refresh_lines(changed, 1 + len(self.groups[g].items))
            else:
                self.refresh_line(changed)

    # -------------------------------------------------------------- rendering ---

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles = None

    _styles: tuple | None = None

    def _line_styles(self) -> tuple[Style, Style, Style, Style, dict[str, Style]]:
        """(line, hover line, label, cursor, guide styles by state), worked out once per style change:
        `rich_style` walks every ancestor, and was most of drawing a line."""
        if self._styles is None or self._styles[0] != self.has_focus:
            component = self.get_component_rich_style
            guides = component("row-tree--guides", partial=True)
            self._styles = (self.has_focus, self.rich_style, component("row-tree--hover"),
                            component("row-tree--label", partial=True), component("row-tree--cursor", partial=False),
                            {"": guides, "hover": guides + component("row-tree--guides-hover", partial=True),
                             "selected": guides + component("row-tree--guides-selected", partial=True)})
        return self._styles[1:]

    def label_room(self) -> int:
        """Cells for an item's label: the width inside the border and scrollbar, less the guide."""
        return max(4, self.scrollable_content_region.width - self.guide_depth)

    def render_label(self, position: tuple[int, int], base_style: Style, style: Style) -> Text:
        """The label of the row at (group, item) as drawn, with `style` over it (no guide)."""
        g, i = position
        group = self.groups[g]
        if i == HEADER:
            label = group.label.copy()
            label.stylize(style)
            icon = self.ICON_OPEN if group.expanded else self.ICON_CLOSED
            return Text.assemble((icon, base_style + _TOGGLE), label)
        label = self.item_label(group.items[i], self.label_room()).copy()
        label.stylize(style)
        return label

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.size.width
        if line >= self._rows:
            return Strip.blank(width, self._line_styles()[0])
        g, i = self.locate(line)
        header = self._starts[g]
        hover = self._hover >= 0 and self._hover in (line, header)
        guides = ("selected" if header == self._cursor and self.has_focus else
                  "hover" if self._hover == header else "")
        key = (line, g, i, width, self._generation, line == self._cursor, hover, guides, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._draw(line, g, i, width, hover, guides)
        return strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)

    def _render_label(self, label: Text) -> list:
        console = self.app.console
        if label.spans:  # each segment's style includes the label's own
            return list(label.render(console))
        return [Segment(label.plain, console.get_style(label.style) if label.style else None)]

    def _item_pieces(self, item: Any) -> list:
        room = self.label_room()
        key = self.key_of(item)
        by_width = self._pieces.get(key)
        if by_width is None:
            if len(self._pieces) > 4096:
                self._pieces.clear()
            by_width = self._pieces[key] = {}
        pieces = by_width.get(room)
        if pieces is None:
            pieces = by_width[room] = self._render_label(self.item_label(item, room))
        return pieces

    def _draw(self, line: int, g: int, i: int, width: int, hover: bool, guides: str) -> Strip:
        """Guide, then the label's own segments with the line's style under them and the label
        (or cursor) style over them: what Tree drew, without assembling a Text per line."""
        base, hovered, style, cursor, guide_styles = self._line_styles()
        line_style = (hovered if hover else base) + Style(meta={"line": line})
        if line == self._cursor:
            style += cursor
        group = self.groups[g]
        if i == HEADER:
            pieces = self._render_label(group.label)
            segments = [Segment(self.ICON_OPEN if group.expanded else self.ICON_CLOSED, line_style + _TOGGLE)]
        else:
            pieces = self._item_pieces(group.items[i])
            guide = self.GUIDE_LAST if i == len(group.items) - 1 else self.GUIDE_ITEM
            segments = [Segment(guide, line_style + guide_styles[guides])]
        style += Style.from_meta({"label": True})  # the label's cells, apart from the padding (as Tree drew)
        segments.extend(Segment(text, line_style + piece_style + style if piece_style else line_style + style)
                        for text, piece_style, _ in pieces)
        used = sum(segment.cell_length for segment in segments)
        if width > used:
            segments.append(Segment(" " * (width - used), line_style))
        return Strip(segments, max(width, used))

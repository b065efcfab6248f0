"""The key bar at the bottom of each mode: one widget drawing what Textual's compact Footer draws.

Textual's Footer is a container of one `FooterKey` widget per key, composed again whenever the
active bindings change. Each focus change (the list, then the filter line, then the list
again) and each first switch to a mode mounted, styled and laid out a row of new widgets:
40 to 60 ms of opening the filter, and as much of a first switch, on a big plan. This one
is a single widget that draws the same line (same order, styles, key display, the command
palette key on the right after a `▏`), redrawn only when the keys it shows change. A click
on a key presses it; hovering shows its tooltip, as the Footer's keys do.
"""
from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.color import Color
from textual.widget import Widget


class FooterItem(NamedTuple):
    """One key shown: what is pressed, how it is written, what it does."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool = False  # the command palette's key, on the right


class QuietFooter(Widget, can_focus=False):
    """The screen's shown keys on one line; `compact` is accepted for the Footer's signature."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    DEFAULT_CSS = """
    QuietFooter {
        color: $footer-foreground;
        background: $footer-background;
        dock: bottom;
        height: 1;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, compact: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: tuple[FooterItem, ...] = ()
        self._spans: list[tuple[int, int, int]] = []  # (start, end, item) of each key drawn
        self._hover = -1

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.call_after_refresh(self.bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen) -> None:
        if not (self.is_attached and screen is self.screen and screen.app.app_focus):
            return
        items = self._items()
        if items != self.items:
            self.items = items
            self.refresh()

    def _items(self) -> tuple[FooterItem, ...]:
        """What the compact Footer composes: the first shown binding of each action, in order,
        then the command palette's key."""
        app = self.app
        active = self.screen.active_bindings
        items, actions = [], set()
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                items.append(FooterItem(binding.key, app.get_key_display(binding), binding.description,
                                        binding.action, enabled, tooltip))
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            items.append(FooterItem(binding.key, app.get_key_display(binding), binding.description, binding.action,
                                    enabled, binding.tooltip or binding.description, palette=True))
        return tuple(items)

    def _item_text(self, position: int, item: FooterItem, base: Style) -> Text:
        """A key as FooterKey draws it: the key in the key style, a space and its description."""
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        if item.description:
            text = Text.assemble((item.display, key_style), (" " + item.description, description_style))
        else:
            text = Text.assemble((item.display, key_style))
        style = base
        if position == self._hover:
            style += Style.from_color(self._hover_color(), self._hover_background())
        if not item.enabled:
            style += Style(dim=True)
        text.stylize_before(style + Style.from_meta({"footer_key": position}))
        return text

    def _variable(self, name: str) -> Color:
        return Color.parse(self.app.get_css_variables()[name])

    def _hover_color(self):
        return self._variable("footer-key-foreground").rich_color

    def _hover_background(self):
        return (self.background_colors[1] + self._variable("block-hover-background")).rich_color

    def render(self) -> Text:
        base = self.rich_style
        width = self.size.width
        left = [(i, item) for i, item in enumerate(self.items) if not item.palette]
        palette = next(((i, item) for i, item in enumerate(self.items) if item.palette), None)
        line, spans = Text(), []
        for position, item in left:
            if spans:
                line.append(" ", style=base)  # the previous key's right margin
            start = line.cell_len
            line.append_text(self._item_text(position, item, base))
            spans.append((start, line.cell_len, position))
        if palette is not None:
            position, item = palette
            key = self._item_text(position, item, base)
            room = max(0, width - key.cell_len - 2)  # the `▏` before it, its right margin after
            line.truncate(room)
            line.append(" " * (room - line.cell_len), style=base)
            spans = [(s, min(e, room), p) for s, e, p in spans if s < room]
            separator = Style.from_color((self.background_colors[1] + self._variable("foreground").with_alpha(0.2))
                                         .rich_color, self.background_colors[1].rich_color)
            line.append("▏", style=base + separator)
            spans.append((line.cell_len, line.cell_len + key.cell_len, position))
            line.append_text(key)
            line.append(" ", style=base)
        self._spans = spans
        line.no_wrap = True
        line.overflow = "crop"
        return line

    # ------------------------------------------------------------------ mouse ---

    def _item_at(self, x: int) -> int:
        return next((p for s, e, p in self._spans if s <= x < e), -1)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        position = self._item_at(event.x)
        if position != self._hover:
            self._hover = position
            self.tooltip = self.items[position].tooltip or None if position >= 0 else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover != -1:
            self._hover = -1
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        position = self._item_at(event.x)
        if position < 0:
            return
        item = self.items[position]
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

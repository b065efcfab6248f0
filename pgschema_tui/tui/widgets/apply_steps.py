"""Apply mode's step list: every step with its state mark and word, duration, symbol and path.

A line-API scroll view rather than a DataTable: it renders only the visible rows, so a
5,000-step plan opens Apply mode at once (DataTable measures every cell up front).
"""
from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pgschema_tui.tui.apply_state import DONE, FAILED, PENDING, RUNNING, STATE_MARKS, WAITING, ApplyState
from pgschema_tui.tui.formatting import OPERATION_STYLES, duration, symbol
from pgschema_tui.tui.session import ReviewSession
from pgschema_tui.tui.widgets.plan_tree import append_step_name

_STATE_STYLES = {RUNNING: "bold", DONE: "green", FAILED: "bold red", WAITING: "yellow", PENDING: "dim"}
HEADER = "#  state     ran  op  step"
COMPACT_HEADER = "#     ran  op  step"
WAITED = " waited"
COMPACT_BELOW = 70
"""Narrower than this (content cells), rows show the state's mark without its word."""


class ApplySteps(ScrollView, can_focus=True):
    """One line per step; the running (or last failed) step is highlighted and kept in view."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("g", "scroll_home", "First", show=False),
        Binding("G", "scroll_end", "Last", show=False),
    ]

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.state: ApplyState | None = None
        self.highlighted: int | None = None
        self.shown: list[int] = [r.index for r in session.refs]
        self._width = 0  # rows are cut to the widget's width, never scrolled sideways
        self.virtual_size = Size(self._width, len(self.shown))
        self._strips: LRUCache[tuple, Strip] = LRUCache(256)
        """Rows drawn since the last change of what they show (`show`, `filter`, a resize, a
        style change): Textual repaints a new screen twice, and the rows again on each scroll."""

    def filter(self, needle: str) -> None:
        """Show only the steps matching `needle` (path, kind, operation, hazard or SQL)."""
        self.shown = [r.index for r in self.session.refs if self.session.matches(r, needle)]
        self._strips.clear()
        self.virtual_size = Size(self._width, len(self.shown))
        self.scroll_home(animate=False)
        self.refresh()

    def on_mount(self) -> None:
        self._set_header()

    def show(self, state: ApplyState) -> None:
        self.state = state
        self._strips.clear()
        self._set_header()
        focus = state.current
        if focus is None:
            focus = next((i for i, s in enumerate(state.step_states) if s == FAILED), None)
        self.highlighted = focus
        row = self.shown.index(focus) if focus in self.shown else None
        if row is not None and not (self.scroll_offset.y <= row < self.scroll_offset.y + self.size.height):
            self.scroll_to(y=max(0, row - self.size.height // 2), animate=False)
        self.refresh()

    @property
    def compact(self) -> bool:
        return self.scrollable_content_region.width < COMPACT_BELOW

    @property
    def any_waited(self) -> bool:
        """Show the waited column only once some step has waited (lock retries, backoff)."""
        return self.state is not None and self.state.any_waited

    def on_resize(self) -> None:
        self._strips.clear()
        self._set_header()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _set_header(self) -> None:
        header = COMPACT_HEADER if self.compact else HEADER
        if self.any_waited:
            header = header.replace("    ran", WAITED + "    ran")
        self.border_subtitle = header

    def row_text(self, index: int) -> Text:
        """`  7  ✓ done      20 s  3.5 s   + orders.orders_created_at_idx · create concurrently`:
        waited (lock retries, backoff) and ran (the attempt that did it) apart."""
        ref = self.session.ref(index)
        state = self.state
        step_state = state.step_states[index] if state else PENDING
        ran = waited = ""
        if state is not None:
            if index in state.durations:
                ran = duration(state.durations[index])
            elif step_state in (RUNNING, WAITING) and index in state.started_at:
                ran = duration(state.ran_so_far(index, self.app.clock()))
            wait = state.waited_so_far(index, self.app.clock())
            waited = duration(wait) if wait >= 0.05 else ""
        text = Text(f"{index + 1:>3} ", end="", no_wrap=True)
        mark = STATE_MARKS.get(step_state, " ")
        if self.compact:
            text.append(f" {mark}", style=_STATE_STYLES.get(step_state, ""))
        else:
            text.append(f" {mark} {step_state:<7}", style=_STATE_STYLES.get(step_state, ""))
        if self.any_waited:
            text.append(f" {waited:>6}")
        text.append(f" {ran:>6} ")
        text.append(f"{symbol(ref.step.operation):>3}", style=OPERATION_STYLES.get(ref.step.operation, ""))
        text.append(" ")
        append_step_name(text, self.session, ref, max(8, self.scrollable_content_region.width - text.cell_len))
        if index == self.highlighted:
            text.stylize("reverse")
        return text

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.size.width
        if row >= len(self.shown):
            return Strip.blank(width, self.rich_style)
        index = self.shown[row]
        key = (index, width, self.scroll_offset.x, self.scrollable_content_region.width)
        strip = self._strips.get(key)
        if strip is None:
            rendered = [s for s in self.row_text(index).render(self.app.console) if s.text != "\n"]
            # On top of the widget's own style: every segment gets a real Style (NO_COLOR filters need one).
            strip = Strip(list(Segment.apply_style(rendered, self.rich_style)))
            strip = strip.crop(self.scroll_offset.x, self.scroll_offset.x + width).extend_cell_length(width, self.rich_style)
            if self.state is None or self.state.step_states[index] not in (RUNNING, WAITING):  # not timed now
                self._strips[key] = strip
        return strip



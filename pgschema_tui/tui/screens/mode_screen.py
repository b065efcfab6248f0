"""What the four mode screens share to open fast on a first switch (issue 12: under 100 ms).

Two costs of Textual's, measured on an 8,000-step plan, not of our widgets:

- A screen built by `switch_mode` starts with "styles never refreshed" (`_css_update_count`
  -1), so Textual re-parses the whole stylesheet and restyles every node of every screen,
  twice (in `_init_mode`, then in `switch_mode`): about 90 ms a first switch. A screen built
  now is styled from the current stylesheet as its widgets mount, so it starts up to date
  (all but the app's first screen, whose refresh is what applies the theme's variables).
  (A theme change later still bumps the app's count and refreshes it, as for any screen.)
- The first widget of a class brings its DEFAULT_CSS, and the stylesheet is then parsed again
  in full (30 to 40 ms each time; Apply mode mounts its widgets in four batches). The first
  screen registers the default CSS of every mode's widgets, so it is parsed once, at start.

Both rely on Textual internals (`Screen._css_update_count`, `DOMNode._get_default_css`); if a
Textual release drops them the screens still work, only slower (tests/test_tui_speed.py says).
"""
from __future__ import annotations

from textual.screen import Screen


def mode_widget_classes() -> list[type]:
    """Every widget class a mode screen mounts (ours and Textual's, children included)."""
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.widgets import Input, Label, ProgressBar, RichLog, Static
    from textual.widgets._progress_bar import Bar, ETAStatus, PercentageStatus

    from pgschema_tui.tui.widgets.apply_progress import ApplyProgress
    from pgschema_tui.tui.widgets.apply_steps import ApplySteps
    from pgschema_tui.tui.widgets.ddl_compare import DdlCompare
    from pgschema_tui.tui.widgets.ddl_pane import DdlPane
    from pgschema_tui.tui.widgets.dependency_view import DependencyView
    from pgschema_tui.tui.widgets.filter_bar import FilterBar
    from pgschema_tui.tui.widgets.footer import QuietFooter
    from pgschema_tui.tui.widgets.layer_tree import LayerTree
    from pgschema_tui.tui.widgets.lock_table import LockTable
    from pgschema_tui.tui.widgets.mode_bar import ModeBar
    from pgschema_tui.tui.widgets.object_tree import ObjectTree
    from pgschema_tui.tui.widgets.plan_tree import PlanTree
    from pgschema_tui.tui.widgets.step_details import StepDetails
    from pgschema_tui.tui.widgets.summary_bar import SummaryBar

    return [Horizontal, Vertical, VerticalScroll, Input, Label, ProgressBar, RichLog, Static, Bar, ETAStatus, PercentageStatus, ApplyProgress, ApplySteps, DdlCompare,
            DdlPane, DependencyView, FilterBar, QuietFooter, LayerTree, LockTable, ModeBar, ObjectTree, PlanTree,
            StepDetails, SummaryBar]


def register_mode_css(app) -> None:
    """Add every mode widget's DEFAULT_CSS to the stylesheet now (parsed once, with the first screen)."""
    stylesheet = app.stylesheet
    for cls in mode_widget_classes():
        try:
            sources = cls._get_default_css(object.__new__(cls))  # uses the class's CSS bases only
        except (AttributeError, TypeError):  # another Textual: its first mount registers it, as usual
            return
        for read_from, css, tie_breaker, scope in sources:
            stylesheet.add_source(css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker,
                                  scope=scope)


class ModeScreen(Screen):
    """Base of the Review, Explore, Graph and Apply screens."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        app = self.app
        if not getattr(app, "_mode_css_registered", False):
            app._mode_css_registered = True
            register_mode_css(app)
        if any(getattr(app, "_screen_stacks", {}).values()):  # not the first: that one sets the theme up
            self._styles_are_current()

    def _on_screen_resume(self, event) -> None:
        """Textual restyles every node of a screen each time it is shown again (and twice on a
        first switch), 20 to 40 ms; nothing a suspended screen's styles depend on changes while
        it is hidden except the app's CSS (a theme change), which `_css_update_count` tracks."""
        if self._styles_up_to_date():
            event.refresh_styles = False

    _hidden_since_shown = False

    def _on_screen_suspend(self, event) -> None:
        self._hidden_since_shown = True

    def shown_again(self) -> bool:
        """True once per return to this screen after it was hidden (another mode, a dialog): when
        to redraw what may have changed meanwhile. A first switch posts two resumes around the
        mount, which has just drawn everything: redrawing then was a third of Apply's first switch."""
        if not (self.is_mounted and self.is_current):  # a resume posted while built ahead
            return False
        again, self._hidden_since_shown = self._hidden_since_shown, False
        return again

    def _styles_up_to_date(self) -> bool:
        count = getattr(self, "_css_update_count", None)
        return count is not None and count == getattr(self.app, "_css_update_count", None) and count >= 0

    def _on_mount(self, event) -> None:
        self._styles_are_current()  # the first screen too, once the theme is applied (else every
        # return to it would refresh the whole app's CSS)
        if not self.is_current:  # built ahead (ReviewApp._prebuild_modes): its first showing redraws
            self._hidden_since_shown = True

    def _styles_are_current(self) -> None:
        if hasattr(self, "_css_update_count") and hasattr(self.app, "_css_update_count"):
            self._css_update_count = self.app._css_update_count

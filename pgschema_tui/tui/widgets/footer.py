"""Textual's Footer, composed again only when the keys it shows change.

The Footer rebuilds its 20-odd key widgets on every change of the active bindings: each
focus change (the list, then the filter line, then the list again) restyled and redrew
them all, 30 to 60 ms of a keystroke on a big plan, to show the same keys. This one keeps
its keys while what it would show (key, label, enabled, tooltip) stays the same.
"""
from __future__ import annotations

from textual.widgets import Footer


class QuietFooter(Footer):
    """A Footer that skips recomposing to the same keys."""

    _shown: tuple | None = None

    def _keys_shown(self) -> tuple:
        return tuple((binding.key, binding.action, binding.description, enabled, tooltip)
                     for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
                     if binding.show or binding.key == getattr(self.app, "COMMAND_PALETTE_BINDING", None))

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._keys_shown()
            if shown == self._shown and self._bindings_ready and self.children:
                return  # the same keys, or a recompose to them already asked for
            self._shown = shown
        super().bindings_changed(screen)

    def compose(self):
        if self._bindings_ready:
            self._shown = self._keys_shown()
        yield from super().compose()

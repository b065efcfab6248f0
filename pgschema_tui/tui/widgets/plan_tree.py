"""The Review tree: the plan's steps grouped by object kind, with Terraform symbols and marks."""
from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from pgschema_tui.tui.formatting import OPERATION_STYLES, kind_label, symbol
from pgschema_tui.tui.labels import SEPARATOR, fit
from pgschema_tui.tui.session import ReviewSession, StepRef
from pgschema_tui.tui.widgets.row_tree import Group, RowTree


class PlanTree(RowTree):
    """Kinds as groups, steps (their indexes) as items; only the rows on screen are drawn."""

    BINDINGS = [
        # space marks viewed here rather than toggling the group, as in the Review screen
        Binding("space", "screen.toggle_viewed", "Viewed"),
    ]

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session

    @property
    def step_nodes(self) -> dict[int, tuple[int, int]]:
        """Step index -> (group, position) of every step the filter shows."""
        return self.positions

    _unfiltered: tuple[list[Group], dict] | None = None

    def rebuild(self, needle: str = "") -> None:
        """Show the steps matching `needle`, every kind expanded. The whole list (opening, each
        cleared filter) is built once: on 8,000 steps it was 16,000 objects per escape, and the
        collections they set off."""
        if not needle and self._unfiltered is not None:
            groups, positions = self._unfiltered
            for group in groups:
                group.expanded = True
            self.set_groups(groups, positions)
            return
        self.set_groups(Group(Text(f"{kind_label(kind)} ({len(refs)})", style="bold"), [r.index for r in refs])
                        for kind, refs in self.session.grouped(needle))
        if not needle:
            self._unfiltered = (list(self.groups), self.positions)

    def item_label(self, index: int, width: int) -> Text:
        return self.step_label(self.session.ref(index), width)

    def step_label(self, ref: StepRef, width: int | None = None) -> Text:
        """`✓!   ~ customers.email · set not null`: viewed mark, hazard mark (! open, a
        acknowledged), Terraform symbol, object and action, cut in the middle to `width`."""
        step = ref.step
        label = Text()
        label.append("✓" if ref.index in self.session.viewed else " ", style="bold")
        if not step.hazards:
            label.append(" ")
        elif self.session.is_acknowledged(ref.index):
            label.append("a", style="dim")
        else:
            label.append("!", style="bold red")
        label.append(f"{symbol(step.operation):>4} ", style=OPERATION_STYLES.get(step.operation, ""))
        append_step_name(label, self.session, ref, None if width is None else width - label.cell_len)
        return label

    def refresh_step(self, index: int) -> None:
        self.refresh_item(index)

    def select_step(self, index: int) -> bool:
        """Move the cursor to a step; False when the filter hides it."""
        return self.select_key(index)

    @property
    def selected_index(self) -> int | None:
        item = self.cursor_item
        return item if isinstance(item, int) else None


def append_step_name(text: Text, session: ReviewSession, ref: StepRef, width: int | None) -> None:
    """`customers.email · set not null` onto `text`, fitted to `width` cells (None: whole)."""
    name, action = fit(session.label(ref), session.action(ref), width)
    text.append(name)
    if action:
        text.append(SEPARATOR + action, style="dim")

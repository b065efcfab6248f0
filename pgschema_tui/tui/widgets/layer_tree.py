"""Graph mode's left side: the plan's steps in execution order, one group per transaction group."""
from __future__ import annotations

from functools import partial

from rich.text import Text

from pgschema_tui.tui.formatting import OPERATION_STYLES, symbol
from pgschema_tui.tui.session import ReviewSession
from pgschema_tui.tui.widgets.plan_tree import append_step_name
from pgschema_tui.tui.widgets.row_tree import Group, RowTree


class LayerTree(RowTree):
    """Layers as groups, steps (their indexes) as items; only the rows on screen are drawn."""

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session

    @property
    def step_nodes(self) -> dict[int, tuple[int, int]]:
        """Step index -> (group, position) of every step the filter shows."""
        return self.positions

    def rebuild(self, layers: list[list[int]], needle: str = "") -> None:
        """The layers with the steps matching `needle` (numbers stay those of the whole plan)."""
        session, refs = self.session, self.session.refs
        groups = []
        for number, layer in enumerate(layers, start=1):
            shown = [i for i in layer if session.matches(refs[i], needle)] if needle else list(layer)
            if shown:
                groups.append(Group(partial(self._layer_label, number, layer, len(shown)), shown))
        self.set_groups(groups)

    def _layer_label(self, number: int, layer: list[int], shown: int) -> Text:
        """`Group 3 (2, no transaction)`: made when the header is drawn."""
        refs = self.session.refs
        transactional = all(refs[i].step.can_run_in_transaction for i in layer)
        return Text(f"Group {number} ({shown}, {'transaction' if transactional else 'no transaction'})", style="bold")

    def item_label(self, index: int, width: int) -> Text:
        return self.step_label(index, width)

    def step_label(self, index: int, width: int | None = None) -> Text:
        """`  ~ customers.email · set not null`, as Review and Apply modes show it."""
        ref = self.session.ref(index)
        label = Text(f"{index + 1:>3} ", style="dim")
        label.append(f"{symbol(ref.step.operation):>3} ", style=OPERATION_STYLES.get(ref.step.operation, ""))
        append_step_name(label, self.session, ref, None if width is None else width - label.cell_len)
        return label

    def select_step(self, index: int) -> bool:
        return self.select_key(index)

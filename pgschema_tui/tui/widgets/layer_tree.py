"""Graph mode's left side: the plan's steps in execution order, one branch per transaction group."""
from __future__ import annotations

from rich.text import Text
from textual.widgets.tree import TreeNode

from pgschema_tui.tui.formatting import OPERATION_STYLES, symbol
from pgschema_tui.tui.session import ReviewSession
from pgschema_tui.tui.widgets.plan_tree import append_step_name
from pgschema_tui.tui.widgets.vim_tree import VimTree


_PLACEHOLDER = Text("")


class LayerTree(VimTree):
    """Layers as branches, steps as leaves (`data` is the step index)."""

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__("layers", **kwargs)
        self.session = session
        self.step_nodes: dict[int, TreeNode] = {}
        self.layer_of: dict[int, int] = {}

    def rebuild(self, layers: list[list[int]], needle: str = "") -> None:
        """The layers with the steps matching `needle` (numbers stay those of the whole plan)."""
        self.clear()
        self.step_nodes, self.layer_of = {}, {}
        with self.bulk_add():
            for number, layer in enumerate(layers, start=1):
                shown = [i for i in layer if self.session.matches(self.session.ref(i), needle)]
                if not shown:
                    continue
                transactional = all(self.session.ref(i).step.can_run_in_transaction for i in layer)
                kind = "transaction" if transactional else "no transaction"
                branch = self.root.add(Text(f"Group {number} ({len(shown)}, {kind})", style="bold"), expand=True)
                for index in shown:
                    self.step_nodes[index] = branch.add_leaf(_PLACEHOLDER, data=index)  # drawn by fit_label
                    self.layer_of[index] = number

    fits_labels = True

    def step_label(self, index: int, width: int | None = None) -> Text:
        """`  ~ customers.email · set not null`, as Review and Apply modes show it."""
        ref = self.session.ref(index)
        label = Text(f"{index + 1:>3} ", style="dim")
        label.append(f"{symbol(ref.step.operation):>3} ", style=OPERATION_STYLES.get(ref.step.operation, ""))
        append_step_name(label, self.session, ref, None if width is None else width - label.cell_len)
        return label

    def fit_label(self, node, width: int) -> Text:
        return self.step_label(node.data, width) if isinstance(node.data, int) else node._label

    def select_step(self, index: int) -> bool:
        node = self.step_nodes.get(index)
        if node is None:
            return False
        self.move_to(node)
        return True

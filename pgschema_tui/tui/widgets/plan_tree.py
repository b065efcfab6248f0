"""The Review tree: the plan's steps grouped by object kind, with Terraform symbols and marks."""
from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets.tree import TreeNode

from pgschema_tui.tui.formatting import OPERATION_STYLES, kind_label, symbol
from pgschema_tui.tui.labels import SEPARATOR, fit
from pgschema_tui.tui.session import ReviewSession, StepRef
from pgschema_tui.tui.widgets.vim_tree import VimTree


_PLACEHOLDER = Text("")


class PlanTree(VimTree):
    """Kinds as branches, steps as leaves (`data` is the step index)."""

    BINDINGS = [
        # space marks viewed here rather than toggling the branch, as in the Review screen
        Binding("space", "screen.toggle_viewed", "Viewed"),
    ]

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__("plan", **kwargs)
        self.session = session
        self.step_nodes: dict[int, TreeNode] = {}

    def rebuild(self, needle: str = "") -> None:
        """Show the steps matching `needle`, every kind expanded."""
        self.clear()
        self.step_nodes = {}
        with self.bulk_add():
            for kind, refs in self.session.grouped(needle):
                branch = self.root.add(Text(f"{kind_label(kind)} ({len(refs)})", style="bold"), expand=True)
                for ref in refs:
                    # the label is drawn by fit_label when the line shows: nothing to build per step here
                    self.step_nodes[ref.index] = branch.add_leaf(_PLACEHOLDER, data=ref.index)

    fits_labels = True

    def fit_label(self, node, width: int) -> Text:
        if not isinstance(node.data, int):
            return node._label
        return self.step_label(self.session.ref(node.data), width)

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
        node = self.step_nodes.get(index)
        if node is not None:
            node.set_label(_PLACEHOLDER)  # a new label object: the line is drawn again

    def select_step(self, index: int) -> bool:
        """Move the cursor to a step; False when the filter hides it."""
        node = self.step_nodes.get(index)
        if node is None:
            return False
        if node.parent is not None and not node.parent.is_expanded:
            node.parent.expand()
        self.move_to(node)
        return True

    @property
    def selected_index(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None and isinstance(node.data, int) else None


def append_step_name(text: Text, session: ReviewSession, ref: StepRef, width: int | None) -> None:
    """`customers.email · set not null` onto `text`, fitted to `width` cells (None: whole)."""
    name, action = fit(session.label(ref), session.action(ref), width)
    text.append(name)
    if action:
        text.append(SEPARATOR + action, style="dim")

"""The Fleet screen's list of plan groups: one option per distinct plan, then the targets that
could not be planned. Each option says how many targets, what the plan does and its hazards
(with how many of the group's targets have each, and whether it is acknowledged)."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pgschema_tui.tui.fleet_model import FleetSession

FAILED_ID = "planning-failed"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def hazard_line(session: FleetSession, number: int) -> Text:
    """`data_loss on 2 of 3 (blocks apply; not acknowledged), index_build (acknowledged)`."""
    from pgschema_tui.apply.preflight import BLOCKING_HAZARDS

    group = session.group(number)
    counts = group.hazard_counts()
    text = Text()
    if not counts:
        return text
    review = session.group_session(number)
    left = {review.ref(i).step.hazards[k].type for i, k in review.hazards_left()}
    for position, (kind, n) in enumerate(sorted(counts.items())):
        if position:
            text.append(", ")
        blocking = kind in BLOCKING_HAZARDS
        text.append(kind, style="bold red" if blocking and kind in left else "bold")
        if n != len(group.members):
            text.append(f" on {n} of {len(group.members)}")
        facts = (["blocks apply"] if blocking else []) + ["not acknowledged" if kind in left else "acknowledged"]
        text.append(f" ({'; '.join(facts)})")
    return text


class FleetGroups(OptionList):
    """`[2] 3 targets: + users.note` / `    hazards: …` per group; enter opens it in Review."""

    def __init__(self, session: FleetSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session

    def on_mount(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        highlighted = self.highlighted
        self.clear_options()
        options = []
        for number, group in enumerate(self.session.groups, 1):
            prompt = Text()
            prompt.append(f"[{number}] ", style="bold")
            prompt.append(f"{_count(len(group.members), 'target')}: ")
            prompt.append(self.session.group_title(number), style="dim" if group.is_empty else "")
            hazards = hazard_line(self.session, number)
            if hazards:
                prompt.append("\n    hazards: ")
                prompt.append_text(hazards)
            options.append(Option(prompt, id=f"group-{number}"))
        if self.session.planning_failed:
            prompt = Text(f"{_count(len(self.session.planning_failed), 'target')} could not be planned",
                          style="bold red")
            options.append(Option(prompt, id=FAILED_ID))
        self.add_options(options)
        if options:
            self.highlighted = min(highlighted or 0, len(options) - 1)

    @property
    def group_number(self) -> int | None:
        """The 1-based group under the cursor (None: the failed targets, or nothing)."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return int(option_id.split("-", 1)[1]) if option_id.startswith("group-") else None

"""Data-check counts as hazards: `data_check` when rows that make a step fail were found
(`apply` refuses it unless `--allow-hazards data_check`), `data_unchecked` when they could not
be counted (timeout, error, a key the plan cannot know yet): said, never taken as a pass.
Samples and messages are one line each, cut to a fixed width.
"""
from __future__ import annotations

from dataclasses import replace

from pgschema_tui.plan.datacheck_specs import DATA_CHECK, DATA_UNCHECKED, DataCheck
from pgschema_tui.plan.model import Hazard, Plan

_VALUE_WIDTH = 40  # characters of one sampled value
_SAMPLE_WIDTH = 72  # characters of one sample


def neutral(text: str, width: int) -> str:
    """One line of at most `width` characters: control characters escaped, the rest cut with `…`."""
    out = []
    for ch in str(text):
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029\u0085":
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    joined = "".join(out)
    return joined if len(joined) <= width else joined[: width - 1] + "…"


def format_sample(labels: tuple[str, ...], values) -> str:
    """`id=2`, `id=1 c=abcdefgh`, `email=a@x (2 rows)`: one line, cut to a fixed width."""
    parts, rows = [], None
    for label, value in zip(labels, values):
        if label == "#rows":
            rows = value
            continue
        shown = "NULL" if value is None else neutral(value, _VALUE_WIDTH)
        parts.append(f"{neutral(label, _VALUE_WIDTH)}={shown}")
    text = " ".join(parts)
    if rows is not None:
        text += f" ({rows} rows)"
    return neutral(text, _SAMPLE_WIDTH)


def with_data_check_hazards(plan: Plan, checks: list[DataCheck], outcomes, timeout_text: str) -> Plan:
    """`plan` with fresh data-check hazards: those it carried are replaced by `outcomes` (one per
    check, with `count` (None when not counted), `samples` (tuples of text) and `error`)."""
    added: dict[int, list[Hazard]] = {}
    for check, outcome in zip(checks, outcomes):
        hazard = outcome_hazard(check, outcome, timeout_text)
        if hazard is not None:
            added.setdefault(check.step, []).append(hazard)
    return _with_data_hazards(plan, lambda position: tuple(added.get(position, ())))


def outcome_hazard(check: DataCheck, outcome, timeout_text: str) -> Hazard | None:
    """The hazard of one counted check: None when nothing was found."""
    if check.unchecked or outcome.count is None:
        if check.unchecked:
            reason = check.unchecked
        elif outcome.error == "timeout":
            reason = f"timeout after {timeout_text}"
        else:
            reason = f"error: {outcome.error}"
        return Hazard(type=DATA_UNCHECKED, message=neutral(f"not checked ({reason}): {check.subject}", 400),
                      relation=check.relation)
    if outcome.count <= 0:
        return None
    samples = tuple(format_sample(check.sample_labels, row) for row in outcome.samples)
    template = check.found_one if outcome.count == 1 else check.found_many
    message = template.replace("{n}", str(outcome.count))
    if samples:
        message += f" (e.g. {', '.join(samples)})"
    return Hazard(type=DATA_CHECK, message=neutral(message, 1000), relation=check.relation, count=outcome.count,
                  samples=samples)


def summary(checks: list[DataCheck], outcomes, seconds: float) -> str:
    """`Data checks: 4 run, 1 found rows, 1 not checked (0.12s)`."""
    found = sum(1 for o in outcomes if o.count)
    unchecked = sum(1 for c, o in zip(checks, outcomes) if c.unchecked or o.count is None)
    parts = [f"{len(checks)} run", f"{found} found rows" if found else "none found rows"]
    if unchecked:
        parts.append(f"{unchecked} not checked")
    return f"Data checks: {', '.join(parts)} ({seconds:.2f}s)"


def with_data_checks_of(counted: Plan, plan: Plan) -> Plan:
    """`plan` (the same steps as `counted`, its hazards recomputed) with the data-check hazards
    `counted` carries, step by step: the counts made while planning are not made twice."""
    data = [tuple(h for h in step.hazards if h.type in (DATA_CHECK, DATA_UNCHECKED)) for step in counted.steps]
    return _with_data_hazards(plan, lambda position: data[position])


def _with_data_hazards(plan: Plan, data_hazards) -> Plan:
    """`plan` with each step's data-check hazards replaced by `data_hazards(step position)`."""
    return plan.with_steps(
        replace(step, hazards=tuple(h for h in step.hazards if h.type not in (DATA_CHECK, DATA_UNCHECKED))
                + data_hazards(position))
        for position, step in enumerate(plan.steps))

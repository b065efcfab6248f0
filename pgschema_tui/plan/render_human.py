"""The plan for people: a Terraform-style summary, the objects with `+ ~ - -/+`, then the DDL by
transaction group with each step's hazards.

It reads only the `Plan` (not the diff), so a saved JSON plan renders the same as a fresh one.
Colour is decoration: every line carries its meaning in text (symbols, words). Object names,
hazards and directive messages go through `comment_text`, so no name can break a line; the
statements are printed as they will run.
"""
from __future__ import annotations

import io
from collections import OrderedDict

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.plan.model import Plan, Step

NO_CHANGES = "No changes. The schema matches the desired state."

_STYLE = {"+": "green", "~": "yellow", "-": "red", "-/+": "magenta"}
_TYPE_TITLES = {
    "table": "Tables", "view": "Views", "materialized_view": "Materialized views", "function": "Functions",
    "procedure": "Procedures", "aggregate": "Aggregates", "sequence": "Sequences", "type": "Types",
    "domain": "Domains", "privilege": "Privileges", "default_privilege": "Default privileges", "comment": "Comments",
    "collation": "Collations",
    "text_search_dictionary": "Text search dictionaries", "text_search_configuration": "Text search configurations",
    "operator": "Operators", "operator_family": "Operator families", "operator_class": "Operator classes",
}


def object_changes(plan: Plan) -> "OrderedDict[str, tuple[str, str]]":
    """path -> (symbol, step type) for every object the plan touches, in plan order."""
    ops: "OrderedDict[str, tuple[set[str], str]]" = OrderedDict()
    for step in plan.steps:
        if step.directive is not None:
            continue
        seen, _type = ops.setdefault(step.path, (set(), step.type))
        seen.add(step.operation)
    out: "OrderedDict[str, tuple[str, str]]" = OrderedDict()
    for path, (seen, step_type) in ops.items():
        if "replace" in seen or ("drop" in seen and "create" in seen):
            symbol = "-/+"
        elif "create" in seen:
            symbol = "+"
        elif seen == {"drop"}:
            symbol = "-"
        else:
            symbol = "~"
        out[path] = (symbol, step_type)
    return out


def summary_line(plan: Plan) -> str:
    counts = {"+": 0, "~": 0, "-": 0}
    for symbol, _type in object_changes(plan).values():
        if symbol == "-/+":
            counts["+"] += 1
            counts["-"] += 1
        else:
            counts[symbol] += 1
    return f"Plan: {counts['+']} to add, {counts['~']} to change, {counts['-']} to drop."


def ignored_line(plan: Plan) -> str:
    """How many objects `.pgschemaignore` left out of the plan ("" when none)."""
    n = len(plan.ignored)
    if not n:
        return ""
    return f"Ignored: {n} object{'s' if n != 1 else ''} named by .pgschemaignore, left as they are."


def render_human(plan: Plan, *, color: bool = False, attributes: dict | None = None) -> str:
    """The plan as text; `attributes` (path -> `plan.attributes.AttributeChange` list, from
    `plan_attributes(plan, live, desired)`; by default the plan's own, which a saved plan keeps)
    adds under each changed object what changes in it."""
    if attributes is None:
        attributes = plan.attributes
    if plan.is_empty:
        return NO_CHANGES + "\n" + (ignored_line(plan) + "\n" if plan.ignored else "")
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    # markup off: SQL is full of brackets ('^[a-z]+$', arr[1]) that Rich would take as tags
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=10_000, highlight=False,
                      soft_wrap=True, markup=False)
    console.print(Text(summary_line(plan), style="bold"))
    if plan.ignored:
        console.print(ignored_line(plan))
    objects = object_changes(plan)
    stated = _stated_attributes(plan)  # OWNER TO in a plan another tool wrote
    by_kind: "OrderedDict[str, list[tuple[str, str, str]]]" = OrderedDict()
    for path, (symbol, step_type) in objects.items():
        kind = step_type.split(".")[0]
        by_kind.setdefault(kind, []).append((path, symbol, step_type))

    console.print()
    console.print("Summary by type:")
    for kind, items in by_kind.items():
        counts = {s: sum(1 for _p, sym, _t in items if sym == s) for s in ("+", "~", "-", "-/+")}
        words = [f"{n} {w}" for s, w in (("+", "to add"), ("~", "to change"), ("-", "to drop"), ("-/+", "to replace"))
                 if (n := counts[s])]
        console.print(f"  {_TYPE_TITLES.get(kind, kind)}: {', '.join(words)}")

    for kind, items in by_kind.items():
        console.print()
        console.print(f"{_TYPE_TITLES.get(kind, kind)}:")
        for path, symbol, step_type in items:
            line = Text("  ")
            line.append(f"{symbol:<3}", style=_STYLE[symbol])
            line.append(f" {comment_text(path)}")
            if step_type != kind:
                line.append(f" ({comment_text(step_type.split('.', 1)[1])})", style="dim")
            console.print(line)
            changes = (attributes or {}).get(path, ())
            if path in stated:
                from pgschema_tui.plan.attributes import with_statement_attributes

                changes = with_statement_attributes(changes, stated[path])
            for change in changes:
                _print_attribute(console, change)

    console.print()
    console.print("DDL to be executed:")
    console.print("-" * 50)
    for number, group in enumerate(plan.groups, 1):
        how = "transaction" if group.transactional else "no transaction"
        console.print()
        console.print(Text(f"-- Group {number} of {len(plan.groups)} ({how})", style="bold"))
        for step in group.steps:
            _print_step(console, step)
    return buffer.getvalue()


def _stated_attributes(plan: Plan) -> dict[str, list[Step]]:
    """path -> the steps whose statement states an attribute (`OWNER TO`): only those are parsed."""
    out: dict[str, list[Step]] = {}
    for step in plan.steps:
        if "OWNER" in step.sql.upper():
            out.setdefault(step.path, []).append(step)
    return out


def _print_attribute(console, change) -> None:
    """`      type: text → bigint`, or a name and its line diff (`- old line`, `+ new line`)."""
    from rich.text import Text

    console.print(Text(f"        {comment_text(change.line())}", style="yellow" if not change.diff else ""))
    for diff_line in change.diff:
        style = {"-": "red", "+": "green"}.get(diff_line[:1], "dim")
        console.print(Text(f"          {comment_text(diff_line)}", style=style))


def _print_step(console, step: Step) -> None:
    from rich.text import Text

    for hazard in step.hazards:
        console.print(Text(f"-- hazard {comment_text(_format_hazard(hazard))}", style="bold red"))
    if step.directive is not None:
        console.print(Text(comment_text(f"-- {step.directive.type}: {step.directive.message}"), style="cyan"))
    console.print(step.sql)


def _format_hazard(hazard) -> str:
    try:
        from pgschema_tui.plan.hazards import format_hazard
    except ImportError:
        return f"{hazard.type}: {hazard.message}"
    return format_hazard(hazard)

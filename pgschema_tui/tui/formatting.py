"""Short human text for plan vocabulary: Terraform symbols, kind labels, sizes.

Shared by every pane so a step reads the same in Review, Graph and Apply modes.
"""
from __future__ import annotations

from pgschema_tui.plan.model import Hazard, Step
from pgschema_tui.plan.hazards import human_bytes  # one spelling of sizes for the plan text and the reviewer

SYMBOLS = {"create": "+", "alter": "~", "drop": "-", "replace": "-/+"}
"""Terraform's plan vocabulary; colour is only ever added on top of these."""

OPERATION_STYLES = {"create": "green", "alter": "yellow", "drop": "red", "replace": "magenta"}

_KIND_LABELS = {
    "table": "Tables", "column": "Columns", "constraint": "Constraints", "index": "Indexes",
    "trigger": "Triggers", "policy": "Policies", "rls": "Row security", "view": "Views",
    "materialized_view": "Materialized views", "sequence": "Sequences", "function": "Functions",
    "procedure": "Procedures", "aggregate": "Aggregates", "type": "Types", "domain": "Domains",
    "privilege": "Privileges", "default_privilege": "Default privileges", "comment": "Comments",
    "schema": "Schema",
    "statistics": "Statistics",
    "text_search_dictionary": "Text search dictionaries", "text_search_configuration": "Text search configurations",
    "operator": "Operators", "operator_family": "Operator families", "operator_class": "Operator classes",
}


def symbol(operation: str) -> str:
    """The Terraform symbol of an operation (`?` for one we do not know)."""
    return SYMBOLS.get(operation, "?")


def step_kind(step: Step) -> str:
    """The object kind a step is grouped under: the last part of its type ("table.index" -> "index")."""
    return (step.type or "other").rsplit(".", 1)[-1]


def kind_label(kind: str) -> str:
    return _KIND_LABELS.get(kind, kind.replace("_", " ").capitalize() + "s")


def short_path(path: str, schema: str) -> str:
    """The path without the target schema prefix, which every step shares."""
    prefix = schema + "."
    return path[len(prefix):] if path.startswith(prefix) else path


def human_count(n: int) -> str:
    """12 -> "12", 12_400 -> "12 k", 12_400_000 -> "12 M"."""
    for limit, unit in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if abs(n) >= limit:
            value = n / limit
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return str(n)


def hazard_size(hazard: Hazard) -> str:
    """"12 M rows, 3.1 GB" from the hazard's estimates ("" when it has none)."""
    parts = []
    if hazard.rows is not None:
        parts.append(f"{human_count(hazard.rows)} rows")
    if hazard.bytes is not None:
        parts.append(human_bytes(hazard.bytes))
    return ", ".join(parts)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} m {int(seconds % 60):02d} s"

"""Writing the reviewed plan to disk with the planner's own renderers (`w` in Review mode).

The files must be exactly what `plan --output-json/--output-sql/--output-human` write for
the same input, so we call the same renderers and write their text unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pgschema_tui.plan.model import Plan
from pgschema_tui.plan.render_human import render_human
from pgschema_tui.plan.render_json import render_json
from pgschema_tui.plan.render_sql import render_sql


@dataclass(frozen=True)
class WrittenFiles:
    json_path: Path
    sql_path: Path
    human_path: Path


def sibling_paths(json_path: Path) -> WrittenFiles:
    """plan.json -> plan.json, plan.sql, plan.txt (the human plan)."""
    stem = json_path.with_suffix("") if json_path.suffix == ".json" else json_path
    return WrittenFiles(stem.with_suffix(".json"), stem.with_suffix(".sql"), stem.with_suffix(".txt"))


def write_plan_files(plan: Plan, json_path: Path) -> WrittenFiles:
    """Write the JSON, SQL and human plan next to each other; returns the three paths."""
    files = sibling_paths(Path(json_path))
    files.json_path.parent.mkdir(parents=True, exist_ok=True)
    files.json_path.write_text(render_json(plan))
    files.sql_path.write_text(render_sql(plan))
    files.human_path.write_text(render_human(plan, color=False))
    return files

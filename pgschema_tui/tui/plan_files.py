"""Writing the reviewed plan to disk with the planner's own renderers (`w` in Review mode).

The JSON must be byte-for-byte what `plan --output-json` writes for the same input, so we
call the same renderer rather than serialising here; the fallbacks only cover the time
before a renderer exists.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pgschema_tui.plan.model import Plan


@dataclass(frozen=True)
class WrittenFiles:
    json_path: Path
    sql_path: Path
    human_path: Path


def _renderer(module: str, name: str):
    try:
        mod = __import__(f"pgschema_tui.plan.{module}", fromlist=[name])
    except ImportError:
        return None
    return getattr(mod, name, None)


def render_plan_json(plan: Plan) -> str:
    render = _renderer("render_json", "render_json")
    text = render(plan) if render else json.dumps(plan.to_json(), indent=2) + "\n"
    return text if text.endswith("\n") else text + "\n"


def render_plan_sql(plan: Plan) -> str:
    render = _renderer("render_sql", "render_sql")
    if render:
        return render(plan)
    return "".join(s.sql.rstrip() + "\n" for s in plan.steps if s.directive is None)


def render_plan_human(plan: Plan) -> str:
    render = _renderer("render_human", "render_human")
    if render:
        try:
            return render(plan, color=False)
        except TypeError:
            return render(plan)
    return render_plan_sql(plan)


def sibling_paths(json_path: Path) -> WrittenFiles:
    """plan.json -> plan.json, plan.sql, plan.txt (the human plan)."""
    stem = json_path.with_suffix("") if json_path.suffix == ".json" else json_path
    return WrittenFiles(stem.with_suffix(".json"), stem.with_suffix(".sql"), stem.with_suffix(".txt"))


def write_plan_files(plan: Plan, json_path: Path) -> WrittenFiles:
    """Write the JSON, SQL and human plan next to each other; returns the three paths."""
    files = sibling_paths(Path(json_path))
    files.json_path.parent.mkdir(parents=True, exist_ok=True)
    files.json_path.write_text(render_plan_json(plan))
    files.sql_path.write_text(render_plan_sql(plan))
    files.human_path.write_text(render_plan_human(plan))
    return files

"""The plan as JSON (`Plan.to_json`), the format `apply --plan` and `review --plan` read."""
from __future__ import annotations

import json

from pgschema_tui.plan.model import Plan


def render_json(plan: Plan) -> str:
    return json.dumps(plan.to_json(), indent=2) + "\n"

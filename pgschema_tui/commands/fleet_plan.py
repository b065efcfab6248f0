"""`pgschema-tui plan` over a fleet: the summary of identical plans first, then each distinct plan.

`--output-json` writes one fleet document (`fleet/document.py`) with every planned target;
`--detailed-exitcode` gives 2 when any target has changes; a target that could not be planned
makes the exit status 1 (after everything else is written).
"""
from __future__ import annotations

import sys

from pgschema_tui.commands.common import write_output
from pgschema_tui.errors import UserError

EXIT_ERROR, EXIT_CHANGES = 1, 2


def run(args) -> int:
    from pgschema_tui.commands.fleet import plan_fleet
    from pgschema_tui.commands.plan import _use_color
    from pgschema_tui.fleet.grouping import group_plans, render_fleet_human
    from pgschema_tui.plan.render_human import render_human

    for flag, value in (("--output-sql", args.output_sql), ("--output-markdown", getattr(args, "output_markdown", None))):
        if value:
            raise UserError(f"{flag} is not supported with several targets: use --output-json (one document with "
                            f"every target's plan) or the human output")
    targets = [(args.output_human, "human"), (args.output_json, "json")]
    if sum(1 for t, _k in targets if t in ("stdout", "-")) > 1:
        raise UserError("only one output format can go to stdout (asked for human, json); write the other to a file")
    fleet = plan_fleet(args)
    groups, failed = group_plans(fleet.results)
    if not any(t for t, _k in targets):
        targets = [("stdout", "human")]
    for target, kind in targets:
        if not target:
            continue
        if kind == "human":
            color = _use_color(target, args)
            write_output(target, render_fleet_human(groups, failed, lambda p: render_human(p, color=color)))
        else:
            write_output(target, fleet_json_text(fleet.results))
    if failed:
        print(f"Error: {len(failed)} target{'s' if len(failed) != 1 else ''} could not be planned: "
              + ", ".join(r.target.schema for r in failed[:10]) + (" ..." if len(failed) > 10 else ""),
              file=sys.stderr)
        return EXIT_ERROR
    if args.detailed_exitcode and any(not g.is_empty for g in groups):
        return EXIT_CHANGES
    return 0


def fleet_json_text(results) -> str:
    import json
    from datetime import datetime, timezone

    from pgschema_tui import __version__
    from pgschema_tui.fleet.document import to_json

    planned = [(r.target, r.plan) for r in results if r.plan is not None]
    created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(to_json(planned, __version__, created), indent=1) + "\n"

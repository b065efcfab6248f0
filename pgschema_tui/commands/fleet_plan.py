"""`pgschema-tui plan` over a fleet: the summary of identical plans first, then each distinct plan.

`--output-json` writes one fleet document (`fleet/document.py`) with every planned target;
`--output-sql` / `--output-markdown` one document with a section per distinct plan (`fleet/render.py`);
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

    targets = [(args.output_human, "human"), (args.output_json, "json"), (args.output_sql, "sql"),
               (getattr(args, "output_markdown", None), "markdown")]
    on_stdout = [kind for target, kind in targets if target in ("stdout", "-")]
    if len(on_stdout) > 1:
        raise UserError(f"only one output format can go to stdout (asked for {', '.join(on_stdout)}); "
                        f"write the others to files")
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
        elif kind == "sql":
            from pgschema_tui.fleet.render import render_fleet_sql

            write_output(target, render_fleet_sql(groups, failed))
        elif kind == "markdown":
            from pgschema_tui.fleet.render import render_fleet_markdown

            write_output(target, render_fleet_markdown(groups, failed))
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

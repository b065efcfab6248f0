"""Executing a plan safely, as a stream of plain events.

- `executor`: `execute(plan, settings, options)` / `Executor(...).events()`, `Executor.abort()`;
- `events`: the frozen event dataclasses every consumer reads;
- `options`: `ApplyOptions` (lock timeout, retries, polling) and duration parsing;
- `monitor`: the second connection that sees progress and lock waits;
- `preflight`: fingerprint and hazard checks before anything runs;
- `printer` / `journal`: the CLI's terminal output and `--log-json` lines.
"""

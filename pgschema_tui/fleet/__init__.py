"""Fleets: one desired state planned and applied over many target schemas and databases.

Pure logic only (no connection): which schemas a `--schema` list or pattern names
(`targets.py`), the `--targets FILE` format (`targets.py`), grouping of identical plans and the
summary (`grouping.py`), the fleet plan document (`document.py`), the SQL and Markdown documents
(`render.py`), each target's state during an apply (`progress.py`) and the apply outcomes table
(`outcomes.py`). The I/O lives in `commands/fleet*.py`.
"""

"""The diff engine: live IR x desired IR -> `Change` records (pure)."""
from pgschema_tui.diff.changes import Change
from pgschema_tui.diff.engine import diff_schemas

__all__ = ["Change", "diff_schemas"]

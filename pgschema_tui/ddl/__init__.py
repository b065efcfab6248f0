"""IR object → SQL text. Pure: no connection; shared by dump, the diff engine and the TUI."""
from pgschema_tui.ddl.comment import render_comment
from pgschema_tui.ddl.create import render_create
from pgschema_tui.ddl.drop import render_drop
from pgschema_tui.ddl.quote import ident, literal, qualified

__all__ = ["render_create", "render_drop", "render_comment", "ident", "literal", "qualified"]

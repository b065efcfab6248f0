"""The normalised schema model shared by every loader, the diff and the renderers."""
from pgschema_tui.ir.expr import Expr, expr
from pgschema_tui.ir.model import *  # noqa: F401,F403
from pgschema_tui.ir.model import Schema, collection_of, ref_of  # noqa: F401

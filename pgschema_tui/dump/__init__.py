"""IR → dump files: `render_dump(schema)` for one file, `write_multi_file` for a folder tree."""
from pgschema_tui.dump.multi import write_multi_file
from pgschema_tui.dump.single import render_dump

__all__ = ["render_dump", "write_multi_file"]

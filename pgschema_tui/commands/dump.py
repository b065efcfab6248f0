"""`pgschema-tui dump`: the live schema as schema-agnostic SQL, in one file or many."""
from __future__ import annotations

import importlib
import sys
import threading

from pgschema_tui.commands.common import (collector_paused, connect_to_schema, ignore_rules, ignored_note,
                                          session_search_path, write_output)
from pgschema_tui.errors import UserError


def run(args) -> int:
    if args.multi_file and not args.file:
        raise UserError("--multi-file needs --file DIR/main.sql")
    with collector_paused():
        return _dump(args)


def _dump(args) -> int:
    # The renderer's imports run while the catalog queries wait on the server (the GIL is
    # free then), which takes them off the command's wall time.
    preload = threading.Thread(target=importlib.import_module, args=("pgschema_tui.dump",), daemon=True)
    preload.start()
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.inspect.extensions import installed_extensions
    from pgschema_tui.inspect.unmanaged import unmanaged_objects, warning

    from pgschema_tui.ir.ignore import filter_schema

    rules = ignore_rules(args)
    settings, conn = connect_to_schema(args)
    try:
        path = session_search_path(args, conn)
        # a second connection: the server runs the catalog queries two at a time
        schema, ignored = filter_schema(inspect_schema(conn, args.schema, path, settings.connect), rules)
        installed = installed_extensions(conn)
        extensions = tuple(name for name, where in installed if where == args.schema)
        # the dump names the objects of the path's other schemas bare: a reload needs their extensions
        path_extensions = tuple((name, where) for name, where in installed if where in path)
        unmanaged = unmanaged_objects(conn, args.schema)
        version_number = conn.info.server_version  # 180006 for 18.6
    finally:
        conn.close()
    preload.join()
    from pgschema_tui.dump import render_dump, write_multi_file

    if unmanaged:
        print(warning(unmanaged, "dumped"), file=sys.stderr)
    if ignored:
        print(f"Note: {ignored_note(len(ignored), rules, 'not dumped')}", file=sys.stderr)
    version_text = f"PostgreSQL {version_number // 10000}.{version_number % 10000}"
    style = {"headers": not getattr(args, "no_comments", False), "qualify": getattr(args, "qualify_schema", False),
             "search_path": path, "path_extensions": path_extensions}
    if args.multi_file:
        write_multi_file(schema, args.file, version_text, extensions, **style)
    else:
        write_output(args.file, render_dump(schema, version_text, extensions, **style))
    return 0

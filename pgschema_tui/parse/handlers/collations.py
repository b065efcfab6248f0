"""CREATE COLLATION (a `DefineStmt`, dispatched here by `routines.define`)."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast

from pgschema_tui.ir import model as ir
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.options import value_of
from pgschema_tui.parse.registry import NotYet, handles

# pg_catalog's libc collations a desired file may copy with FROM (their settings are fixed)
_BUILTIN_SOURCES = {"C": "C", "POSIX": "POSIX"}
_OPTIONS = {"provider", "locale", "lc_collate", "lc_ctype", "deterministic", "rules", "version", "from"}


def _text(arg) -> str:
    if isinstance(arg, ast.TypeName):
        return ".".join(n.sval for n in arg.names)
    return str(value_of(arg))


def _boolean(text: str) -> bool:
    return text.strip().lower() in ("true", "on", "1", "yes", "t", "y")


def create_collation(node: ast.DefineStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.defnames)
    if name is None:
        return
    what = f"collation {name}"
    options = {d.defname.lower(): d.arg for d in node.definition or ()}
    unknown = set(options) - _OPTIONS
    if unknown:
        raise ctx.unsupported(what, f"collation option {sorted(unknown)[0]}")
    if "from" in options:
        ctx.schema.add(replace(_copied(ctx, options["from"], what), name=name, comment=None))
        return
    provider = _text(options["provider"]).lower() if "provider" in options else "libc"
    if provider not in ("libc", "icu", "builtin"):
        raise ctx.unsupported(what, f"collation provider {provider}")
    locale = _text(options["locale"]) if "locale" in options else None
    lc_collate = _text(options["lc_collate"]) if "lc_collate" in options else None
    lc_ctype = _text(options["lc_ctype"]) if "lc_ctype" in options else None
    if provider == "libc":
        lc_collate = lc_collate if lc_collate is not None else locale
        lc_ctype = lc_ctype if lc_ctype is not None else locale
        locale = None
        if lc_collate == lc_ctype:  # one setting, as the catalog's two equal columns read back
            locale, lc_collate, lc_ctype = lc_collate, None, None
    else:
        locale = locale if locale is not None else lc_collate
        lc_collate = lc_ctype = None
    ctx.schema.add(ir.Collation(
        name=name, provider=provider, locale=locale, lc_collate=lc_collate, lc_ctype=lc_ctype,
        deterministic=_boolean(_text(options["deterministic"])) if "deterministic" in options else True,
        rules=_text(options["rules"]) if "rules" in options else None))


def _copied(ctx: LoadContext, names, what: str) -> ir.Collation:
    """The collation `CREATE COLLATION ... FROM names` copies: one of the files', or C/POSIX."""
    parts = [n.sval for n in names]
    if len(parts) == 1 or ctx.is_target(parts[-2]):
        found = ctx.schema.collations.get(parts[-1])
        if found is not None:
            return found
        if len(parts) > 1 or parts[-1] not in _BUILTIN_SOURCES:
            raise NotYet(f"collation {parts[-1]}")
    if parts[-1] in _BUILTIN_SOURCES and (len(parts) == 1 or parts[-2] == "pg_catalog"):
        return ir.Collation(name=parts[-1], provider="libc", locale=_BUILTIN_SOURCES[parts[-1]])
    raise ctx.unsupported(what, f"CREATE COLLATION FROM {'.'.join(parts)} (its settings are the server's)")


@handles(ast.AlterCollationStmt)
def refresh_version(node: ast.AlterCollationStmt, ctx: LoadContext, stmt) -> None:
    """ALTER COLLATION ... REFRESH VERSION records the library's version: maintenance, not state
    (named in a warning, parse/skipped.py)."""

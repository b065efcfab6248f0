"""CREATE FUNCTION / PROCEDURE and CREATE AGGREGATE, spelled as the catalog reports them."""
from __future__ import annotations

from pglast import ast
from pglast.enums import ObjectType

from pgschema_tui.ddl.quote import ident
from pgschema_tui.errors import UserError
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.normalize import MeaningText
from pgschema_tui.parse import exprs
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.options import value_of
from pgschema_tui.parse.registry import DEFINE_HANDLERS, handles

_MODES = {"i": "IN", "d": "IN", "o": "OUT", "b": "INOUT", "v": "VARIADIC", "t": "TABLE"}
# GUCs whose list elements PostgreSQL quotes as identifiers when it stores `SET name = a, b`.
_LIST_QUOTE_GUCS = frozenset({"search_path", "temp_tablespaces", "session_preload_libraries",
                              "shared_preload_libraries", "local_preload_libraries"})


def _mode(param: ast.FunctionParameter) -> str:
    mode = param.mode.value if hasattr(param.mode, "value") else param.mode
    return _MODES.get(mode, "IN")


def _config(ctx: LoadContext, name: str, setting: ast.VariableSetStmt) -> str | None:
    kind = setting.kind.name
    if kind in ("VAR_SET_DEFAULT", "VAR_RESET"):
        return None
    if kind != "VAR_SET_VALUE":
        raise ctx.unsupported(f"function {name}", f"SET {setting.name} {kind}")
    values = []
    for arg in setting.args or ():
        value = value_of(arg)
        if setting.name in _LIST_QUOTE_GUCS and isinstance(value, str):
            value = ident(value) if value else '""'
        values.append(str(value).lower() if isinstance(value, bool) else str(value))
    return f"{setting.name}={', '.join(values)}"


def _returns(ctx: LoadContext, node: ast.CreateFunctionStmt, arguments: list[ir.Argument]) -> str | None:
    if node.is_procedure:
        return None
    table_columns = [a for a in arguments if a.mode == "TABLE"]
    if table_columns:
        return "TABLE(" + ", ".join(f"{ident(a.name)} {a.type}" for a in table_columns) + ")"
    if node.returnType is not None:
        text = ctx.routine_type_text(node.returnType, f"function {node.funcname[-1].sval}")
        return f"SETOF {text}" if node.returnType.setof else text
    outs = [a for a in arguments if a.mode in ("OUT", "INOUT")]
    if len(outs) == 1:
        return outs[0].type
    return "record" if outs else "void"


def _sql_body_text(body) -> str:
    """Text of a SQL-standard body (`RETURN expr` or `BEGIN ATOMIC ... END`)."""
    if isinstance(body, ast.ReturnStmt):
        return "RETURN " + exprs.deparse(body.returnval)
    statements = body[0] if body and isinstance(body[0], (list, tuple)) else (body or ())
    inner = "".join(f" {exprs.deparse(s)};\n" for s in statements if s is not None)
    return f"BEGIN ATOMIC\n{inner}END"


def _as_clause(ctx: LoadContext, what: str, name: str, language: str, parts: list[str]) -> tuple[str, str | None]:
    """(body, library) of `AS ...` as pg_proc stores them (prosrc, probin).

    LANGUAGE c reads `AS 'file', 'symbol'`; without a symbol the link symbol is the function's
    own name. Every other language takes one string (PostgreSQL refuses two).
    """
    if language == "c":
        return (parts[1] if len(parts) > 1 else name), parts[0]
    if len(parts) > 1:
        where = ctx.statement.where if ctx.statement else "?"
        raise UserError(f"{where}: {what}: AS 'file', 'symbol' needs LANGUAGE c; LANGUAGE {language} "
                        "takes one string (PostgreSQL refuses this statement too)")
    return parts[0], None


@handles(ast.CreateFunctionStmt)
def create_function(node: ast.CreateFunctionStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.funcname)
    if name is None:
        return
    what = f"{'procedure' if node.is_procedure else 'function'} {name}"
    deps: set[str] = set()
    arguments: list[ir.Argument] = []
    for param in node.parameters or ():
        default = None
        if param.defexpr is not None:
            default, refs = ctx.expr(param.defexpr)
            deps |= refs
        arguments.append(ir.Argument(name=param.name, type=ctx.routine_type_text(param.argType, what),
                                     mode=_mode(param), default=default))
        deps |= ctx.type_dep(param.argType)
    if node.returnType is not None:
        deps |= ctx.type_dep(node.returnType)
    opts = {}
    config = []
    for opt in node.options or ():
        if opt.defname == "set":
            entry = _config(ctx, name, opt.arg)
            if entry:
                config.append(entry)
        else:
            opts[opt.defname] = opt.arg
    language = str(value_of(opts["language"])).lower() if "language" in opts else "sql"
    body, sql_body, library = "", False, None
    if node.sql_body is not None:
        for part in ([node.sql_body] if not isinstance(node.sql_body, (list, tuple)) else node.sql_body):
            for item in (part if isinstance(part, (list, tuple)) else [part]):
                if item is not None:
                    exprs.localise(item, ctx.target)
                    deps |= exprs.references(item, ctx.target)
        body, sql_body = MeaningText(_sql_body_text(node.sql_body), "body"), True
    elif "as" in opts:
        body, library = _as_clause(ctx, what, node.funcname[-1].sval, language, [p.sval for p in opts["as"]])
    returns = _returns(ctx, node, arguments)
    set_returning = bool(node.returnType is not None and node.returnType.setof)
    cost = value_of(opts["cost"]) if "cost" in opts else None
    default_cost = 1 if language in ("c", "internal") else 100
    rows = value_of(opts["rows"]) if "rows" in opts else None
    ctx.schema.add(ir.Function(
        name=name, arguments=tuple(arguments), returns=returns, language=language, body=body,
        sql_body=sql_body, library=library, is_procedure=bool(node.is_procedure),
        volatility=str(value_of(opts.get("volatility")) if "volatility" in opts else "volatile").upper(),
        strict=bool(value_of(opts["strict"])) if "strict" in opts else False,
        security_definer=bool(value_of(opts["security"])) if "security" in opts else False,
        leakproof=bool(value_of(opts["leakproof"])) if "leakproof" in opts else False,
        parallel=str(value_of(opts["parallel"])).upper() if "parallel" in opts else "UNSAFE",
        cost=None if cost is None or float(cost) == default_cost else float(cost),
        rows=None if rows is None or (set_returning and float(rows) == 1000) else float(rows),
        config=tuple(config),
        is_window=bool(value_of(opts["window"])) if "window" in opts else False,
        depends_on=frozenset(deps)))


# ---------------------------------------------------------------- aggregates ---

_FUNCTION_FIELDS = ("sfunc", "finalfunc", "combinefunc", "serialfunc", "deserialfunc", "msfunc",
                    "minvfunc", "mfinalfunc")


@handles(ast.DefineStmt)
def define(node: ast.DefineStmt, ctx: LoadContext, stmt) -> None:
    if node.kind == ObjectType.OBJECT_TYPE and not node.definition:
        return  # a shell type (`CREATE TYPE r;`): only a placeholder until CREATE TYPE r AS RANGE
    if node.kind == ObjectType.OBJECT_COLLATION:
        from pgschema_tui.parse.handlers.collations import create_collation

        create_collation(node, ctx, stmt)
        return
    if node.kind in (ObjectType.OBJECT_TSPARSER, ObjectType.OBJECT_TSTEMPLATE):
        return  # not managed: parse/skipped.py names it in a warning
    if node.kind in DEFINE_HANDLERS:  # text search, operators...: their own modules
        return DEFINE_HANDLERS[node.kind](node, ctx, stmt)
    if node.kind != ObjectType.OBJECT_AGGREGATE:
        raise ctx.unsupported("CREATE " + node.kind.name[7:], "this object kind")
    name = ctx.own_qualified(node.defnames)
    if name is None:
        return
    what = f"aggregate {name}"
    if node.oldstyle:
        raise ctx.unsupported(what, "old-style CREATE AGGREGATE")
    params, direct = (node.args[0], node.args[1].ival) if node.args else (None, -1)
    types = tuple(ctx.routine_type_text(p.argType, what) for p in params or ())
    deps: set[str] = set()
    for p in params or ():
        deps |= ctx.type_dep(p.argType)
    if params is None:
        arguments, order_by = ("*",), ()
    elif direct >= 0:
        arguments, order_by = types[:direct], types[direct:]
    else:
        arguments, order_by = types, ()
    fields: dict = {}
    for d in node.definition or ():
        key = d.defname.lower()
        if key in _FUNCTION_FIELDS:
            fields[key] = ctx.sql_ref(d.arg.names if isinstance(d.arg, ast.TypeName) else d.arg)
            deps.add(ctx.dep_ref("function", d.arg.names if isinstance(d.arg, ast.TypeName) else d.arg))
        elif key in ("stype", "mstype"):
            fields[key] = ctx.routine_type_text(d.arg, what)
            deps |= ctx.type_dep(d.arg)
        elif key in ("initcond", "minitcond"):
            fields[key] = str(value_of(d.arg))
        elif key in ("sspace", "msspace"):
            fields[key] = int(value_of(d.arg))
        elif key in ("finalfunc_extra", "hypothetical"):
            fields[key] = bool(value_of(d.arg))
        elif key in ("finalfunc_modify", "parallel"):
            arg = d.arg.names[-1].sval if isinstance(d.arg, ast.TypeName) else value_of(d.arg)
            fields[key] = str(arg).upper()
        elif key == "sortop":
            value = value_of(d.arg)
            names = [n.sval for n in d.arg.names] if isinstance(d.arg, ast.TypeName) else \
                value if isinstance(value, list) else [str(value)]
            fields[key] = names[-1]
        elif key in ("basetype",):
            continue
        else:
            raise ctx.unsupported(what, f"option {key}")
    if "sfunc" not in fields or "stype" not in fields:
        raise ctx.unsupported(what, "an aggregate without SFUNC and STYPE")
    ctx.schema.add(ir.Aggregate(
        name=name, arguments=arguments, order_by_arguments=order_by,
        sfunc=fields["sfunc"], stype=fields["stype"], sspace=fields.get("sspace"),
        finalfunc=fields.get("finalfunc"), finalfunc_extra=fields.get("finalfunc_extra", False),
        finalfunc_modify=fields.get("finalfunc_modify"), combinefunc=fields.get("combinefunc"),
        serialfunc=fields.get("serialfunc"), deserialfunc=fields.get("deserialfunc"),
        initcond=fields.get("initcond"), msfunc=fields.get("msfunc"), minvfunc=fields.get("minvfunc"),
        mstype=fields.get("mstype"), mfinalfunc=fields.get("mfinalfunc"), minitcond=fields.get("minitcond"),
        sortop=fields.get("sortop"), parallel=fields.get("parallel", "UNSAFE"),
        hypothetical=fields.get("hypothetical", False), depends_on=frozenset(deps)))

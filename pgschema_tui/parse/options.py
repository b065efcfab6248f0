"""DefElem option lists: plain values, reloptions text and sequence options with defaults folded.

`SequenceOptions` fields are None when they equal PostgreSQL's default for the sequence's
type and direction, exactly as inspection reports them, so `START 1` and no START agree.
"""
from __future__ import annotations

from pglast import ast

from pgschema_tui.ir import model as ir

TYPE_LIMITS = {"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}


def value_of(arg):
    """Python value of a DefElem argument (int, float, str, bool, or a list of names)."""
    if arg is None:
        return True
    if isinstance(arg, ast.Integer):
        return arg.ival
    if isinstance(arg, ast.Float):
        text = arg.fval
        return int(text) if text.lstrip("-").isdigit() else float(text)
    if isinstance(arg, ast.Boolean):
        return bool(arg.boolval)
    if isinstance(arg, ast.String):
        return arg.sval
    if isinstance(arg, ast.A_Const):
        return value_of(arg.val)
    if isinstance(arg, ast.TypeName):
        return arg
    if isinstance(arg, (list, tuple)):
        return [value_of(a) for a in arg]
    return arg


def reloptions(options) -> tuple[str, ...]:
    """`WITH (fillfactor = 70, autovacuum_enabled)` → ("fillfactor=70", "autovacuum_enabled=true")."""
    out = []
    for opt in options or ():
        if not isinstance(opt, ast.DefElem) or opt.defname in ("oids",):
            continue
        name = f"{opt.defnamespace}.{opt.defname}" if opt.defnamespace else opt.defname
        value = value_of(opt.arg)
        if value is True and opt.arg is None:
            value = "true"
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, ast.TypeName):  # a bare word such as `off` parses as a type name
            value = ".".join(n.sval for n in value.names)
        out.append(f"{name}={value}")
    return tuple(out)


def sequence_options(options, data_type: str | None, type_for_limits: str = "bigint",
                     keep_data_type: bool = True) -> tuple[ir.SequenceOptions, dict]:
    """(SequenceOptions with defaults folded to None, the options it did not understand)."""
    values: dict = {}
    rest: dict = {}
    for opt in options or ():
        name = opt.defname
        if name == "as":
            rest["as"] = opt.arg  # the caller formats the TypeName and passes it as data_type
        elif name in ("start", "increment", "minvalue", "maxvalue", "cache", "cycle", "restart"):
            values[name] = value_of(opt.arg) if opt.arg is not None else None
        else:
            rest[name] = opt.arg
    return build_sequence_options(values, data_type, type_for_limits, keep_data_type), rest


def build_sequence_options(values: dict, data_type: str | None, type_for_limits: str,
                           keep_data_type: bool = True) -> ir.SequenceOptions:
    limit = TYPE_LIMITS.get(type_for_limits, TYPE_LIMITS["bigint"])
    increment = values.get("increment") or 1
    ascending = increment > 0
    min_default = 1 if ascending else -limit - 1
    max_default = limit if ascending else -1
    min_value = values.get("minvalue")
    max_value = values.get("maxvalue")
    effective_min = min_value if min_value is not None else min_default
    effective_max = max_value if max_value is not None else max_default
    start = values.get("start")
    start_default = effective_min if ascending else effective_max
    cache = values.get("cache")
    return ir.SequenceOptions(
        data_type=data_type if keep_data_type and data_type != "bigint" else None,
        start=None if start is None or start == start_default else start,
        increment=None if increment == 1 else increment,
        min_value=None if min_value is None or min_value == min_default else min_value,
        max_value=None if max_value is None or max_value == max_default else max_value,
        cache=None if cache is None or cache == 1 else cache,
        cycle=bool(values.get("cycle", False)),
    )

"""CREATE TYPE (enum, composite, range), ALTER TYPE, CREATE DOMAIN and ALTER DOMAIN."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import AlterTableType as AT
from pglast.enums import ConstrType as CT

from pgschema_tui.ir import model as ir
from pgschema_tui.parse import exprs
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.options import value_of
from pgschema_tui.parse.registry import NotYet, handles


def _type_name(ctx: LoadContext, names) -> str | None:
    return ctx.own_qualified(names)


@handles(ast.CreateEnumStmt)
def create_enum(node: ast.CreateEnumStmt, ctx: LoadContext, stmt) -> None:
    name = _type_name(ctx, node.typeName)
    if name is not None:
        ctx.schema.add(ir.EnumType(name=name, labels=tuple(v.sval for v in node.vals or ())))


@handles(ast.AlterEnumStmt)
def alter_enum(node: ast.AlterEnumStmt, ctx: LoadContext, stmt) -> None:
    name = _type_name(ctx, node.typeName)
    if name is None:
        return
    enum = ctx.schema.types.get(name)
    if not isinstance(enum, ir.EnumType):
        raise NotYet(f"enum type {name}")
    labels = list(enum.labels)
    if node.oldVal:  # RENAME VALUE
        labels = [node.newVal if label == node.oldVal else label for label in labels]
    elif node.newVal in labels:
        if not node.skipIfNewValExists:
            raise ctx.unsupported(f"type {name}", f"adding the existing label {node.newVal!r}")
        return
    elif node.newValNeighbor:
        at = labels.index(node.newValNeighbor) if node.newValNeighbor in labels else len(labels)
        labels.insert(at + 1 if node.newValIsAfter else at, node.newVal)
    else:
        labels.append(node.newVal)
    ctx.schema.add(replace(enum, labels=tuple(labels)))


def _attribute(ctx: LoadContext, type_name: str, coldef: ast.ColumnDef) -> tuple[ir.CompositeAttribute, frozenset]:
    collation = ctx.sql_ref(coldef.collClause.collname) if coldef.collClause else None
    return (ir.CompositeAttribute(name=coldef.colname,
                                  type=ctx.type_text(coldef.typeName, f"type {type_name}"),
                                  collation=collation), ctx.type_dep(coldef.typeName))


@handles(ast.CompositeTypeStmt)
def create_composite(node: ast.CompositeTypeStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_name(node.typevar)
    if name is None:
        return
    attributes, deps = [], set()
    for coldef in node.coldeflist or ():
        attribute, refs = _attribute(ctx, name, coldef)
        attributes.append(attribute)
        deps |= refs
    ctx.relation_names.add(name)
    ctx.schema.add(ir.CompositeType(name=name, attributes=tuple(attributes), depends_on=frozenset(deps)))


def alter_composite(node: ast.AlterTableStmt, ctx: LoadContext, name: str) -> None:
    """ALTER TYPE composite ADD/DROP/ALTER ATTRIBUTE (parsed as an ALTER TABLE)."""
    composite = ctx.schema.types.get(name)
    if not isinstance(composite, ir.CompositeType):
        raise NotYet(f"composite type {name}")
    attributes = list(composite.attributes)
    for cmd in node.cmds:
        if cmd.subtype == AT.AT_AddColumn:
            attributes.append(_attribute(ctx, name, cmd.def_)[0])
        elif cmd.subtype == AT.AT_DropColumn:
            attributes = [a for a in attributes if a.name != cmd.name]
        elif cmd.subtype == AT.AT_AlterColumnType:
            new_type = ctx.type_text(cmd.def_.typeName, f"type {name}")
            attributes = [replace(a, type=new_type) if a.name == cmd.name else a for a in attributes]
        elif cmd.subtype == AT.AT_ChangeOwner:
            continue
        else:
            raise ctx.unsupported(f"type {name}", f"ALTER TYPE {cmd.subtype.name[3:]}")
    ctx.schema.add(replace(composite, attributes=tuple(attributes)))


def _function_name(ctx: LoadContext, arg) -> str:
    if isinstance(arg, ast.TypeName):
        return ctx.sql_ref(arg.names)
    if isinstance(arg, (list, tuple)):
        return ctx.sql_ref(arg)
    return str(value_of(arg))


@handles(ast.CreateRangeStmt)
def create_range(node: ast.CreateRangeStmt, ctx: LoadContext, stmt) -> None:
    name = _type_name(ctx, node.typeName)
    if name is None:
        return
    params = {p.defname: p.arg for p in node.params or ()}
    if "subtype" not in params:
        raise ctx.unsupported(f"type {name}", "a range type without SUBTYPE")
    subtype = ctx.type_text(params["subtype"], f"type {name}")
    collation = params.get("collation")
    ctx.schema.add(ir.RangeType(
        name=name, subtype=subtype,
        subtype_opclass=_function_name(ctx, params["subtype_opclass"]) if "subtype_opclass" in params else None,
        collation=_function_name(ctx, collation) if collation is not None else None,
        canonical=_function_name(ctx, params["canonical"]) if "canonical" in params else None,
        subtype_diff=_function_name(ctx, params["subtype_diff"]) if "subtype_diff" in params else None,
        multirange_name=_multirange_name(ctx, name, params.get("multirange_type_name")),
        depends_on=ctx.type_dep(params["subtype"])))


def _multirange_name(ctx: LoadContext, range_name: str, arg) -> str | None:
    """MULTIRANGE_TYPE_NAME only when it is not the name PostgreSQL derives by itself."""
    if arg is None:
        return None
    names = arg.names if isinstance(arg, ast.TypeName) else arg
    given = ctx.own_qualified(names) or ".".join(n.sval for n in names)
    return None if given == default_multirange_name(range_name) else given


def default_multirange_name(range_name: str) -> str:
    """makeMultirangeTypeName: the first "range" becomes "multirange", else "_multirange" is added."""
    if "range" in range_name:
        return range_name.replace("range", "multirange", 1)
    return f"{range_name}_multirange"


# ------------------------------------------------------------------ domains ---


def _domain_constraint(ctx: LoadContext, domain: str, c: ast.Constraint, not_valid_allowed: bool):
    check, refs = ctx.expr(c.raw_expr)
    name = c.conname or ctx.choose_constraint_name(domain, None, "check")
    ctx.constraint_names.add(name)
    return ir.DomainConstraint(name=name, check=check,
                               not_valid=bool(c.skip_validation) and not_valid_allowed), refs


def _cast_domain_value(ctx: LoadContext, base: ast.TypeName, check) -> None:
    """Over another domain, VALUE reaches operators and functions through a cast to that
    domain's base type, and the catalog prints it: `(VALUE)::integer < 100`."""
    from pgschema_tui.parse import exprs

    base_name = ctx.own_qualified(base.names)
    parent = ctx.schema.domains.get(base_name) if base_name else None
    if parent is None:
        return
    root = parent.base_type
    from pglast import parse_sql

    cast_type = parse_sql(f"SELECT NULL::{root}")[0].stmt.targetList[0].val.typeName
    for n in exprs.walk(check):
        for attr in ("lexpr", "rexpr"):
            if isinstance(n, ast.A_Expr) and _is_value(getattr(n, attr, None)):
                setattr(n, attr, ast.TypeCast(arg=getattr(n, attr), typeName=cast_type))
        if isinstance(n, ast.FuncCall) and n.args:
            n.args = tuple(ast.TypeCast(arg=a, typeName=cast_type) if _is_value(a) else a for a in n.args)


def _is_value(node) -> bool:
    return isinstance(node, ast.ColumnRef) and len(node.fields) == 1 and \
        isinstance(node.fields[0], ast.String) and node.fields[0].sval == "value"


@handles(ast.CreateDomainStmt)
def create_domain(node: ast.CreateDomainStmt, ctx: LoadContext, stmt) -> None:
    name = _type_name(ctx, node.domainname)
    if name is None:
        return
    base_type = ctx.type_text(node.typeName, f"domain {name}")
    deps = set(ctx.type_dep(node.typeName))
    not_null, default, constraints = False, None, []
    for c in node.constraints or ():
        if c.contype == CT.CONSTR_NOTNULL:
            not_null = True
            if c.conname and c.conname != f"{name}_not_null":  # PostgreSQL 17+ keeps the name
                constraints.append(ir.DomainConstraint(name=c.conname, check=None))
        elif c.contype == CT.CONSTR_DEFAULT:
            if ctx.is_null_default(c.raw_expr, node.typeName):
                default = None  # PostgreSQL stores no default (context.is_null_default)
                continue
            default, refs = ctx.default_expr(c.raw_expr)
            deps |= refs
        elif c.contype == CT.CONSTR_CHECK:
            _cast_domain_value(ctx, node.typeName, c.raw_expr)
            constraint, refs = _domain_constraint(ctx, name, c, False)
            constraints.append(constraint)
            deps |= refs
        elif c.contype != CT.CONSTR_NULL:
            raise ctx.unsupported(f"domain {name}", f"constraint type {c.contype.name}")
    collation = ctx.sql_ref(node.collClause.collname) if node.collClause else None
    ctx.schema.add(ir.Domain(name=name, base_type=base_type, not_null=not_null, default=default,
                             collation=collation, constraints=tuple(sorted(constraints, key=lambda c: c.name)),
                             depends_on=frozenset(deps)))


@handles(ast.AlterDomainStmt)
def alter_domain(node: ast.AlterDomainStmt, ctx: LoadContext, stmt) -> None:
    name = _type_name(ctx, node.typeName)
    if name is None:
        return
    domain = ctx.schema.domains.get(name)
    if domain is None:
        raise NotYet(f"domain {name}")
    kind = node.subtype
    if kind == "T":
        default = None
        if node.def_ is not None and not ctx.is_null_default(node.def_, exprs.type_name_node(domain.base_type)):
            default = ctx.default_expr(node.def_)[0]
        domain = replace(domain, default=default)
    elif kind == "O":
        domain = replace(domain, not_null=True)
    elif kind == "N":
        domain = replace(domain, not_null=False)
    elif kind == "C":
        c = node.def_
        if c.contype == CT.CONSTR_NOTNULL:
            domain = replace(domain, not_null=True)
        else:
            constraint, refs = _domain_constraint(ctx, name, c, True)
            constraints = sorted([*domain.constraints, constraint], key=lambda x: x.name)
            domain = replace(domain, constraints=tuple(constraints), depends_on=domain.depends_on | refs)
    elif kind == "X":
        domain = replace(domain, constraints=tuple(c for c in domain.constraints if c.name != node.name))
    elif kind == "V":
        domain = replace(domain, constraints=tuple(replace(c, not_valid=False) if c.name == node.name else c
                                                   for c in domain.constraints))
    else:
        raise ctx.unsupported(f"domain {name}", f"ALTER DOMAIN ({kind})")
    ctx.schema.add(domain)

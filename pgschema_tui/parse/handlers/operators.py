"""Operators: CREATE OPERATOR, ALTER OPERATOR ... SET, COMMENT ON OPERATOR, DROP OPERATOR.

Spelled as inspect/operators.py reads them: argument types without typmods (`format_type`),
functions as SQL references, commutator and negator as operator names (`schema.name` outside
the target schema and pg_catalog).
"""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import ObjectType as OT

from pgschema_tui.ir.operators import Operator, OperatorClass, OperatorFamily, operator_signature, support_types
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.registry import (
    COMMENT_HANDLERS, DEFINE_HANDLERS, DROP_HANDLERS, NotYet, handles, handles_kind,
)


def _parts(arg) -> list[str]:
    if isinstance(arg, ast.TypeName):
        return [n.sval for n in arg.names]
    if isinstance(arg, ast.String):
        return [arg.sval]
    return [n.sval for n in arg]


def _operator_name(ctx: LoadContext, arg) -> str:
    parts = _parts(arg)
    if len(parts) > 1 and parts[-2] not in (ctx.target, "pg_catalog"):
        return f"{parts[-2]}.{parts[-1]}"
    return parts[-1]


def _function(ctx: LoadContext, arg, deps: set[str]) -> str | None:
    parts = _parts(arg)
    if [p.lower() for p in parts] == ["none"]:
        return None
    deps.add(ctx.dep_ref("function", parts))
    return ctx.sql_ref(parts)


def _key(ctx: LoadContext, owa: ast.ObjectWithArgs, what: str) -> str | None:
    name = ctx.own_qualified(owa.objname)
    if name is None:
        return None
    left, right = owa.objargs
    return operator_signature(name, ctx.routine_type_text(left, what) if left is not None else None,
                              ctx.routine_type_text(right, what))


@handles_kind(DEFINE_HANDLERS, OT.OBJECT_OPERATOR)
def create_operator(node: ast.DefineStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.defnames)
    if name is None:
        return
    what = f"operator {name}"
    fields: dict = {"hashes": False, "merges": False}
    deps: set[str] = set()
    for d in node.definition or ():
        key = d.defname.lower()
        if key in ("leftarg", "rightarg"):
            fields[key] = ctx.routine_type_text(d.arg, what)
            deps |= ctx.type_dep(d.arg)
        elif key in ("function", "procedure"):
            fields["function"] = _function(ctx, d.arg, deps)
        elif key in ("restrict", "join"):
            fields[key] = _function(ctx, d.arg, deps)
        elif key in ("commutator", "negator"):
            fields[key] = _operator_name(ctx, d.arg)
        elif key in ("hashes", "merges"):
            fields[key] = d.arg is None or bool(getattr(d.arg, "boolval", True))
        else:
            raise ctx.unsupported(what, f"option {key}")
    if "rightarg" not in fields or not fields.get("function"):
        raise ctx.unsupported(what, "an operator without RIGHTARG or FUNCTION (postfix or shell operators)")
    ctx.schema.add(Operator(
        name=name, left=fields.get("leftarg"), right=fields["rightarg"], function=fields["function"],
        commutator=fields.get("commutator"), negator=fields.get("negator"), restrict=fields.get("restrict"),
        join=fields.get("join"), hashes=fields["hashes"], merges=fields["merges"], depends_on=frozenset(deps)))


@handles(ast.AlterOperatorStmt)
def alter_operator(node: ast.AlterOperatorStmt, ctx: LoadContext, stmt) -> None:
    key = _key(ctx, node.opername, "ALTER OPERATOR")
    if key is None:
        return
    old = ctx.schema.operators.get(key)
    if old is None:
        raise NotYet(f"operator {key}")
    changes: dict = {}
    deps = set(old.depends_on)
    for d in node.options or ():
        option = d.defname.lower()
        if option in ("restrict", "join"):
            changes[option] = None if d.arg is None else _function(ctx, d.arg, deps)
        elif option in ("commutator", "negator"):
            changes[option] = _operator_name(ctx, d.arg)
        elif option in ("hashes", "merges"):
            changes[option] = d.arg is None or bool(getattr(d.arg, "boolval", True))
        else:
            raise ctx.unsupported(f"operator {key}", f"ALTER OPERATOR ... SET ({option})")
    ctx.schema.add(replace(old, **changes, depends_on=frozenset(deps)))


@handles_kind(COMMENT_HANDLERS, OT.OBJECT_OPERATOR)
def comment(node: ast.CommentStmt, ctx: LoadContext, stmt) -> None:
    key = _key(ctx, node.object, "COMMENT ON OPERATOR")
    if key is None:
        return
    if key not in ctx.schema.operators:
        raise NotYet(f"operator {key}")
    ctx.schema.add(replace(ctx.schema.operators[key], comment=node.comment))


@handles_kind(DROP_HANDLERS, OT.OBJECT_OPERATOR)
def drop(node: ast.DropStmt, ctx: LoadContext, stmt) -> None:
    for owa in node.objects:
        key = _key(ctx, owa, "DROP OPERATOR")
        if key is not None:
            ctx.schema.operators.pop(key, None)


# ------------------------------------------------------ classes and families ---

def _family_ref(ctx: LoadContext, names) -> str:
    parts = _parts(names)
    if len(parts) > 1 and parts[-2] not in (ctx.target, "pg_catalog"):
        return f"{parts[-2]}.{parts[-1]}"
    return parts[-1]


def _member_operator(ctx: LoadContext, item: ast.CreateOpClassItem, default_type: str | None, what: str,
                     deps: set[str]) -> tuple[int, str, str | None]:
    name = _operator_name(ctx, item.name.objname)
    if item.name.objargs:
        left, right = item.name.objargs
        left_text = ctx.routine_type_text(left, what) if left is not None else None
        right_text = ctx.routine_type_text(right, what)
    else:  # `OPERATOR 1 <` in a class: both operands of the class's type
        left_text = right_text = default_type
    if "." not in name:
        deps.add(f"operator:{name}")
    order = _family_ref(ctx, item.order_family) if item.order_family else None
    return item.number, operator_signature(name, left_text, right_text), order


def _member_function(ctx: LoadContext, item: ast.CreateOpClassItem, what: str,
                     deps: set[str]) -> tuple[int, str, list[str]]:
    parts = _parts(item.name.objname)
    deps.add(ctx.dep_ref("function", parts))
    types = [ctx.routine_type_text(a, what) for a in item.name.objargs or ()]
    return item.number, f"{ctx.sql_ref(parts)}({', '.join(types)})", types


@handles(ast.CreateOpClassStmt)
def create_operator_class(node: ast.CreateOpClassStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.opclassname)
    if name is None:
        return
    what = f"operator class {name}"
    type_text = ctx.routine_type_text(node.datatype, what)
    deps: set[str] = set(ctx.type_dep(node.datatype))
    family = _family_ref(ctx, node.opfamilyname) if node.opfamilyname else None
    if family == name:
        family = None
    if family is not None and "." not in family:
        deps.add(f"operator_family:{family}")
    operators, functions, storage = [], [], None
    for item in node.items or ():
        if item.itemtype == 1:
            operators.append(_member_operator(ctx, item, type_text, what, deps))
        elif item.itemtype == 2:
            functions.append(_typed_member_function(ctx, item, node.amname, type_text, what, deps))
        elif item.itemtype == 3:
            storage = ctx.routine_type_text(item.storedtype, what)
    shared = ctx.schema.operator_families.get(f"{family} USING {node.amname}") if family else None
    if shared is not None and node.amname in ("btree", "hash"):
        # the members the server files as the family's loose members (btadjustmembers /
        # hashadjustmembers): cross-type ones, those of another type, optional support functions
        loose_ops = [o for o in operators if _operand_types(o[1]) != (type_text, type_text)]
        loose_fns = [f for f in functions if f[0] != 1 or (f[1], f[2]) != (type_text, type_text)]
        operators = [o for o in operators if o not in loose_ops]
        functions = [f for f in functions if f not in loose_fns]
        ctx.schema.add(replace(shared, operators=tuple(sorted(set(shared.operators) | set(loose_ops), key=str)),
                               functions=tuple(sorted(set(shared.functions) | set(loose_fns), key=str)),
                               depends_on=shared.depends_on | deps))
    own_family = ctx.schema.operator_families.get(f"{name} USING {node.amname}")
    if family is None and own_family is not None:
        # CREATE OPERATOR FAMILY c [+ ALTER ... ADD] + CREATE OPERATOR CLASS c ... FAMILY c: the
        # class's own family, whose members are the class's (ir/operators.OperatorClass)
        del ctx.schema.operator_families[own_family.key]
        operators += own_family.operators
        functions += own_family.functions
        deps |= own_family.depends_on
    ctx.schema.add(OperatorClass(
        name=name, method=node.amname, type=type_text, default=bool(node.isDefault), family=family,
        storage=storage if storage != type_text else None, operators=tuple(sorted(set(operators), key=str)),
        functions=tuple(sorted(set(functions), key=str)), depends_on=frozenset(deps)))


def _operand_types(key: str) -> tuple[str | None, str]:
    """("integer", "bigint") of an operator key `<(integer, bigint)` (None for NONE)."""
    left, _, right = key[key.rfind("(", 0, key.rfind(", ")) + 1:-1].partition(", ")
    return (None if left == "NONE" else left), right


def _typed_member_function(ctx: LoadContext, item, method: str, class_type: str | None, what: str,
                           deps: set[str]) -> tuple[int, str | None, str | None, str]:
    """(number, left, right, function) of a FUNCTION item: its written types, else PostgreSQL's."""
    number, function, _types = _member_function(ctx, item, what, deps)
    if item.class_args:
        types = [ctx.routine_type_text(a, what) for a in item.class_args]
        return number, types[0], types[-1], function
    return (number, *support_types(method, number, function, class_type), function)


@handles(ast.CreateOpFamilyStmt)
def create_operator_family(node: ast.CreateOpFamilyStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.opfamilyname)
    if name is not None:
        ctx.schema.add(OperatorFamily(name=name, method=node.amname))


@handles(ast.AlterOpFamilyStmt)
def alter_operator_family(node: ast.AlterOpFamilyStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_qualified(node.opfamilyname)
    if name is None:
        return
    key, what = f"{name} USING {node.amname}", f"operator family {name}"
    family = ctx.schema.operator_families.get(key)
    own_class = ctx.schema.operator_classes.get(key)
    if family is None and (own_class is None or own_class.family is not None):
        raise NotYet(what)
    target = family if family is not None else own_class  # a class's own family: the class's members
    class_type = own_class.type if family is None else None
    operators, functions = list(target.operators), list(target.functions)
    deps = set(target.depends_on)
    for item in node.items or ():
        if node.isDrop:
            types = [ctx.routine_type_text(a, what) if a is not None else None for a in item.class_args or ()]
            if item.itemtype == 1:
                suffix = f"({types[0] or 'NONE'}, {types[1]})"
                operators = [o for o in operators if not (o[0] == item.number and o[1].endswith(suffix))]
            else:
                functions = [f for f in functions if (f[0], f[1], f[2]) != (item.number, types[0], types[1])]
        elif item.itemtype == 1:
            operators.append(_member_operator(ctx, item, None, what, deps))
        elif item.itemtype == 2:
            functions.append(_typed_member_function(ctx, item, node.amname, class_type, what, deps))
    ctx.schema.add(replace(target, operators=tuple(sorted(set(operators), key=str)),
                           functions=tuple(sorted(set(functions), key=str)), depends_on=frozenset(deps)))


def _class_or_family_key(ctx: LoadContext, names) -> str | None:
    parts = _parts(names)  # (method, [schema,] name)
    method, rest = parts[0], parts[1:]
    if len(rest) > 1 and not ctx.is_target(rest[-2]):
        return None
    return f"{rest[-1]} USING {method}"


@handles_kind(COMMENT_HANDLERS, OT.OBJECT_OPCLASS, OT.OBJECT_OPFAMILY)
def comment_class_or_family(node: ast.CommentStmt, ctx: LoadContext, stmt) -> None:
    key = _class_or_family_key(ctx, node.object)
    if key is None:
        return
    pool = ctx.schema.operator_classes if node.objtype == OT.OBJECT_OPCLASS else ctx.schema.operator_families
    if key not in pool:
        raise NotYet(f"operator class or family {key}")
    ctx.schema.add(replace(pool[key], comment=node.comment))


@handles_kind(DROP_HANDLERS, OT.OBJECT_OPCLASS, OT.OBJECT_OPFAMILY)
def drop_class_or_family(node: ast.DropStmt, ctx: LoadContext, stmt) -> None:
    for names in node.objects:
        key = _class_or_family_key(ctx, names)
        if key is None:
            continue
        if node.removeType == OT.OBJECT_OPFAMILY:  # takes its classes along
            ctx.schema.operator_families.pop(key, None)
            family_name, _, method = key.partition(" USING ")
            for class_key in [k for k, c in ctx.schema.operator_classes.items()
                              if (c.family or c.name) == family_name and c.method == method]:
                ctx.schema.operator_classes.pop(class_key, None)
        else:
            ctx.schema.operator_classes.pop(key, None)

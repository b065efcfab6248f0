"""CREATE / DROP / COMMENT ON of operators (operator classes and families below them)."""
from __future__ import annotations

from pgschema_tui.ddl.comment import COMMENT_TARGETS
from pgschema_tui.ddl.create import renders
from pgschema_tui.ddl.drop import drops
from pgschema_tui.ddl.names import sql_ref
from pgschema_tui.ddl.quote import ident
from pgschema_tui.ir.operators import Operator, OperatorClass, OperatorFamily, support_types


def operator_ref(name: str) -> str:
    """An operator named in a clause: `===`, or `OPERATOR(other.===)` outside the target schema."""
    if "." in name.rstrip("."):
        schema, _, op = name.rpartition(".")
        if schema and not any(ch in schema for ch in "+-*/<>=~!@#%^&|`?"):
            return f"OPERATOR({sql_ref(schema)}.{op})"
    return name


@renders(Operator)
def _operator(op: Operator, schema) -> list[str]:
    clauses = [f"FUNCTION = {op.function}"]
    if op.left is not None:
        clauses.append(f"LEFTARG = {sql_ref(op.left)}")
    clauses.append(f"RIGHTARG = {sql_ref(op.right)}")
    if op.commutator:
        clauses.append(f"COMMUTATOR = {operator_ref(op.commutator)}")
    if op.negator:
        clauses.append(f"NEGATOR = {operator_ref(op.negator)}")
    if op.restrict:
        clauses.append(f"RESTRICT = {op.restrict}")
    if op.join:
        clauses.append(f"JOIN = {op.join}")
    if op.hashes:
        clauses.append("HASHES")
    if op.merges:
        clauses.append("MERGES")
    return [f"CREATE OPERATOR {op.name} ({', '.join(clauses)});"]


def operator_target(op: Operator) -> str:
    """`===(integer, integer)`, as DROP / ALTER / COMMENT ON OPERATOR name it."""
    left = sql_ref(op.left) if op.left is not None else "NONE"
    return f"{op.name}({left}, {sql_ref(op.right)})"


@drops(Operator)
def _drop_operator(op: Operator, schema) -> str:
    return f"DROP OPERATOR {operator_target(op)};"


COMMENT_TARGETS[Operator] = lambda op: f"OPERATOR {operator_target(op)}"


# ------------------------------------------------------ classes and families ---

def _qualified_raw(name: str) -> str:
    """A raw `name` or `schema.name` (families), quoted."""
    schema, _, rest = name.rpartition(".")
    return f"{ident(schema)}.{ident(rest)}" if schema else ident(rest)


def member_operator(key: str) -> str:
    """`===(integer, integer)` / `s.===(...)` as a class item names it: the schema quoted."""
    head, paren, args = key.partition("(")
    schema, dot, op = head.rpartition(".")
    if dot and schema and not any(ch in schema for ch in "+-*/<>=~!@#%^&|`?"):
        head = f"{ident(schema)}.{op}"
    return f"{head}{paren}{args}"


def _operator_item(strategy: int, key: str, order: str | None) -> str:
    return f"OPERATOR {strategy} {member_operator(key)}" + (f" FOR ORDER BY {_qualified_raw(order)}" if order else "")


def class_target(c: OperatorClass) -> str:
    return f"{ident(c.name)} USING {ident(c.method)}"


def _class_function(c: OperatorClass, number: int, left: str | None, right: str | None, function: str) -> str:
    """`FUNCTION n f(args)`, with `(left, right)` when they are not what the server assigns."""
    if (left, right) == support_types(c.method, number, function, c.type) or left is None:
        return f"FUNCTION {number} {function}"
    return f"FUNCTION {number} ({sql_ref(left)}, {sql_ref(right)}) {function}"


@renders(OperatorClass)
def _operator_class(c: OperatorClass, schema) -> list[str]:
    items = [_operator_item(*op) for op in c.operators]
    items += [_class_function(c, *member) for member in c.functions]
    if c.storage:
        items.append(f"STORAGE {sql_ref(c.storage)}")
    family = f" FAMILY {_qualified_raw(c.family)}" if c.family else ""
    default = " DEFAULT" if c.default else ""
    return [f"CREATE OPERATOR CLASS {ident(c.name)}{default} FOR TYPE {sql_ref(c.type)} USING {ident(c.method)}"
            f"{family} AS\n    " + ",\n    ".join(items) + ";"]


def family_members(f: OperatorFamily, operators, functions, verb: str = "ADD") -> list[str]:
    """`ALTER OPERATOR FAMILY f USING m ADD|DROP ...` for the given members (none: no statement)."""
    if verb == "ADD":
        items = [_operator_item(*op) for op in operators]
        items += [f"FUNCTION {n} ({sql_ref(left)}, {sql_ref(right)}) {fn}" for n, left, right, fn in functions]
    else:
        items = [f"OPERATOR {n} ({key.partition('(')[2]}" for n, key, _order in operators]
        items += [f"FUNCTION {n} ({sql_ref(left)}, {sql_ref(right)})" for n, left, right, _fn in functions]
    if not items:
        return []
    return [f"ALTER OPERATOR FAMILY {ident(f.name)} USING {ident(f.method)} {verb}\n    " + ",\n    ".join(items) + ";"]


@renders(OperatorFamily)
def _operator_family(f: OperatorFamily, schema) -> list[str]:
    own = schema is not None and f.key in schema.operator_classes
    head = [] if own else [f"CREATE OPERATOR FAMILY {ident(f.name)} USING {ident(f.method)};"]
    return head + family_members(f, f.operators, f.functions)


@drops(OperatorClass)
def _drop_operator_class(c: OperatorClass, schema) -> str:
    if c.family is None:  # with its own family, which DROP OPERATOR CLASS would leave behind
        return f"DROP OPERATOR FAMILY {class_target(c)};"
    return f"DROP OPERATOR CLASS {class_target(c)};"


@drops(OperatorFamily)
def _drop_operator_family(f: OperatorFamily, schema) -> str:
    return f"DROP OPERATOR FAMILY {ident(f.name)} USING {ident(f.method)};"


COMMENT_TARGETS[OperatorClass] = lambda c: f"OPERATOR CLASS {class_target(c)}"
COMMENT_TARGETS[OperatorFamily] = lambda f: f"OPERATOR FAMILY {ident(f.name)} USING {ident(f.method)}"

"""CREATE / DROP / COMMENT ON of operators (operator classes and families below them)."""
from __future__ import annotations

from pgschema_tui.ddl.comment import COMMENT_TARGETS
from pgschema_tui.ddl.create import renders
from pgschema_tui.ddl.drop import drops
from pgschema_tui.ddl.names import sql_ref
from pgschema_tui.ir.operators import Operator


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

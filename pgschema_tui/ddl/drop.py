"""DROP statements for every IR object, one statement per object.

Drops never CASCADE: the planner orders drops on the dependency graph, so a dependent
that still exists is a planning bug that should fail loudly, not silently take data along.
The one exception is a range type with a CANONICAL function (a true cycle, see `_range`).
"""
from __future__ import annotations

from typing import Callable

from pgschema_tui.ddl.create import default_privilege_prefix, grant_privileges, grant_target
from pgschema_tui.ddl.names import public_default_privilege, role, routine_signature, type_object_name
from pgschema_tui.ddl.quote import ident
from pgschema_tui.ir.model import (
    Aggregate, CompositeType, Constraint, DefaultPrivilege, Domain, EnumType, Function, Grant,
    Index, MaterializedView, Policy, RangeType, Schema, Sequence, Table, Trigger, View,
)

_DROPPERS: dict[type, Callable] = {}


def drops(*classes: type):
    """Register the decorated function as the DROP renderer of the IR classes given."""
    def register(fn: Callable) -> Callable:
        for cls in classes:
            _DROPPERS[cls] = fn
        return fn
    return register


def render_drop(obj, schema: Schema | None = None) -> str:
    """The statement that removes `obj` (for a grant: revokes it)."""
    return _DROPPERS[type(obj)](obj, schema)


_SIMPLE = {Table: "TABLE", View: "VIEW", MaterializedView: "MATERIALIZED VIEW", Sequence: "SEQUENCE",
           Index: "INDEX", EnumType: "TYPE", CompositeType: "TYPE", Domain: "DOMAIN"}


@drops(*_SIMPLE)
def _simple(obj, schema) -> str:
    if isinstance(obj, Table) and obj.foreign_server is not None:
        return f"DROP FOREIGN TABLE {ident(obj.name)};"
    word = _SIMPLE[type(obj)]
    return f"DROP {word} {type_object_name(obj.name) if word in ('TYPE', 'DOMAIN') else ident(obj.name)};"


@drops(RangeType)
def _range(typ: RangeType, schema) -> str:
    """The one CASCADE: a range type and its CANONICAL function depend on each other, so
    neither can be dropped alone. Everything else that stands on the type is dropped first
    by the planner; what the cascade takes is the canonical function (whose own drop then
    says IF EXISTS, see `diff.routines`)."""
    return f"DROP TYPE {type_object_name(typ.name)}{' CASCADE' if typ.canonical else ''};"


@drops(Constraint)
def _constraint(con: Constraint, schema) -> str:
    return f"ALTER TABLE {ident(con.table)} DROP CONSTRAINT {ident(con.name)};"


@drops(Trigger, Policy)
def _on_table(obj, schema) -> str:
    what = "TRIGGER" if isinstance(obj, Trigger) else "POLICY"
    return f"DROP {what} {ident(obj.name)} ON {ident(obj.table)};"


@drops(Function)
def _function(fn: Function, schema) -> str:
    what = "PROCEDURE" if fn.is_procedure else "FUNCTION"
    return f"DROP {what} {routine_signature(fn)};"


@drops(Aggregate)
def _aggregate(agg: Aggregate, schema) -> str:
    return f"DROP AGGREGATE {routine_signature(agg)};"


@drops(Grant)
def _grant(grant: Grant, schema) -> str:
    target = grant_target(grant.object_type, grant.object_name, schema)
    if grant.revoked_default:  # undoing a revoked default gives the privilege back
        privilege = public_default_privilege(grant.object_type)
        return f"GRANT {privilege} ON {target} TO {role(grant.grantee)};"
    return f"REVOKE {grant_privileges(grant)} ON {target} FROM {role(grant.grantee)};"


@drops(DefaultPrivilege)
def _default_privilege(dp: DefaultPrivilege, schema) -> str:
    return (f"{default_privilege_prefix(dp, schema)} REVOKE {', '.join(dp.privileges)} ON {dp.object_type}"
            f" FROM {role(dp.grantee)};")

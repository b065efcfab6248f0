"""What every comparer needs to know about the whole diff: both schemas and what is rebuilt.

Before any comparer runs, the engine decides which live objects are replaced (dropped and
created again) - because PostgreSQL cannot alter them in place, or because something they
depend on is replaced. Comparers then only ask `ctx.replaced(obj)` / `ctx.gone(...)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pgschema_tui.ir.model import Schema, collection_of


@dataclass
class DiffContext:
    """Both schemas, and what the differs have decided so far."""

    live: Schema
    desired: Schema
    # node ids ("views:v") of live objects that are dropped and created again -> reason
    replacements: dict[str, str] = field(default_factory=dict)
    # table name -> columns whose type changes or that are dropped (views reading them are rebuilt)
    reshaped_columns: dict[str, set[str]] = field(default_factory=dict)
    # table name -> columns dropped and added again (dependent indexes/constraints are rebuilt)
    rebuilt_columns: dict[str, set[str]] = field(default_factory=dict)
    # the live server's server_version_num when known: some changes have an in-place form on
    # newer servers (SET EXPRESSION on 17+); None plans the form every supported server runs
    server_version: int | None = None

    @cached_property
    def live_graph(self):
        from pgschema_tui.graph import build_graph

        return build_graph(self.live)

    def path(self, obj) -> str:
        return object_path(self.desired, obj)

    def live_path(self, obj) -> str:
        return object_path(self.live, obj)

    def replaced(self, obj) -> bool:
        return f"{collection_of(obj)}:{obj.key}" in self.replacements

    def replace_reason(self, obj) -> str:
        return self.replacements.get(f"{collection_of(obj)}:{obj.key}", "")

    def gone_functions(self) -> frozenset[str]:
        """Names of live functions this plan drops or drops and creates again (a changed
        signature is a drop of the old key): a default, index or generated column calling one
        has to let go of it before the drop."""
        memo = self.__dict__.get("_gone_functions")
        if memo is not None and memo[0] == len(self.replacements):
            return memo[1]
        names = frozenset(fn.name for key, fn in self.live.functions.items()
                          if key not in self.desired.functions or f"functions:{key}" in self.replacements)
        self.__dict__["_gone_functions"] = (len(self.replacements), names)
        return names

    def relation_gone(self, name: str) -> bool:
        """True when the live relation `name` (table, view, matview) is dropped or replaced."""
        for coll in ("tables", "views", "materialized_views"):
            live_obj = getattr(self.live, coll).get(name)
            if live_obj is not None:
                return (name not in getattr(self.desired, coll)) or f"{coll}:{name}" in self.replacements
        return False

    def owner_gone(self, obj) -> bool:
        """True when the table/view that holds `obj` (index, trigger...) disappears in this plan."""
        table = getattr(obj, "table", None)
        return bool(table) and self.relation_gone(table)

    def goes_with_owner(self, obj) -> bool:
        """True when dropping `obj`'s table or view drops it too, with nothing to order around.

        A trigger whose function, or a foreign key whose referenced table, is dropped as well
        must be dropped on its own first: the owner may come after that function or table.
        """
        if not self.owner_gone(obj):
            return False
        graph = self.live_graph
        node = f"{collection_of(obj)}:{obj.key}"
        if node not in graph:
            return True
        owners = {f"{coll}:{obj.table}" for coll in ("tables", "views", "materialized_views")}
        for dependency in graph.predecessors(node):
            if dependency in owners:
                continue
            coll, _, key = dependency.partition(":")
            if key not in getattr(self.desired, coll, {}) or dependency in self.replacements:
                return False
        return True


def object_path(schema: Schema, obj) -> str:
    """`public.users`, and for objects that belong to a table `public.users.idx_users_email`."""
    table = getattr(obj, "table", None)
    if table and not obj.key.startswith(f"{table}."):
        return f"{schema.name}.{table}.{obj.key}"
    return schema.path(obj)

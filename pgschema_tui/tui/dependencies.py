"""Dependencies around a step or object, and the plan's topological layers, for Graph mode.

Reads the same networkx graph the planner orders with (`pgschema_tui.graph.build_graph`):
an edge `a -> b` means `b` depends on `a` (creation order). Step paths are mapped to IR
objects; a column step maps to its table.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from pgschema_tui.ir.model import Schema
from pgschema_tui.graph import build_graph, dependencies, dependents, node_id
from pgschema_tui.tui.session import ReviewSession


@dataclass(frozen=True)
class Neighbourhood:
    """What one object needs and what needs it, as display labels ("table orders")."""

    node: str | None
    label: str
    depends_on: tuple[str, ...]
    required_by: tuple[str, ...]
    note: str = ""  # e.g. "a column: its table's neighbours" when the step is finer than a graph node


@dataclass(frozen=True)
class StepOrder:
    """Why a step sits where it does: (step index, reason) it waits for and that wait for it."""

    waits_for: tuple[tuple[int, str], ...]
    waited_by: tuple[tuple[int, str], ...]
    notes: tuple[str, ...] = ()  # reasons of the plan's own (own group outside a transaction, FKs last...)


class SchemaGraph:
    """One side's dependency graph with lookups from step paths and node ids to objects."""

    def __init__(self, schema: Schema | None):
        self.schema = schema
        self._node_id = node_id
        self.graph: nx.DiGraph = build_graph(schema) if schema is not None else nx.DiGraph()
        self.by_path: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        if schema is None:
            return
        for obj in schema.objects():
            node = self._node_id(obj)
            self.labels[node] = object_label(obj)
            self.by_path.setdefault(schema.path(obj), node)
            if getattr(obj, "table", None) and getattr(obj, "name", None):
                self.by_path.setdefault(f"{schema.name}.{obj.table}.{obj.name}", node)

    def node_for_path(self, path: str) -> str | None:
        """The node of a step path; `schema.table.column` falls back to the table."""
        return self.node_and_rest(path)[0]

    def node_and_rest(self, path: str) -> tuple[str | None, str]:
        """(node, what of the path it did not cover): ("tables:customers", "email") for a column."""
        rest = ""
        while path:
            if path in self.by_path:
                return self.by_path[path], rest
            if "." not in path:
                return None, rest
            path, last = path.rsplit(".", 1)
            rest = f"{last}.{rest}" if rest else last
        return None, rest

    def label(self, node: str) -> str:
        return self.labels.get(node, node)

    def neighbourhood(self, node: str | None, fallback_label: str, transitive: bool = False) -> Neighbourhood:
        """Direct (or, with `transitive`, all) dependencies and dependents of `node`."""
        if node is None or node not in self.graph:
            return Neighbourhood(None, fallback_label, (), ())
        return Neighbourhood(
            node, self.label(node),
            tuple(sorted(self.label(n) for n in dependencies(self.graph, node, transitive))),
            tuple(sorted(self.label(n) for n in dependents(self.graph, node, transitive))),
        )


class PlanDependencies:
    """Neighbourhoods of steps and objects, built lazily: a 5,000-step plan opens without them."""

    def __init__(self, session: ReviewSession):
        self.session = session
        self._desired: SchemaGraph | None = None
        self._live: SchemaGraph | None = None
        self._layers: list[list[int]] | None = None
        self._step_maps = None

    @property
    def desired(self) -> SchemaGraph:
        if self._desired is None:
            self._desired = SchemaGraph(self.session.desired)
        return self._desired

    @property
    def live(self) -> SchemaGraph:
        if self._live is None:
            self._live = SchemaGraph(self.session.live)
        return self._live

    def prepare(self) -> None:
        """Build both graphs and the steps' nodes now (ReviewApp.prepare_models)."""
        self.desired, self.live  # noqa: B018 - built on first access
        self._maps()

    def side_for(self, operation: str) -> SchemaGraph:
        """Drops are about the live object; everything else about the desired one."""
        return self.live if operation == "drop" else self.desired

    def for_step(self, index: int, transitive: bool = False) -> Neighbourhood:
        """The step's object's neighbours. A column has no node of its own: it depends on its
        table, and what uses that column is not tracked, so the table's dependents are not
        listed as the column's (they would be every view and key of the table)."""
        ref = self.session.ref(index)
        side = self.side_for(ref.step.operation)
        node, rest = side.node_and_rest(ref.step.path)
        if node is None or node not in side.graph or not rest:
            return side.neighbourhood(node, self.session.label(ref), transitive)
        table = side.label(node)
        return Neighbourhood(node, f"{ref.step.type.rsplit('.', 1)[-1]} {self.session.label(ref)}", (table,), (),
                             note=f"part of {table}; what uses it is not tracked per {ref.step.type.rsplit('.', 1)[-1]}")

    def for_object(self, collection_key: tuple[str, str], on_desired: bool,
                   transitive: bool = False) -> Neighbourhood:
        side = self.desired if on_desired else self.live
        path = f"{self.session.schema_name}.{collection_key[1]}"
        return side.neighbourhood(side.node_for_path(path), collection_key[1], transitive)

    def layers(self) -> list[list[int]]:
        """Step indices in execution order, one list per transaction group of the plan: the
        order `apply` runs them in (a topological layering did not match it)."""
        if self._layers is None:
            self._layers = [[r.index for r in self.session.group_steps(g)] for g in range(len(self.session.plan.groups))
                            if self.session.group_steps(g)]
        return self._layers

    def earlier_steps_needed(self, index: int) -> list[int]:
        """Earlier steps of the plan that create (or drop first) what step `index` needs."""
        ref = self.session.ref(index)
        side_name = "live" if ref.step.operation == "drop" else "desired"
        side = self.live if side_name == "live" else self.desired
        node = side.node_for_path(ref.step.path)
        if node is None or node not in side.graph:
            return []
        needed = set(side.graph.predecessors(node)) if side_name == "desired" else set(side.graph.successors(node))
        found = []
        for other in self.session.refs[:index]:
            other_side = "live" if other.step.operation == "drop" else "desired"
            if other_side == side_name and side.node_for_path(other.step.path) in needed:
                found.append(other.index)
        return found

    def _maps(self):
        """Steps by path, by desired node (creates and alters) and by live node (drops), once."""
        if self._step_maps is None:
            by_path: dict[str, list[int]] = {}
            desired_steps: dict[str, list[int]] = {}
            live_drops: dict[str, list[int]] = {}
            nodes: list[str | None] = []
            for ref in self.session.refs:
                step = ref.step
                by_path.setdefault(step.path, []).append(ref.index)
                node = self.side_for(step.operation).node_for_path(step.path)
                nodes.append(node)
                if node is not None:
                    (live_drops if step.operation == "drop" else desired_steps).setdefault(node, []).append(ref.index)
            self._step_maps = by_path, desired_steps, live_drops, nodes
        return self._step_maps

    def step_order(self, index: int) -> StepOrder:
        """The steps `index` waits for and the ones waiting for it, each with the dependency that
        forces it (an earlier step of the same object, an object it needs, a dependent dropped first)."""
        by_path, desired_steps, live_drops, nodes = self._maps()
        ref = self.session.ref(index)
        step, node = ref.step, nodes[index]
        before: dict[int, str] = {}
        after: dict[int, str] = {}
        for other in by_path.get(step.path, ()):
            if other < index:
                before.setdefault(other, f"earlier step of the same object ({self.session.action(self.session.ref(other))})")
            elif other > index:
                after.setdefault(other, f"later step of the same object ({self.session.action(self.session.ref(other))})")
        if node is not None:
            live, desired = self.live.graph, self.desired.graph
            if step.operation != "drop":
                label = self.desired.label(node)
                if node in desired:
                    for needed in desired.predecessors(node):
                        for other in desired_steps.get(needed, ()):
                            if other < index and nodes[other] != node:
                                before.setdefault(other, f"{label} depends on {self.desired.label(needed)}")
                    for user in desired.successors(node):
                        for other in desired_steps.get(user, ()):
                            if other > index and nodes[other] != node:
                                after.setdefault(other, f"{self.desired.label(user)} depends on {label}")
                if node in live:  # what stands on the old object is dropped before it changes
                    for user in live.successors(node):
                        for other in live_drops.get(user, ()):
                            if other < index:
                                before.setdefault(other, f"{self.live.label(user)} depends on {self.live.label(node)}, "
                                                         f"so it is dropped first")
            elif node in live:
                label = self.live.label(node)
                for user in live.successors(node):
                    for other in live_drops.get(user, ()):
                        if other < index:
                            before.setdefault(other, f"{self.live.label(user)} depends on {label}, so it is dropped first")
                for needed in live.predecessors(node):
                    for other in live_drops.get(needed, ()) + desired_steps.get(needed, []):
                        if other > index and nodes[other] != node:
                            after.setdefault(other, f"{label} depends on {self.live.label(needed)}, so it goes first")
        return StepOrder(tuple(sorted(before.items())), tuple(sorted(after.items())), self._order_notes(ref))

    def _order_notes(self, ref) -> tuple[str, ...]:
        step = ref.step
        notes = []
        if not step.can_run_in_transaction:
            notes.append("cannot run inside a transaction: runs outside a transaction, in a group of its own")
        if step.directive is not None:
            notes.append(f"waits: {step.directive.message}")
        sql = step.sql.upper()
        if "ADD VALUE" in sql and sql.lstrip().startswith("ALTER TYPE"):
            notes.append("new enum labels go first: a label must be committed before a step uses it")
        if step.type.endswith("constraint") and "FOREIGN KEY" in sql and step.operation != "drop":
            notes.append("foreign keys go after every table and key they reference")
        if "NOT VALID" in sql:
            notes.append("added NOT VALID first (brief lock); validated in a later step without blocking writes")
        return tuple(notes)

    def _compute_layers(self) -> list[list[int]]:
        steps_by_key: dict[tuple[str, str], list[int]] = {}
        for ref in self.session.refs:
            side = "live" if ref.step.operation == "drop" else "desired"
            node = self.side_for(ref.step.operation).node_for_path(ref.step.path) or f"path:{ref.step.path}"
            steps_by_key.setdefault((side, node), []).append(ref.index)
        order = nx.DiGraph()
        order.add_nodes_from(steps_by_key)
        for side_name, node in steps_by_key:
            side = self.live if side_name == "live" else self.desired
            if node not in side.graph:
                continue
            if side_name == "desired":  # create what it depends on first
                for dep in side.graph.predecessors(node):
                    if ("desired", dep) in steps_by_key:
                        order.add_edge(("desired", dep), ("desired", node))
            else:  # drop what depends on it first
                for dependent in side.graph.successors(node):
                    if ("live", dependent) in steps_by_key:
                        order.add_edge(("live", dependent), ("live", node))
        try:
            generations = list(nx.topological_generations(order))
        except nx.NetworkXUnfeasible:  # a cycle the planner breaks by deferring FKs: one layer
            generations = [list(order.nodes)]
        return [sorted(i for key in gen for i in steps_by_key[key]) for gen in generations]


def object_label(obj) -> str:
    """How an object is named to a user: "table customers", "grant on TABLE customer_ltv to app_ro"."""
    if obj.kind == "privilege":
        target = f"{obj.object_type} {obj.object_name}".strip() if obj.object_name else obj.object_type
        return f"grant on {target} to {obj.grantee}"
    if obj.kind == "default_privilege":
        return "default privileges " + str(obj.key).replace(":", " ")
    return f"{obj.kind.replace('_', ' ')} {obj.key}"

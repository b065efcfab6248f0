"""The state of one load: the IR under construction, the target schema and name bookkeeping."""
from __future__ import annotations

from dataclasses import dataclass, field

from pglast import ast

from pgschema_tui.ddl.quote import ident
from pgschema_tui.errors import UnsupportedError
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from pgschema_tui.parse import exprs
from pgschema_tui.parse.naming import choose_name
from pgschema_tui.parse.registry import NotYet
from pgschema_tui.parse.statements import Statement
from pgschema_tui.parse.typenames import format_type, type_ref
from pgschema_tui.parse.session import SessionFacts
from pgschema_tui.ddl.names import DUMPED_SCHEMA_SETTING


_BARE_DEFAULTS = (ast.A_Const, ast.ColumnRef, ast.FuncCall, ast.TypeCast, ast.SQLValueFunction,
                  ast.A_ArrayExpr, ast.CaseExpr, ast.CoalesceExpr, ast.MinMaxExpr)


class _Union:
    """`in` over two sets without copying them."""

    def __init__(self, *sets: set[str]):
        self.sets = sets

    def __contains__(self, name: str) -> bool:
        return any(name in s for s in self.sets)


@dataclass
class LoadContext:
    """Everything handlers share while turning statements into one `ir.Schema`."""

    target: str
    schema: ir.Schema = field(default=None)  # type: ignore[assignment]
    relation_names: set[str] = field(default_factory=set)  # pg_class names in the schema
    constraint_names: set[str] = field(default_factory=set)
    statement: Statement | None = None
    extras: dict = field(default_factory=dict)  # per-module bookkeeping (privileges...)
    session: SessionFacts = field(default_factory=SessionFacts)  # what the connection told (parse/session.py)

    def __post_init__(self) -> None:
        if self.schema is None:
            self.schema = ir.Schema(name=self.target)

    # -- names -------------------------------------------------------------------
    def is_target(self, schema_name: str | None) -> bool:
        """Whether an object qualified with `schema_name` (None: unqualified) is ours."""
        return schema_name is None or schema_name == self.target

    def is_target_schema(self, schema_name: str) -> bool:
        """Whether a schema-level statement (COMMENT ON SCHEMA, GRANT ON SCHEMA, ALTER DEFAULT
        PRIVILEGES IN SCHEMA) naming `schema_name` is about the target: its own name, or the
        schema a dump declares with DUMPED_SCHEMA_SETTING."""
        return schema_name == self.target or schema_name == self.extras.get(DUMPED_SCHEMA_SETTING)

    def own_name(self, rangevar: ast.RangeVar) -> str | None:
        """The raw name of a relation in the target schema, None when it lives elsewhere."""
        return rangevar.relname if self.is_target(rangevar.schemaname) else None

    def own_qualified(self, names) -> str | None:
        """Raw name from a qualified name list (`String` nodes), None when in another schema."""
        parts = [n.sval for n in names]
        if len(parts) > 1 and not self.is_target(parts[-2]):
            return None
        return parts[-1]

    def raw_ref(self, schema_name: str | None, name: str) -> str:
        """Raw reference name: `name` in the target schema, `schema.name` elsewhere."""
        return name if self.is_target(schema_name) else f"{schema_name}.{name}"

    def sql_ref(self, names) -> str:
        """Quoted SQL reference to an object, qualified only outside the target schema."""
        parts = [n.sval if isinstance(n, ast.String) else n for n in names]
        if len(parts) > 1 and parts[-2] not in (self.target, "pg_catalog"):
            return f"{ident(parts[-2])}.{ident(parts[-1])}"
        return ident(parts[-1])

    def dep_ref(self, namespace: str, names) -> str:
        parts = [n.sval if isinstance(n, ast.String) else n for n in names]
        if len(parts) > 1 and parts[-2] != self.target:
            return f"{namespace}:{parts[-2]}.{parts[-1]}"
        return f"{namespace}:{parts[-1]}"

    def choose_relation_name(self, name1: str, name2: str | None, label: str) -> str:
        """An implicit relation name (index, sequence) not used by another relation; reserves it."""
        name = choose_name(name1, name2, label, self.relation_names)
        self.relation_names.add(name)
        return name

    def choose_constraint_index_name(self, name1: str, name2: str | None, label: str) -> str:
        """An implicit name for a constraint backed by an index (pkey, key, excl)."""
        name = choose_name(name1, name2, label, _Union(self.relation_names, self.constraint_names))
        self.relation_names.add(name)
        self.constraint_names.add(name)
        return name

    def choose_constraint_name(self, name1: str, name2: str | None, label: str) -> str:
        name = choose_name(name1, name2, label, self.constraint_names)
        self.constraint_names.add(name)
        return name

    # -- pieces ------------------------------------------------------------------
    def type_text(self, type_name: ast.TypeName, what: str) -> str:
        try:
            return format_type(type_name, self.target)
        except ValueError as exc:
            raise self.unsupported(what, str(exc)) from None

    def routine_type_text(self, type_name: ast.TypeName, what: str) -> str:
        """A routine's argument or result type: PostgreSQL keeps no typmod there
        (`character(3)` is stored and printed `character`, `numeric(5,2)` `numeric`)."""
        try:
            return format_type(type_name, self.target, with_typmod=False)
        except ValueError as exc:
            raise self.unsupported(what, str(exc)) from None

    def type_dep(self, type_name: ast.TypeName) -> frozenset[str]:
        ref = type_ref(type_name, self.target)
        return frozenset({ref}) if ref else frozenset()

    def expr(self, node, kind: str = "expr") -> tuple[Expr, frozenset[str]]:
        """(Expr of `node` with target-schema names unqualified, its references)."""
        refs = exprs.localise_with_references(node, self.target)
        return Expr(exprs.deparse(node), kind), frozenset(refs)

    def domain_bases(self) -> dict[str, str]:
        """Domain name (as a column type spells it) → the built-in type at the bottom of it."""
        bases = {}
        for name, domain in self.schema.domains.items():
            base, seen = domain.base_type, {name}
            while base in self.schema.domains and base not in seen:
                seen.add(base)
                base = self.schema.domains[base].base_type
            bases[ident(name)] = base
        return bases

    def table_expr(self, node, table: str, kind: str = "expr") -> tuple[Expr, frozenset[str]]:
        """An expression over `table`'s columns, with the casts PostgreSQL adds for their types."""
        table_obj = self.schema.tables.get(table)
        if table_obj is not None:
            from pgschema_tui.parse.inherited import all_columns  # inherited columns count too

            types = {c.name: c.type for c in all_columns(self, table_obj)}
            exprs.cast_domain_columns(node, types, self.domain_bases())
            exprs.add_column_casts(node, types)
        return self.expr(node, kind)

    def default_expr(self, node) -> tuple[Expr, frozenset[str]]:
        """A DEFAULT expression, parenthesised when the DEFAULT clause's restricted grammar
        (b_expr) needs it (`DEFAULT (now() AT TIME ZONE 'utc')`), so renderers can paste it."""
        expression, refs = self.expr(node)
        special_syntax = isinstance(node, ast.FuncCall) and node.funcformat.name == "COERCE_SQL_SYNTAX"
        if (special_syntax or not isinstance(node, _BARE_DEFAULTS)) and not expression.text.startswith("("):
            expression = Expr(f"({expression.text})")
        return expression, refs

    def is_null_default(self, node, type_name: ast.TypeName | None) -> bool:
        """Whether `DEFAULT node` on a column (or domain) of `type_name` is stored as no default.

        PostgreSQL records no default when the cooked expression is a bare null constant
        (`heap.c`, `AddRelationNewConstraints`; `DefineDomain`): `NULL`, or `NULL` cast to the
        column's own type, on a base type without a type modifier. On a domain, a typmod
        (`varchar(3)`, `character`, `interval day`) or a cast to another type the expression
        is a coercion, and the default (`NULL::character varying`) is kept."""
        while isinstance(node, ast.TypeCast):
            if type_name is None or node.typeName.typmods:
                return False
            try:
                if format_type(node.typeName, self.target) != format_type(type_name, self.target):
                    return False
            except ValueError:
                return False
            node = node.arg
        if not (isinstance(node, ast.A_Const) and node.isnull):
            return False
        return type_name is not None and not type_name.typmods and not type_name.pct_type \
            and self._plain_base_type(type_name)

    def _plain_base_type(self, type_name: ast.TypeName) -> bool:
        """A built-in type, or one of the files' types that is not a domain."""
        from pgschema_tui.parse.typenames import BUILTIN_TYPES, type_parts

        schema, name = type_parts(type_name)
        if schema in (None, "pg_catalog") and name in BUILTIN_TYPES:
            return True
        if not self.is_target(schema):
            return False  # another schema's type: it may be a domain
        return name not in self.schema.domains and (
            name in self.schema.types or name in self.schema.tables or name in self.schema.views)

    def unsupported(self, what: str, construct: str) -> UnsupportedError:
        where = self.statement.where if self.statement else "?"
        return UnsupportedError(f"{where}: {what}: {construct} is not supported by the SQL parser yet; "
                                f"use --plan-db embedded (or a database) to load this file")

    def function_key(self, owa: ast.ObjectWithArgs, aggregate: bool = False) -> str | None:
        """IR key of the function or aggregate an ObjectWithArgs names; None when in another schema."""
        name = self.own_qualified(owa.objname)
        if name is None:
            return None
        pool = self.schema.aggregates if aggregate else self.schema.functions
        if owa.args_unspecified:
            matches = [k for k, f in pool.items() if f.name == name]
            if len(matches) != 1:
                raise NotYet(f"a single routine named {name}")
            return matches[0]
        if aggregate and not owa.objargs:
            return f"{name}(*)"
        types = [self.routine_type_text(t, f"routine {name}") for t in owa.objargs or ()]
        return f"{name}({', '.join(types)})"

    # -- objects -----------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        """The table `name` of the target schema, or NotYet when no statement created it so far."""
        table = self.schema.tables.get(name)
        if table is None:
            raise NotYet(f"table {name}")
        return table

    def replace(self, old, new) -> None:
        """Swap an IR object for its amended copy (same key)."""
        self.schema.add(new)

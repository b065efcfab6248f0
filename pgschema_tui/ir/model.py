"""The normalised model (IR) of one schema's objects.

Both loaders produce it: catalog inspection (`pgschema_tui.inspect`) and the desired-state
parser (`pgschema_tui.parse`). Equality of two IR objects means "no migration needed", so
every field is in the spelling PostgreSQL itself uses (`format_type` type names,
`pg_get_*def` expressions through `Expr`), and fields that only help ordering
(`depends_on`) are excluded from comparison.

Naming conventions (both loaders must follow them exactly):
- An object's own name fields (`Table.name`, `Index.name`, `Constraint.name`, `Column.name`,
  column lists such as `Constraint.columns`, `Index.include`, `Sequence.owned_by` "table.column",
  `Table.partition_of`, `Trigger.table`...) are raw identifiers: unquoted, unqualified, exactly
  as stored in the catalog (`Users` stays `Users`). Renderers quote them (`ddl.quote.ident`).
- Fields that *refer* to something that may live in another schema are SQL text, quoted where
  needed and qualified only when outside the target schema: every type (`Column.type`,
  `Argument.type`, `Domain.base_type`, `Function.returns`...) exactly as `format_type` prints it
  with `search_path` set to the target schema (`character varying(20)`, `"MyEnum"`,
  `other.mytype[]`), and `Constraint.ref_table`, `Trigger.function`, aggregate support functions.
- Expressions are `Expr` objects holding the text one loader saw; they compare by canonical form.
- Role names (`Policy.roles`, `Grant.grantee`) are raw; `PUBLIC` is the literal string "PUBLIC".

Dependency references (`depends_on`) are strings `"<namespace>:<name>"` with namespace one of
`relation` (tables, views, materialized views, sequences, indexes), `type` (enum, composite,
range types and domains), `function` (functions, procedures, aggregates; by name, any
overload) and `collation`. A name outside the target schema keeps its schema prefix; the graph ignores refs
it cannot resolve.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.fields import depends_on_field as _deps
from pgschema_tui.ir.operators import Operator, OperatorClass, OperatorFamily
from pgschema_tui.ir.textsearch import TextSearchConfiguration, TextSearchDictionary


# ----------------------------------------------------------------- tables ---


@dataclass(frozen=True)
class SequenceOptions:
    """Options shared by sequences and identity columns; None means the PostgreSQL default."""

    data_type: str | None = None  # "bigint" etc.; sequences only
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False


@dataclass(frozen=True)
class Identity:
    """GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY with its sequence options."""

    always: bool
    options: SequenceOptions = SequenceOptions()
    # SEQUENCE NAME, a raw name in the table's schema; None when it is `<table>_<column>_seq`
    # (ddl/implicit_names.identity_sequence_name), so the unnamed spelling compares equal
    sequence_name: str | None = None


@dataclass(frozen=True)
class Column:
    """A table column."""

    name: str
    type: str  # format_type spelling: "character varying(20)", "integer[]", "other.mytype"
    not_null: bool = False
    default: Expr | None = None
    identity: Identity | None = None
    generated: Expr | None = None  # GENERATED ALWAYS AS (expr)
    generated_stored: bool = True  # False for PostgreSQL 18 VIRTUAL generated columns
    collation: str | None = None  # only when it differs from the type's default
    comment: str | None = None
    # SET STORAGE keyword (PLAIN, EXTERNAL, MAIN, EXTENDED), only when not the type's typstorage
    storage: str | None = None
    compression: str | None = None  # pglz | lz4 when set on the column (attcompression), else None
    foreign_options: tuple[str, ...] = ()  # a foreign table column's OPTIONS, attfdwoptions: ("column_name=x",)
    depends_on: frozenset[str] = _deps()
    # Listed only because a child table overrides an inherited column's NOT NULL/DEFAULT (not
    # attislocal): renderers then set the options with ALTER COLUMN instead of re-declaring it.
    # A rendering hint only, like Index.valid: local or not, the column needs no migration.
    inherited: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Table:
    """A table: plain, partitioned, or a partition."""

    kind: ClassVar[str] = "table"
    name: str
    columns: tuple[Column, ...] = ()
    partition_by: str | None = None  # pg_get_partkeydef: "RANGE (created_at)"
    partition_of: str | None = None  # parent table name
    partition_bound: str | None = None  # "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", "DEFAULT"
    inherits: tuple[str, ...] = ()
    unlogged: bool = False
    options: tuple[str, ...] = ()  # reloptions: ("fillfactor=70",)
    access_method: str | None = None  # USING am, only when not default_table_access_method
    rls_enabled: bool = False
    rls_forced: bool = False
    comment: str | None = None
    depends_on: frozenset[str] = _deps()
    # a foreign table: its server (raw name; servers are database-wide, not in the IR) and OPTIONS
    foreign_server: str | None = None
    foreign_options: tuple[str, ...] = ()  # ftoptions: ("table_name=remote",)
    # PostgreSQL 18 NOT NULL constraint names that differ from the ones the tool's CREATE TABLE
    # gives (`ddl/not_null.py`): ((column, name), ...). Not part of equality: servers before 18
    # record none, so the diff compares them itself, on PostgreSQL 18 only.
    not_null_names: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        return self.name

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class Constraint:
    """A table constraint. `type` is PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK or EXCLUDE."""

    kind: ClassVar[str] = "constraint"
    table: str
    name: str
    type: str
    columns: tuple[str, ...] = ()  # key columns (PK, UNIQUE, FK referencing side)
    include: tuple[str, ...] = ()  # INCLUDE columns of PK/UNIQUE
    nulls_not_distinct: bool = False
    check: Expr | None = None  # CHECK expression, without the CHECK keyword and outer parens
    no_inherit: bool = False
    exclude: Expr | None = None  # whole "EXCLUDE USING gist (...)" clause
    ref_table: str | None = None  # FK target ("other.t" when in another schema)
    ref_columns: tuple[str, ...] = ()
    on_update: str = "NO ACTION"  # NO ACTION | RESTRICT | CASCADE | SET NULL | SET DEFAULT
    on_delete: str = "NO ACTION"
    match_full: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    not_valid: bool = False
    index_options: tuple[str, ...] = ()  # WITH (...) of the PK/UNIQUE index
    # PostgreSQL 18 temporal keys (pg_constraint.conperiod): the last key column is
    # WITHOUT OVERLAPS (PK/UNIQUE), or the last column of both lists is PERIOD (FK)
    temporal: bool = False
    comment: str | None = None
    # COMMENT ON INDEX of the PK/UNIQUE/EXCLUDE constraint's index (named like the constraint):
    # the index is no IR object of its own, so its comment lives here and is restored with it
    index_comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.table}.{self.name}"


@dataclass(frozen=True)
class IndexElement:
    """One index key: a column name or an expression, with ordering and opclass."""

    expression: Expr  # kind "index_elem": the column or expression as pg_get_indexdef prints it
    opclass: str | None = None  # kept even when the default if opclass_options are given
    collation: str | None = None
    descending: bool = False
    nulls_first: bool | None = None  # None: the default for the direction
    opclass_options: tuple[str, ...] = ()  # (siglen=64), spelled as pg_attribute.attoptions holds them


@dataclass(frozen=True)
class Index:
    """An index that no constraint owns."""

    kind: ClassVar[str] = "index"
    table: str  # table or materialized view
    name: str
    elements: tuple[IndexElement, ...] = ()
    unique: bool = False
    method: str = "btree"
    include: tuple[str, ...] = ()
    where: Expr | None = None
    options: tuple[str, ...] = ()  # WITH (fillfactor=70)
    nulls_not_distinct: bool = False
    valid: bool = field(default=True, compare=False)  # INVALID after a failed CONCURRENTLY build
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class Trigger:
    """A trigger."""

    kind: ClassVar[str] = "trigger"
    table: str
    name: str
    timing: str  # BEFORE | AFTER | INSTEAD OF
    events: tuple[str, ...]  # INSERT, UPDATE, DELETE, TRUNCATE in that order
    function: str  # name, qualified when in another schema; no parentheses
    arguments: tuple[str, ...] = ()  # literal arguments, as plain strings
    for_each_row: bool = True
    update_columns: tuple[str, ...] = ()  # UPDATE OF a, b, in the order written (as tgattr keeps it)
    when: Expr | None = None
    constraint: bool = False
    from_table: str | None = None  # CONSTRAINT TRIGGER ... FROM t (SQL text, like Constraint.ref_table)
    deferrable: bool = False
    initially_deferred: bool = False
    old_table: str | None = None  # REFERENCING OLD TABLE AS
    new_table: str | None = None
    enabled: str = "O"  # pg_trigger.tgenabled: O origin, D disabled, R replica, A always
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.table}.{self.name}"


@dataclass(frozen=True)
class Policy:
    """A row-level security policy."""

    kind: ClassVar[str] = "policy"
    table: str
    name: str
    command: str = "ALL"  # ALL | SELECT | INSERT | UPDATE | DELETE
    permissive: bool = True
    roles: tuple[str, ...] = ("PUBLIC",)  # sorted
    using: Expr | None = None
    with_check: Expr | None = None
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.table}.{self.name}"


@dataclass(frozen=True)
class Statistics:
    """CREATE STATISTICS: an extended statistics object on one table (named in the schema)."""

    kind: ClassVar[str] = "statistics"
    name: str
    table: str
    columns: tuple[str, ...] = ()  # plain columns, in the table's column order (as stxkeys keeps them)
    expressions: tuple[Expr, ...] = ()  # expressions, in the order written
    # ndistinct, dependencies, mcv when not all of them (the default when none is written)
    kinds: tuple[str, ...] = ()
    stattarget: int | None = None  # ALTER STATISTICS ... SET STATISTICS; None: the default
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class Rule:
    """CREATE RULE on a table or view (not a view's _RETURN rule, which is the view itself)."""

    kind: ClassVar[str] = "rule"
    table: str
    name: str
    event: str  # SELECT | INSERT | UPDATE | DELETE
    instead: bool = False
    where: Expr | None = None  # over NEW / OLD
    actions: tuple[Expr, ...] = ()  # kind "query" each; () for NOTHING
    enabled: str = "O"  # pg_rewrite.ev_enabled: O origin, D disabled, R replica, A always
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.table}.{self.name}"


# ------------------------------------------------------ views and friends ---


@dataclass(frozen=True)
class View:
    """A view."""

    kind: ClassVar[str] = "view"
    name: str
    query: Expr  # kind "query": the SELECT, as pg_get_viewdef prints it
    options: tuple[str, ...] = ()  # ("security_invoker=true",)
    check_option: str | None = None  # LOCAL | CASCADED
    columns: tuple[str, ...] = field(default=(), compare=False)  # output column names, in order
    comment: str | None = None
    column_comments: tuple[tuple[str, str], ...] = ()  # (column, comment), sorted
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class MaterializedView:
    """A materialized view."""

    kind: ClassVar[str] = "materialized_view"
    name: str
    query: Expr
    options: tuple[str, ...] = ()
    with_data: bool = True
    columns: tuple[str, ...] = field(default=(), compare=False)
    comment: str | None = None
    column_comments: tuple[tuple[str, str], ...] = ()
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class Sequence:
    """A sequence (an identity sequence is its column's `Identity` instead)."""

    kind: ClassVar[str] = "sequence"
    name: str
    options: SequenceOptions = SequenceOptions()
    owned_by: str | None = None  # "table.column"
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


# -------------------------------------------------------------- routines ---


@dataclass(frozen=True)
class Argument:
    """One argument of a function, procedure or aggregate."""

    name: str | None
    type: str  # format_type spelling
    mode: str = "IN"  # IN | OUT | INOUT | VARIADIC | TABLE
    default: Expr | None = None


@dataclass(frozen=True)
class Function:
    """A function or (with `is_procedure`) a procedure."""

    name: str
    arguments: tuple[Argument, ...] = ()
    returns: str | None = None  # pg_get_function_result: "integer", "SETOF users", "TABLE(a integer)"
    language: str = "sql"
    body: str = ""  # prosrc, or the SQL-standard body (BEGIN ATOMIC ... END / RETURN ...)
    # probin: a LANGUAGE c function's object file ("$libdir/x"); `body` is then its link symbol
    library: str | None = None
    sql_body: bool = False  # body is SQL-standard, rendered without quotes
    is_procedure: bool = False
    volatility: str = "VOLATILE"  # IMMUTABLE | STABLE | VOLATILE
    strict: bool = False
    security_definer: bool = False
    leakproof: bool = False
    parallel: str = "UNSAFE"  # SAFE | RESTRICTED | UNSAFE
    cost: float | None = None  # None: the language default
    rows: float | None = None
    config: tuple[str, ...] = ()  # ("search_path=public, pg_temp",)
    is_window: bool = False
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "procedure" if self.is_procedure else "function"

    @property
    def identity_arguments(self) -> str:
        """Input argument types, as in pg_get_function_identity_arguments without names."""
        return ", ".join(a.type for a in self.arguments if a.mode in ("IN", "INOUT", "VARIADIC"))

    @property
    def key(self) -> str:
        return f"{self.name}({self.identity_arguments})"


@dataclass(frozen=True)
class Aggregate:
    """A user-defined aggregate."""

    kind: ClassVar[str] = "aggregate"
    name: str
    arguments: tuple[str, ...]  # input types; ("*",) for count(*)-style
    sfunc: str
    stype: str
    sspace: int | None = None
    finalfunc: str | None = None
    finalfunc_extra: bool = False
    finalfunc_modify: str | None = None
    combinefunc: str | None = None
    serialfunc: str | None = None
    deserialfunc: str | None = None
    initcond: str | None = None
    msfunc: str | None = None
    minvfunc: str | None = None
    mstype: str | None = None
    mfinalfunc: str | None = None
    minitcond: str | None = None
    sortop: str | None = None
    parallel: str = "UNSAFE"
    order_by_arguments: tuple[str, ...] = ()  # ordered-set aggregates: WITHIN GROUP types
    hypothetical: bool = False
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return f"{self.name}({', '.join(self.arguments)})"


# ----------------------------------------------------------------- types ---


@dataclass(frozen=True)
class EnumType:
    """An enum type."""

    kind: ClassVar[str] = "type"
    name: str
    labels: tuple[str, ...] = ()
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class CompositeAttribute:
    """One attribute of a composite type."""

    name: str
    type: str
    collation: str | None = None


@dataclass(frozen=True)
class CompositeType:
    """A composite type."""

    kind: ClassVar[str] = "type"
    name: str
    attributes: tuple[CompositeAttribute, ...] = ()
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class RangeType:
    """A range type."""

    kind: ClassVar[str] = "type"
    name: str
    subtype: str
    subtype_opclass: str | None = None
    collation: str | None = None
    canonical: str | None = None
    subtype_diff: str | None = None
    multirange_name: str | None = None
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class DomainConstraint:
    """A CHECK (or named NOT NULL) constraint of a domain."""

    name: str
    check: Expr | None  # None for a NOT NULL constraint that PostgreSQL 17+ names
    not_valid: bool = False


@dataclass(frozen=True)
class Domain:
    """A domain."""

    kind: ClassVar[str] = "domain"
    name: str
    base_type: str
    not_null: bool = False
    default: Expr | None = None
    collation: str | None = None
    constraints: tuple[DomainConstraint, ...] = ()  # sorted by name
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class Collation:
    """CREATE COLLATION. `locale` is LOCALE (libc: when LC_COLLATE and LC_CTYPE are the same);
    `lc_collate`/`lc_ctype` only when a libc collation's two differ. The version is not state."""

    kind: ClassVar[str] = "collation"
    name: str
    provider: str = "libc"  # libc | icu | builtin
    locale: str | None = None
    lc_collate: str | None = None
    lc_ctype: str | None = None
    deterministic: bool = True
    rules: str | None = None  # ICU tailoring rules (PostgreSQL 16)
    comment: str | None = None
    depends_on: frozenset[str] = _deps()

    @property
    def key(self) -> str:
        return self.name


# ------------------------------------------------------------ privileges ---


@dataclass(frozen=True)
class Grant:
    """Privileges held by one grantee on one object (or on some of a table's columns).

    The owner's implicit privileges are not recorded, only what GRANT/REVOKE changed.
    A revoked PUBLIC default (EXECUTE on functions, USAGE on types) is recorded as a
    `Grant` with `revoked_default=True` and empty privileges.
    """

    kind: ClassVar[str] = "privilege"
    object_type: str  # TABLE | SEQUENCE | FUNCTION | PROCEDURE | TYPE | DOMAIN | SCHEMA
    object_name: str  # the object's key ("users", "f(integer)"); "" for the schema itself
    grantee: str  # role name or PUBLIC
    privileges: tuple[str, ...] = ()  # sorted: ("INSERT", "SELECT")
    columns: tuple[str, ...] = ()  # column grant when non-empty
    grantable: bool = False
    revoked_default: bool = False

    @property
    def key(self) -> str:
        cols = f"({','.join(self.columns)})" if self.columns else ""
        opt = "+grant" if self.grantable else ""
        return f"{self.object_type}:{self.object_name}{cols}:{self.grantee}{opt}"


@dataclass(frozen=True)
class DefaultPrivilege:
    """ALTER DEFAULT PRIVILEGES [FOR ROLE r] IN SCHEMA s GRANT ... ON <object_type> TO grantee."""

    kind: ClassVar[str] = "default_privilege"
    for_role: str | None  # None: the role running the migration
    object_type: str  # TABLES | SEQUENCES | FUNCTIONS | TYPES
    grantee: str
    privileges: tuple[str, ...] = ()
    grantable: bool = False

    @property
    def key(self) -> str:
        opt = "+grant" if self.grantable else ""
        return f"{self.for_role or ''}:{self.object_type}:{self.grantee}{opt}"


# ---------------------------------------------------------------- schema ---


@dataclass
class Schema:
    """Everything the tool manages in one schema, keyed by each object's `key`."""

    name: str = "public"
    tables: dict[str, Table] = field(default_factory=dict)
    constraints: dict[str, Constraint] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    materialized_views: dict[str, MaterializedView] = field(default_factory=dict)
    sequences: dict[str, Sequence] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)  # functions and procedures
    aggregates: dict[str, Aggregate] = field(default_factory=dict)
    types: dict[str, EnumType | CompositeType | RangeType] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    default_privileges: dict[str, DefaultPrivilege] = field(default_factory=dict)
    collations: dict[str, Collation] = field(default_factory=dict)
    statistics: dict[str, Statistics] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    text_search_dictionaries: dict[str, TextSearchDictionary] = field(default_factory=dict)
    text_search_configurations: dict[str, TextSearchConfiguration] = field(default_factory=dict)
    operators: dict[str, Operator] = field(default_factory=dict)
    operator_families: dict[str, OperatorFamily] = field(default_factory=dict)
    operator_classes: dict[str, OperatorClass] = field(default_factory=dict)
    comment: str | None = None  # COMMENT ON SCHEMA

    # The collections in a stable order, for code that walks every object.
    COLLECTIONS: ClassVar[tuple[str, ...]] = (
        "types", "domains", "sequences", "functions", "aggregates", "tables", "constraints",
        "indexes", "views", "materialized_views", "triggers", "policies", "grants",
        "default_privileges",
        "collations",
        "statistics",
        "rules",
    ) + ("text_search_dictionaries", "text_search_configurations", "operators", "operator_families",
         "operator_classes")

    def objects(self):
        """Every object, collection by collection, each sorted by key."""
        for coll in self.COLLECTIONS:
            items = getattr(self, coll)
            for k in sorted(items):
                yield items[k]

    def add(self, obj) -> None:
        """File `obj` under its collection by its key (replacing an equal key)."""
        getattr(self, collection_of(obj))[obj.key] = obj

    def path(self, obj) -> str:
        """Stable dotted path: public.users, public.users.idx_users_email, public.f(integer)."""
        return f"{self.name}.{obj.key}"


_COLLECTION_BY_CLASS = {
    Table: "tables", Constraint: "constraints", Index: "indexes", Trigger: "triggers",
    Policy: "policies", View: "views", MaterializedView: "materialized_views",
    Sequence: "sequences", Function: "functions", Aggregate: "aggregates",
    EnumType: "types", CompositeType: "types", RangeType: "types", Domain: "domains",
    Grant: "grants", DefaultPrivilege: "default_privileges",
    Collation: "collations",
    Statistics: "statistics",
    Rule: "rules",
}
_COLLECTION_BY_CLASS.update({
    TextSearchDictionary: "text_search_dictionaries", TextSearchConfiguration: "text_search_configurations",
    Operator: "operators", OperatorFamily: "operator_families", OperatorClass: "operator_classes",
})


def collection_of(obj) -> str:
    """Name of the `Schema` collection that holds objects like `obj`."""
    return _COLLECTION_BY_CLASS[type(obj)]


def ref_of(obj) -> str | None:
    """The dependency reference other objects use for `obj` ("relation:users"), if any."""
    if isinstance(obj, (Table, View, MaterializedView, Sequence, Index)):
        return f"relation:{obj.name}"
    if isinstance(obj, (EnumType, CompositeType, RangeType, Domain)):
        return f"type:{obj.name}"
    if isinstance(obj, (Function, Aggregate)):
        return f"function:{obj.name}"
    if isinstance(obj, Collation):
        return f"collation:{obj.name}"
    if isinstance(obj, TextSearchConfiguration):
        return f"tsconfig:{obj.name}"
    if isinstance(obj, TextSearchDictionary):
        return f"tsdict:{obj.name}"
    if isinstance(obj, Operator):
        return f"operator:{obj.name}"
    if isinstance(obj, (OperatorClass, OperatorFamily)):
        return f"{obj.kind}:{obj.name}"
    return None

"""CREATE TABLE and ALTER TABLE: columns, SERIAL sequences, constraints with implicit names, partitions."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import AlterTableType as AT
from pglast.enums import ConstrType as CT

from pgschema_tui.ddl.storage import default_storage, storage_keyword
from pgschema_tui.ddl.implicit_names import identity_sequence_name
from pgschema_tui.errors import UserError
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from pgschema_tui.parse import exprs, inherited, like
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.opclasses import drop_named_defaults
from pgschema_tui.parse.options import build_sequence_options, reloptions, sequence_options, value_of
from pgschema_tui.parse.registry import NotYet, handles
from pgschema_tui.parse.timezones import in_session_zone
from pgschema_tui.parse.typenames import SERIAL_TYPES, type_parts

_FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_ATTRIBUTE_CONSTRAINTS = (CT.CONSTR_ATTR_DEFERRABLE, CT.CONSTR_ATTR_NOT_DEFERRABLE,
                          CT.CONSTR_ATTR_DEFERRED, CT.CONSTR_ATTR_IMMEDIATE)


def _names(nodes) -> tuple[str, ...]:
    return tuple(n.sval for n in nodes or ())


# ------------------------------------------------------------------ columns ---


def _serial_type(type_name: ast.TypeName) -> str | None:
    schema, name = type_parts(type_name)
    if schema in (None, "pg_catalog") and name in SERIAL_TYPES and not type_name.arrayBounds:
        return SERIAL_TYPES[name]
    return None


def _identity(constraint: ast.Constraint, ctx: LoadContext, table: str, column: str,
              column_type: str) -> ir.Identity:
    options, rest = sequence_options(constraint.options, None, column_type, keep_data_type=False)
    return ir.Identity(always=constraint.generated_when == "a", options=options,
                       sequence_name=_identity_sequence_name(ctx, table, column, rest.get("sequence_name")))


def _identity_sequence_name(ctx: LoadContext, table: str, column: str, written) -> str | None:
    """The IR's `sequence_name` for SEQUENCE NAME `written` (None: PostgreSQL chooses, as for
    SERIAL); reserves the name so later implicit names step around it, as the catalog would."""
    if written is None:
        name = ctx.choose_relation_name(table, column, "seq")
    else:
        name = ctx.own_qualified(written)
        if name is None:  # PostgreSQL makes it OWNED BY <its schema>.<table>: "relation does not exist"
            where = ctx.statement.where if ctx.statement else "?"
            raise UserError(f"{where}: identity column {table}.{column}: SEQUENCE NAME "
                            f"{'.'.join(n.sval for n in written)} must be in the table's schema {ctx.target}")
        ctx.relation_names.add(name)
    return None if name == identity_sequence_name(table, column) else name


def _like_identities(ctx: LoadContext, table: str, columns: list[ir.Column]) -> list[ir.Column]:
    """LIKE ... INCLUDING IDENTITY makes new sequences, named after the new table."""
    return [replace(c, identity=replace(c.identity, sequence_name=_identity_sequence_name(ctx, table, c.name, None)))
            if c.identity is not None else c for c in columns]


_NOT_NULL_NAMES = "not_null_names"  # ctx.extras: table -> column -> NOT NULL constraint name written
_CREATED_UNDER = "created_under"  # ctx.extras: table -> the parents it was created with (PARTITION OF, INHERITS)
_LIKE_FROM = "like_from"  # ctx.extras: table -> column -> the table LIKE copied it from


def record_not_null_name(ctx: LoadContext, table: str, column: str, name: str) -> None:
    """`CONSTRAINT name NOT NULL`: PostgreSQL 18 keeps the name (older servers ignore it)."""
    ctx.extras.setdefault(_NOT_NULL_NAMES, {}).setdefault(table, {})[column] = name


def finish_not_null_names(ctx: LoadContext) -> None:
    """Every table's NOT NULL constraint names as PostgreSQL 18 would make them from the files,
    reduced to those the structure does not imply (`ddl/not_null.py`): a name written is kept;
    a table created with PARTITION OF / INHERITS takes its parent's name for a column the parent
    has NOT NULL, and LIKE copies the source's; anything else is `<table>_<column>_not_null`.
    ATTACH PARTITION renames nothing."""
    from pgschema_tui.ddl.not_null import implicit_not_null_name, not_null_columns, reduce_not_null_names

    written = ctx.extras.get(_NOT_NULL_NAMES, {})
    created_under = ctx.extras.get(_CREATED_UNDER, {})
    like_from = ctx.extras.get(_LIKE_FROM, {})
    schema = ctx.schema
    cache: dict[tuple[str, str], str] = {}

    def actual(table_name: str, column: str, seen: frozenset[str]) -> str:
        key = (table_name, column)
        if key not in cache:
            name = written.get(table_name, {}).get(column)
            if name is None:
                for parent in created_under.get(table_name, ()):
                    if parent in schema.tables and parent not in seen \
                            and column in not_null_columns(schema.tables[parent], schema):
                        name = actual(parent, column, seen | {table_name})
                        break
            source = like_from.get(table_name, {}).get(column)
            if name is None and source in schema.tables and source not in seen \
                    and column in not_null_columns(schema.tables[source], schema):
                name = actual(source, column, seen | {table_name})
            cache[key] = name or implicit_not_null_name(table_name, column)
        return cache[key]

    names = {t.name: {c: actual(t.name, c, frozenset()) for c in not_null_columns(t, schema)}
             for t in schema.tables.values()}
    reduce_not_null_names(schema, names)


def build_column(ctx: LoadContext, table: str, coldef: ast.ColumnDef,
                 pending: list) -> ir.Column:
    """An IR column from a ColumnDef; its inline constraints go to `pending` as (constraint, column)."""
    what = f"column {table}.{coldef.colname}"
    serial = _serial_type(coldef.typeName) if coldef.typeName else None
    deps: set[str] = set()
    column_type = serial or ctx.type_text(coldef.typeName, what)
    deps |= ctx.type_dep(coldef.typeName) if not serial else set()
    not_null = bool(coldef.is_not_null)
    default = generated = identity = None
    generated_stored = True
    if serial:
        seq_name = ctx.choose_relation_name(table, coldef.colname, "seq")
        ctx.schema.add(ir.Sequence(name=seq_name, options=build_sequence_options({}, serial, serial),
                                   owned_by=f"{table}.{coldef.colname}"))
        default = Expr(f"nextval({_regclass_literal(seq_name)}::regclass)")
        deps.add(f"relation:{seq_name}")
        not_null = True
    collation = None
    if coldef.collClause is not None:
        collation = ctx.sql_ref(coldef.collClause.collname)
    for constraint in coldef.constraints or ():
        kind = constraint.contype
        if kind == CT.CONSTR_NOTNULL:
            not_null = True
            if constraint.conname:
                record_not_null_name(ctx, table, coldef.colname, constraint.conname)
        elif kind == CT.CONSTR_NULL:
            pass
        elif kind == CT.CONSTR_DEFAULT:
            if serial is None and ctx.is_null_default(constraint.raw_expr, coldef.typeName):
                default = None  # PostgreSQL stores no default (context.is_null_default)
                continue
            default, refs = ctx.default_expr(_typed_literal(constraint.raw_expr, coldef.typeName))
            deps |= refs
        elif kind == CT.CONSTR_IDENTITY:
            identity = _identity(constraint, ctx, table, coldef.colname, column_type)
            not_null = True
        elif kind == CT.CONSTR_GENERATED:
            generated, refs = ctx.expr(constraint.raw_expr)
            generated_stored = constraint.generated_kind != "v"
            deps |= refs
        elif kind == CT.CONSTR_PRIMARY:
            not_null = True
            pending.append((constraint, coldef.colname))
        else:
            pending.append((constraint, coldef.colname))
    return ir.Column(name=coldef.colname, type=column_type, not_null=not_null, default=default,
                     identity=identity, generated=generated, generated_stored=generated_stored,
                     collation=collation, storage=column_storage(ctx, column_type, coldef.storage_name),
                     compression=column_compression(coldef.compression), depends_on=frozenset(deps))


def column_storage(ctx: LoadContext, column_type: str, written: str | None) -> str | None:
    """STORAGE x as the IR keeps it: None when it is the type's default (or DEFAULT, PostgreSQL 16)."""
    if not written or written.lower() == "default":
        return None
    keyword = storage_keyword(written)
    return None if keyword == default_storage(column_type, ctx.schema) else keyword


def column_compression(written: str | None) -> str | None:
    """COMPRESSION x: None for DEFAULT (attcompression '')."""
    return None if not written or written.lower() == "default" else written.lower()


def access_method(written: str | None) -> str | None:
    """USING am / SET ACCESS METHOD am: None for heap, the stock default_table_access_method."""
    return None if not written or written.lower() in ("heap", "default") else written


def _typed_literal(node, type_name: ast.TypeName | None):
    """A bare string default is stored cast to the column type (`'t'` → `'t'::boolean`)."""
    if type_name is not None and isinstance(node, ast.A_Const) and isinstance(node.val, ast.String) \
            and _serial_type(type_name) is None:
        return ast.TypeCast(arg=node, typeName=_without_length(type_name))
    return node


def _without_length(type_name: ast.TypeName) -> ast.TypeName:
    """A bare literal default is stored cast to the column's type without its typmod: PostgreSQL
    stores `varchar(128) DEFAULT ''` as `''::character varying`, `char(3)` as `::bpchar`,
    `numeric(20) DEFAULT '0'` as `'0'::numeric` and `bit(3)` as `::"bit"` (the typmod is applied
    on insert). Writing the typmod there would store another expression, and for `char(1)` cut the
    value. Only an interval's typmod (its fields) is part of the stored constant
    (`'1 day 3 hours'` on `interval day` is `'1 day'::interval day`), so it stays."""
    names = [getattr(n, "sval", None) for n in type_name.names or ()]
    if not type_name.typmods or names == ["pg_catalog", "interval"] or names == ["interval"]:
        return type_name
    if len(names) == 1:  # the grammar's own spellings are qualified; a bare name is a user type
        return type_name
    return ast.TypeName(names=type_name.names, arrayBounds=type_name.arrayBounds, setof=type_name.setof,
                        pct_type=type_name.pct_type)


def _regclass_literal(name: str) -> str:
    from pgschema_tui.ddl.quote import ident, literal

    return literal(ident(name))


# -------------------------------------------------------------- constraints ---


def _check_column(node) -> str | None:
    """The single column a CHECK expression uses (PostgreSQL names such checks tab_col_check)."""
    columns = {n.fields[-1].sval for n in exprs.walk(node)
               if isinstance(n, ast.ColumnRef) and isinstance(n.fields[-1], ast.String)}
    return next(iter(columns)) if len(columns) == 1 else None


def _apply_attributes(constraints) -> list[ast.Constraint]:
    """Fold DEFERRABLE/INITIALLY DEFERRED attribute nodes into the constraint before them."""
    result: list[ast.Constraint] = []
    for c in constraints:
        if c.contype in _ATTRIBUTE_CONSTRAINTS:
            if result:
                target = result[-1]
                if c.contype == CT.CONSTR_ATTR_DEFERRABLE:
                    target.deferrable = True
                elif c.contype == CT.CONSTR_ATTR_NOT_DEFERRABLE:
                    target.deferrable = False
                elif c.contype == CT.CONSTR_ATTR_DEFERRED:
                    target.initdeferred = True
                    target.deferrable = True
                else:
                    target.initdeferred = False
            continue
        result.append(c)
    return result


def build_constraint(ctx: LoadContext, table: str, c: ast.Constraint, column: str | None,
                     new_table: bool) -> ir.Constraint | None:
    """IR constraint for a column or table constraint; None for NOT NULL-style ones."""
    common = dict(deferrable=bool(c.deferrable), initially_deferred=bool(c.initdeferred))
    # PostgreSQL 18 temporal keys: the last key column is WITHOUT OVERLAPS / PERIOD (conperiod)
    temporal = bool(getattr(c, "without_overlaps", False) or getattr(c, "fk_with_period", False))
    if c.contype in (CT.CONSTR_PRIMARY, CT.CONSTR_UNIQUE):
        keys = _names(c.keys) or ((column,) if column else ())
        if c.indexname:
            raise ctx.unsupported(f"constraint on {table}", "USING INDEX")
        primary = c.contype == CT.CONSTR_PRIMARY
        name = c.conname or ctx.choose_constraint_index_name(
            table, None if primary else _index_addition([*keys, *_names(c.including)]), "pkey" if primary else "key")
        if c.conname:
            ctx.relation_names.add(name)
            ctx.constraint_names.add(name)
        return ir.Constraint(table=table, name=name, type="PRIMARY KEY" if primary else "UNIQUE",
                             columns=keys, include=_names(c.including),
                             nulls_not_distinct=bool(c.nulls_not_distinct),
                             index_options=reloptions(c.options), temporal=temporal, **common)
    if c.contype == CT.CONSTR_CHECK:
        check, refs = ctx.table_expr(c.raw_expr, table)
        name = c.conname or ctx.choose_constraint_name(table, _check_column(c.raw_expr), "check")
        ctx.constraint_names.add(name)
        return ir.Constraint(table=table, name=name, type="CHECK", check=check,
                             no_inherit=bool(c.is_no_inherit),
                             not_valid=bool(c.skip_validation) and not new_table,
                             depends_on=refs, **common)
    if c.contype == CT.CONSTR_FOREIGN:
        fk_columns = _names(c.fk_attrs) or ((column,) if column else ())
        name = c.conname or ctx.choose_constraint_name(table, _index_addition(list(fk_columns)), "fkey")
        ctx.constraint_names.add(name)
        if c.fk_del_set_cols:
            raise ctx.unsupported(f"constraint {name}", "ON DELETE SET NULL (columns)")
        pk = c.pktable
        return ir.Constraint(table=table, name=name, type="FOREIGN KEY", columns=fk_columns,
                             ref_table=ctx.sql_ref([pk.schemaname, pk.relname] if pk.schemaname else [pk.relname]),
                             ref_columns=_names(c.pk_attrs),
                             on_update=_FK_ACTIONS.get(c.fk_upd_action, "NO ACTION"),
                             on_delete=_FK_ACTIONS.get(c.fk_del_action, "NO ACTION"),
                             match_full=c.fk_matchtype == "f",
                             not_valid=bool(c.skip_validation) and not new_table, temporal=temporal,
                             depends_on=frozenset({"relation:" + ctx.raw_ref(pk.schemaname, pk.relname)}),
                             **common)
    if c.contype == CT.CONSTR_EXCLUSION:
        elements = [pair[0] for pair in c.exclusions]
        names = [e.name or "expr" for e in elements]
        name = c.conname or ctx.choose_constraint_index_name(table, _index_addition([*names, *_names(c.including)]),
                                                             "excl")
        if c.conname:
            ctx.relation_names.add(name)
            ctx.constraint_names.add(name)
        c.conname = None
        c.deferrable = c.initdeferred = False
        table_obj = ctx.schema.tables.get(table)
        if table_obj is not None:
            drop_named_defaults(ctx, c.access_method or "btree",
                                {col.name: col.type for col in inherited.all_columns(ctx, table_obj)}, elements)
        exclude, refs = ctx.expr(c, "exclude")
        return ir.Constraint(table=table, name=name, type="EXCLUDE", exclude=exclude,
                             include=_names(c.including), index_options=reloptions(c.options),
                             depends_on=refs, **common)
    if c.contype in (CT.CONSTR_NOTNULL, CT.CONSTR_NULL, CT.CONSTR_DEFAULT):
        return None
    raise ctx.unsupported(f"constraint on {table}", f"constraint type {c.contype.name}")


def _index_addition(names: list[str]) -> str:
    from pgschema_tui.parse.naming import index_column_names, index_name_addition

    return index_name_addition(index_column_names(names))


def add_constraint(ctx: LoadContext, table: ir.Table, constraint: ir.Constraint) -> ir.Table:
    """File a constraint; a primary key also makes its columns NOT NULL."""
    ctx.schema.add(constraint)
    if constraint.type == "PRIMARY KEY" and inherited.parents_of(ctx, table):
        for column in constraint.columns:
            amended = inherited.change_column(ctx, table, column, not_null=True)
            table = amended or table
        ctx.schema.add(table)
    elif constraint.type == "PRIMARY KEY" and any(col.name in constraint.columns and not col.not_null
                                                  for col in table.columns):
        columns = tuple(replace(col, not_null=True) if col.name in constraint.columns and not col.not_null else col
                        for col in table.columns)
        table = replace(table, columns=columns)
        ctx.schema.add(table)
    return table


# ------------------------------------------------------------- partitioning ---


def _partition_key(ctx: LoadContext, spec: ast.PartitionSpec) -> str:
    strategy = {"r": "RANGE", "l": "LIST", "h": "HASH"}[str(spec.strategy.value if hasattr(spec.strategy, "value")
                                                          else spec.strategy)]
    parts = []
    for elem in spec.partParams:
        if elem.name:
            from pgschema_tui.ddl.quote import ident

            text = ident(elem.name)
        else:
            expr, _ = ctx.expr(elem.expr)
            text = expr.text if isinstance(elem.expr, ast.FuncCall) else f"({expr.text})"
        if elem.collation:
            text += f" COLLATE {ctx.sql_ref(elem.collation)}"
        if elem.opclass:
            text += f" {ctx.sql_ref(elem.opclass)}"
        parts.append(text)
    from pgschema_tui.ir.normalize import MeaningText

    return MeaningText(f"{strategy} ({', '.join(parts)})", "partkey")


def _bound_datum(node, zone: str | None = None) -> str:
    """One bound value; `zone`: the session's time zone, for a `timestamptz` key's values."""
    if isinstance(node, ast.ColumnRef):
        return node.fields[-1].sval.upper()  # MINVALUE / MAXVALUE
    if isinstance(node, ast.A_Const):
        if node.isnull:
            return "NULL"
        value = node.val
        if isinstance(value, ast.String):
            text = in_session_zone(value.sval, zone) if zone else value.sval
            return "'" + text.replace("'", "''") + "'"
        return str(value_of(value)).lower() if isinstance(value, ast.Boolean) else str(value_of(value))
    if isinstance(node, ast.TypeCast):
        return _bound_datum(node.arg, zone)
    return exprs.deparse(node)


def partition_bound(spec: ast.PartitionBoundSpec, ctx: LoadContext | None = None,
                    parent: ir.Table | None = None) -> str:
    """The bound as `pg_get_expr(relpartbound)` prints it, comparing by meaning (time zones).

    Values of `timestamptz` key columns written with their own offset compare as moved into
    the session's zone (`parse/timezones.py`) when the plan command knows it; the text
    rendered keeps them as written, so the DDL does not depend on the applying session."""
    from pgschema_tui.ir.normalize import MeaningText

    zones: tuple[str | None, ...] = ()
    if ctx is not None and parent is not None and ctx.session.timezone:
        zones = tuple(ctx.session.timezone if t == "timestamp with time zone" else None
                      for t in _key_column_types(ctx, parent))
    return MeaningText(_bound_text(spec), "bound", compare_as=_bound_text(spec, zones) if zones else None)


def _key_column_types(ctx: LoadContext, parent: ir.Table) -> list[str | None]:
    """The type of each partition key column of `parent` (None for an expression)."""
    key = str(parent.partition_by or "")
    inner = key[key.find("(") + 1:key.rfind(")")] if "(" in key else ""
    if "(" in inner:  # expressions in the key: their types are not known here
        return []
    types = {c.name: c.type for c in inherited.all_columns(ctx, parent)}
    return [types.get(part.strip().strip('"')) for part in inner.split(",")]


def _bound_text(spec: ast.PartitionBoundSpec, zones: tuple[str | None, ...] = ()) -> str:
    def datums(values, zone_of=lambda i: zones[i] if i < len(zones) else None):
        return ", ".join(_bound_datum(d, zone_of(i)) for i, d in enumerate(values))

    if spec.is_default:
        return "DEFAULT"
    if spec.strategy == "h":
        return f"FOR VALUES WITH (modulus {spec.modulus}, remainder {spec.remainder})"
    if spec.strategy == "l":  # one key column, every value is of its type
        return f"FOR VALUES IN ({datums(spec.listdatums, lambda i: zones[0] if zones else None)})"
    return f"FOR VALUES FROM ({datums(spec.lowerdatums)}) TO ({datums(spec.upperdatums)})"


# ----------------------------------------------------------------- handlers ---


def _local_columns(inherited: tuple[ir.Column, ...], own: list[ir.Column]) -> tuple[ir.Column, ...]:
    """The child's own columns, as the catalog lists them (`attislocal`): inherited ones are not
    repeated, a column declared again is merged with the parent's (NOT NULL and, unless the child
    sets its own, the default are inherited)."""
    parent_columns = {c.name: c for c in inherited}
    local = []
    for col in own:
        parent = parent_columns.get(col.name)
        if parent is not None:
            default = col.default if col.default is not None or col.generated is not None else parent.default
            col = replace(col, not_null=col.not_null or parent.not_null, default=default,
                          storage=col.storage or parent.storage, compression=col.compression or parent.compression,
                          depends_on=col.depends_on | (parent.depends_on if default is parent.default else frozenset()))
        local.append(col)
    return tuple(local)


@handles(ast.CreateStmt)
def create_table(node: ast.CreateStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_name(node.relation)
    if name is None:
        return
    if node.if_not_exists and name in ctx.schema.tables:
        return
    if node.relation.relpersistence == "t":
        raise ctx.unsupported(f"table {name}", "TEMPORARY tables")
    if node.ofTypename is not None:
        raise ctx.unsupported(f"table {name}", "OF type")
    parents: list[ir.Table] = []
    for parent in node.inhRelations or ():
        parent_name = ctx.own_name(parent)
        if parent_name is None:
            raise ctx.unsupported(f"table {name}", "a parent table in another schema")
        parents.append(ctx.table(parent_name))  # NotYet until the parent exists
    ctx.relation_names.add(name)
    pending: list = []
    own_columns: list[ir.Column] = []
    table_constraints: list = []
    likes: list = []  # (source table, clause)
    for elt in node.tableElts or ():
        if isinstance(elt, ast.TableLikeClause):
            source = like.like_source(ctx, name, elt)
            likes.append((source, elt))
            copied = like.like_columns(ctx, source, elt)
            for col in copied:  # LIKE copies NOT NULL constraints with their names (PostgreSQL 18)
                ctx.extras.setdefault(_LIKE_FROM, {}).setdefault(name, {})[col.name] = source.name
            own_columns.extend(_like_identities(ctx, name, copied))
        elif isinstance(elt, ast.ColumnDef):
            if elt.typeName is None:  # PARTITION OF t (col WITH OPTIONS ...)
                own_columns.append(_options_only_column(ctx, name, elt, pending))
            else:
                own_columns.append(build_column(ctx, name, elt, pending))
        elif isinstance(elt, ast.Constraint):
            table_constraints.append(elt)
        else:
            raise ctx.unsupported(f"table {name}", type(elt).__name__)
    # PostgreSQL 18's table-level `[CONSTRAINT x] NOT NULL col`: the column is NOT NULL
    not_null_keys = [key for c in table_constraints if c.contype == CT.CONSTR_NOTNULL for key in _names(c.keys)]
    for c in table_constraints:
        if c.contype == CT.CONSTR_NOTNULL and c.conname:
            for key in _names(c.keys):
                record_not_null_name(ctx, name, key, c.conname)
    ctx.extras.setdefault(_CREATED_UNDER, {})[name] = tuple(p.name for p in parents)
    own_columns = [replace(col, not_null=True) if col.name in not_null_keys else col for col in own_columns]
    parent_columns = tuple(col for parent in parents for col in inherited.all_columns(ctx, parent))
    if node.partbound is not None:
        columns: tuple[ir.Column, ...] = ()  # a partition's columns all come from its parent
    else:
        columns = _local_columns(parent_columns, own_columns) if parents else tuple(own_columns)
    deps = set()
    for col in columns:
        deps |= col.depends_on
    table = ir.Table(
        name=name, columns=columns,
        partition_by=_partition_key(ctx, node.partspec) if node.partspec else None,
        partition_of=parents[0].name if node.partbound is not None else None,
        partition_bound=partition_bound(node.partbound, ctx, parents[0]) if node.partbound is not None else None,
        inherits=tuple(p.name for p in parents) if node.partbound is None else (),
        unlogged=node.relation.relpersistence == "u",
        options=reloptions(node.options),
        access_method=access_method(node.accessMethod),
        depends_on=frozenset(deps | {f"relation:{p.name}" for p in parents}),
    )
    table = _cast_generated(ctx, table)
    if node.partbound is not None:  # only the overridden columns are listed
        table = inherited.partition_columns(ctx, table, own_columns)
    ctx.schema.add(table)
    for key in not_null_keys:
        if table.column(key) is None or not table.column(key).not_null:  # an inherited column
            table = _replace_column(ctx, table, key, not_null=True)
    constraints = [(c, col) for c, col in _group_column_constraints(pending)]
    constraints += [(c, None) for c in _apply_attributes(table_constraints)]
    constraints = _without_redundant_keys(constraints)
    # PostgreSQL names CHECK constraints while creating the table, then index-backed ones, then
    # copies what LIKE clauses include, then adds FKs.
    order = {CT.CONSTR_CHECK: 0, CT.CONSTR_PRIMARY: 1, CT.CONSTR_UNIQUE: 1, CT.CONSTR_EXCLUSION: 1,
             CT.CONSTR_FOREIGN: 2}
    constraints.sort(key=lambda pair: order.get(pair[0].contype, 3))
    for c, col in constraints:
        if likes and order.get(c.contype, 3) >= 2:
            table = _expand_likes(ctx, table, likes)
            likes = []
        built = build_constraint(ctx, name, c, col, new_table=True)
        if built is not None:
            table = add_constraint(ctx, table, built)
    if likes:
        _expand_likes(ctx, table, likes)


def _expand_likes(ctx: LoadContext, table: ir.Table, likes: list) -> ir.Table:
    for source, clause in likes:
        for obj in like.like_constraints(ctx, table.name, source, clause):
            if isinstance(obj, ir.Constraint):
                table = add_constraint(ctx, table, obj)
            else:
                ctx.schema.add(obj)
    return table


def _column_types(table: ir.Table) -> dict[str, str]:
    return {c.name: c.type for c in table.columns}


def _with_casts(expression: Expr, column_types: dict[str, str], domain_bases: dict[str, str]) -> Expr:
    """Re-deparse `expression` with the implicit casts the catalog would print (numeric, domains)."""
    from pglast import parse_sql

    node = parse_sql(f"SELECT {expression.text}")[0].stmt.targetList[0].val
    before = exprs.deparse(node)
    exprs.cast_domain_columns(node, column_types, domain_bases)
    exprs.add_implicit_casts(node, column_types)
    after = exprs.deparse(node)
    return expression if after == before else Expr(after, expression.kind)


def _cast_generated(ctx: LoadContext, table: ir.Table) -> ir.Table:
    if all(c.generated is None for c in table.columns):
        return table
    types, bases = _column_types(table), ctx.domain_bases()
    columns = tuple(replace(c, generated=_with_casts(c.generated, types, bases)) if c.generated is not None else c
                    for c in table.columns)
    return replace(table, columns=columns)


def _without_redundant_keys(constraints: list) -> list:
    """CREATE TABLE keeps one index per identical PRIMARY KEY/UNIQUE spec (transformIndexConstraints):
    the primary key wins, a later duplicate only lends its name to an unnamed earlier one."""
    def signature(c, column):
        keys = _names(c.keys) or ((column,) if column else ())
        return keys, _names(c.including), bool(c.nulls_not_distinct), bool(c.deferrable), bool(c.initdeferred), \
            bool(getattr(c, "without_overlaps", False))

    index_kinds = (CT.CONSTR_PRIMARY, CT.CONSTR_UNIQUE)
    ordered = sorted(constraints, key=lambda pair: pair[0].contype != CT.CONSTR_PRIMARY)
    kept: dict[tuple, ast.Constraint] = {}
    dropped: set[int] = set()
    for c, column in ordered:
        if c.contype not in index_kinds:
            continue
        key = signature(c, column)
        prior = kept.get(key)
        if prior is None:
            kept[key] = c
            continue
        if prior.conname is None and c.conname:
            prior.conname = c.conname
        dropped.add(id(c))
    return [(c, column) for c, column in constraints if id(c) not in dropped]


def _group_column_constraints(pending):
    grouped: dict[str, list] = {}
    order: list[str] = []
    for constraint, column in pending:
        if column not in grouped:
            grouped[column] = []
            order.append(column)
        grouped[column].append(constraint)
    for column in order:
        for c in _apply_attributes(grouped[column]):
            yield c, column


def _options_only_column(ctx, table, coldef, pending) -> ir.Column:
    """`col WITH OPTIONS NOT NULL DEFAULT x` of a PARTITION OF table: merged into the parent's column."""
    default = None
    deps: frozenset[str] = frozenset()
    not_null = bool(coldef.is_not_null)
    for c in coldef.constraints or ():
        if c.contype == CT.CONSTR_NOTNULL:
            not_null = True
            if c.conname:
                record_not_null_name(ctx, table, coldef.colname, c.conname)
        elif c.contype == CT.CONSTR_DEFAULT:
            default, refs = ctx.default_expr(c.raw_expr)
            deps = frozenset(refs)
        elif c.contype == CT.CONSTR_PRIMARY:
            not_null = True
            pending.append((c, coldef.colname))
        else:
            pending.append((c, coldef.colname))
    return ir.Column(name=coldef.colname, type="", not_null=not_null, default=default, depends_on=deps)


# ------------------------------------------------------------- ALTER TABLE ---


def _replace_column(ctx: LoadContext, table: ir.Table, column_name: str, **changes) -> ir.Table:
    """Amend one column; on a child table it may be inherited and listed only while it overrides."""
    if inherited.parents_of(ctx, table):
        amended = inherited.change_column(ctx, table, column_name, **changes)
        if amended is None:
            raise NotYet(f"column {table.name}.{column_name}")
        ctx.schema.add(amended)
        return amended
    column = table.column(column_name)
    if column is None:
        raise NotYet(f"column {table.name}.{column_name}")
    if "depends_on" in changes:
        changes["depends_on"] = column.depends_on | changes["depends_on"]
    columns = tuple(replace(c, **changes) if c.name == column_name else c for c in table.columns)
    table = replace(table, columns=columns)
    ctx.schema.add(table)
    return table


def _alter_column_default(ctx, table, cmd):
    if cmd.def_ is None or ctx.is_null_default(cmd.def_, _column_type_name(ctx, table, cmd.name)):
        return _replace_column(ctx, table, cmd.name, default=None)
    default, refs = ctx.default_expr(cmd.def_)
    return _replace_column(ctx, table, cmd.name, default=default, depends_on=frozenset(refs))


def _column_type_name(ctx, table, column_name: str) -> ast.TypeName | None:
    """The TypeName of a column's (IR) type, None when the column is not known yet."""
    from pgschema_tui.parse.inherited import all_columns

    column = next((c for c in all_columns(ctx, table) if c.name == column_name), None)
    return exprs.type_name_node(column.type) if column is not None and column.type else None


def _add_identity(ctx, table, cmd):
    column = table.column(cmd.name)
    if column is None:
        raise NotYet(f"column {table.name}.{cmd.name}")
    identity = _identity(cmd.def_, ctx, table.name, cmd.name, column.type)
    return _replace_column(ctx, table, cmd.name, identity=identity, not_null=True)


def _set_identity(ctx, table, cmd):
    column = table.column(cmd.name)
    if column is None or column.identity is None:
        raise NotYet(f"identity column {table.name}.{cmd.name}")
    always = column.identity.always
    values = {}
    for opt in cmd.def_ or ():
        if opt.defname == "generated":  # SET GENERATED ALWAYS / BY DEFAULT
            always = value_of(opt.arg) in (ord("a"), "a")  # the grammar stores ATTRIBUTE_IDENTITY_ALWAYS as an int
        else:
            values[opt.defname] = value_of(opt.arg)
    options = column.identity.options
    merged = {"start": options.start, "increment": options.increment, "minvalue": options.min_value,
              "maxvalue": options.max_value, "cache": options.cache, "cycle": options.cycle}
    merged.update({k: v for k, v in values.items() if k in merged})
    merged = {k: v for k, v in merged.items() if v is not None}
    return _replace_column(ctx, table, cmd.name, identity=replace(
        column.identity, always=always,
        options=build_sequence_options(merged, None, column.type, keep_data_type=False)))


def _alter_column_type(ctx, table, cmd):
    coldef = cmd.def_
    column_type = ctx.type_text(coldef.typeName, f"column {table.name}.{cmd.name}")
    changes = dict(type=column_type, storage=None, compression=None)  # a new type resets both
    if coldef.collClause is not None:
        changes["collation"] = ctx.sql_ref(coldef.collClause.collname)
    return _replace_column(ctx, table, cmd.name, **changes)


def _column_type(ctx, table, name: str) -> str:
    column = next((c for c in inherited.all_columns(ctx, table) if c.name == name), None)
    if column is None:
        raise NotYet(f"column {table.name}.{name}")
    return column.type


def _set_storage(ctx, table, cmd):
    storage = column_storage(ctx, _column_type(ctx, table, cmd.name), cmd.def_.sval)
    return _replace_column(ctx, table, cmd.name, storage=storage)


def _set_compression(ctx, table, cmd):
    _column_type(ctx, table, cmd.name)
    return _replace_column(ctx, table, cmd.name, compression=column_compression(cmd.def_.sval))


def _add_column(ctx, table, cmd):
    pending: list = []
    column = build_column(ctx, table.name, cmd.def_, pending)
    if table.column(column.name) is not None:
        if cmd.missing_ok:
            return table
        raise ctx.unsupported(f"column {table.name}.{column.name}", "adding a column twice")
    table = replace(table, columns=table.columns + (column,), depends_on=table.depends_on | column.depends_on)
    ctx.schema.add(table)
    for c, col in _group_column_constraints(pending):
        built = build_constraint(ctx, table.name, c, col, new_table=False)
        if built is not None:
            table = add_constraint(ctx, table, built)
    return table


def _add_constraint(ctx, table, cmd):
    if cmd.def_.contype == CT.CONSTR_NOTNULL:  # PostgreSQL 18: ADD [CONSTRAINT x] NOT NULL col
        for key in _names(cmd.def_.keys):
            table = _replace_column(ctx, table, key, not_null=True)
            if cmd.def_.conname:
                record_not_null_name(ctx, table.name, key, cmd.def_.conname)
        return table
    # A foreign key's referenced table may come later: FK columns are resolved at the end.
    built = build_constraint(ctx, table.name, cmd.def_, None, new_table=False)
    if built is not None:
        table = add_constraint(ctx, table, built)
        if table.partition_by:
            absorb_partition_keys(ctx, table.name)
    return table


def _validate_constraint(ctx, table, cmd):
    key = f"{table.name}.{cmd.name}"
    con = ctx.schema.constraints.get(key)
    if con is None:
        raise NotYet(f"constraint {key}")
    ctx.schema.add(replace(con, not_valid=False))
    return table


def _drop_constraint(ctx, table, cmd):
    ctx.schema.constraints.pop(f"{table.name}.{cmd.name}", None)
    return table


def _drop_column(ctx, table, cmd):
    table = replace(table, columns=tuple(c for c in table.columns if c.name != cmd.name))
    ctx.schema.add(table)
    return table


def _attach_partition(ctx, table, cmd):
    child_name = ctx.own_name(cmd.def_.name)
    if child_name is None:
        raise ctx.unsupported(f"table {table.name}", "attaching a partition from another schema")
    child = ctx.table(child_name)
    # Once attached, a partition's columns all count as inherited (attislocal is cleared).
    child = replace(inherited.attach(ctx, child, table.name),
                    partition_bound=partition_bound(cmd.def_.bound, ctx, table),
                    depends_on=child.depends_on | {f"relation:{table.name}"})
    ctx.schema.add(child)
    absorb_partition_keys(ctx, table.name)
    return table


def _key_signature(con: ir.Constraint):
    return (con.type, con.columns, con.include, con.ref_table, con.ref_columns, con.on_update, con.on_delete,
            con.temporal)


def _index_signature(index: ir.Index):
    return (index.elements, index.unique, index.method, index.include, index.where, index.nulls_not_distinct)


def absorb_partition_keys(ctx: LoadContext, parent: str) -> None:
    """A partition's keys and indexes that match its parent's are attached to them and then
    belong to the parent (the catalog marks them as clones), so they leave the partition's IR."""
    children = [t.name for t in ctx.schema.tables.values() if t.partition_of == parent]
    if not children:
        return
    parent_keys = {_key_signature(c) for c in ctx.schema.constraints.values()
                   if c.table == parent and c.type in ("PRIMARY KEY", "UNIQUE", "FOREIGN KEY")}
    parent_indexes = {_index_signature(i) for i in ctx.schema.indexes.values() if i.table == parent}
    for key, con in list(ctx.schema.constraints.items()):
        if con.table in children and _key_signature(con) in parent_keys:
            del ctx.schema.constraints[key]
    for key, index in list(ctx.schema.indexes.items()):
        if index.table in children and _index_signature(index) in parent_indexes:
            del ctx.schema.indexes[key]


def _trigger_state(state: str):
    def apply(ctx, table, cmd):
        key = f"{table.name}.{cmd.name}"
        trigger = ctx.schema.triggers.get(key)
        if cmd.name is None:
            raise ctx.unsupported(f"table {table.name}", "ENABLE/DISABLE TRIGGER ALL/USER")
        if trigger is None:
            raise NotYet(f"trigger {key}")
        ctx.schema.add(replace(trigger, enabled=state))
        return table
    return apply


def _rule_state(ctx, table, cmd, state: str):
    rule = ctx.schema.rules.get(f"{table.name}.{cmd.name}")
    if rule is None:
        raise NotYet(f"rule {table.name}.{cmd.name}")
    ctx.schema.add(replace(rule, enabled=state))
    return table


def _all_triggers_state(state: str):
    """ENABLE/DISABLE TRIGGER ALL|USER: every user trigger the table has so far (the IR holds no
    internal ones, which ALL also switches)."""
    def apply(ctx, table, cmd):
        for trigger in list(ctx.schema.triggers.values()):
            if trigger.table == table.name:
                ctx.schema.add(replace(trigger, enabled=state))
        return table
    return apply


def _flag(**changes):
    def apply(ctx, table, cmd):
        table = replace(table, **changes)
        ctx.schema.add(table)
        return table
    return apply


def _set_options(ctx, table, cmd):
    table = replace(table, options=merge_reloptions(table.options, reloptions(cmd.def_)))
    ctx.schema.add(table)
    return table


def merge_reloptions(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    """ALTER ... SET (...): untouched options keep their place, the set ones go last (transformRelOptions)."""
    names = {o.split("=", 1)[0] for o in new}
    return tuple(o for o in old if o.split("=", 1)[0] not in names) + new


def _reset_options(ctx, table, cmd):
    names = {o.defname for o in cmd.def_ or ()}
    table = replace(table, options=tuple(o for o in table.options if o.split("=", 1)[0] not in names))
    ctx.schema.add(table)
    return table


def _ignore(ctx, table, cmd):
    return table


def _add_inherit(ctx, table, cmd):
    parent = ctx.own_name(cmd.def_)
    if parent is None:
        raise ctx.unsupported(f"table {table.name}", "a parent table in another schema")
    ctx.table(parent)
    table = replace(table, inherits=table.inherits + (parent,))
    ctx.schema.add(table)
    return table


_ALTER_TABLE = {
    AT.AT_AddColumn: _add_column,
    AT.AT_ColumnDefault: _alter_column_default,
    AT.AT_SetNotNull: lambda ctx, t, cmd: _replace_column(ctx, t, cmd.name, not_null=True),
    AT.AT_DropNotNull: lambda ctx, t, cmd: _replace_column(ctx, t, cmd.name, not_null=False),
    AT.AT_AlterColumnType: _alter_column_type,
    AT.AT_AddIdentity: _add_identity,
    AT.AT_SetIdentity: _set_identity,
    AT.AT_DropIdentity: lambda ctx, t, cmd: _replace_column(ctx, t, cmd.name, identity=None),
    AT.AT_AddConstraint: _add_constraint,
    AT.AT_ValidateConstraint: _validate_constraint,
    AT.AT_DropConstraint: _drop_constraint,
    AT.AT_DropColumn: _drop_column,
    AT.AT_AttachPartition: _attach_partition,
    AT.AT_EnableRowSecurity: _flag(rls_enabled=True),
    AT.AT_DisableRowSecurity: _flag(rls_enabled=False),
    AT.AT_ForceRowSecurity: _flag(rls_forced=True),
    AT.AT_NoForceRowSecurity: _flag(rls_forced=False),
    AT.AT_EnableTrig: _trigger_state("O"),
    AT.AT_DisableTrig: _trigger_state("D"),
    AT.AT_EnableAlwaysTrig: _trigger_state("A"),
    AT.AT_EnableReplicaTrig: _trigger_state("R"),
    AT.AT_EnableTrigAll: _all_triggers_state("O"), AT.AT_EnableTrigUser: _all_triggers_state("O"),
    AT.AT_DisableTrigAll: _all_triggers_state("D"), AT.AT_DisableTrigUser: _all_triggers_state("D"),
    AT.AT_SetRelOptions: _set_options,
    AT.AT_EnableRule: lambda ctx, t, cmd: _rule_state(ctx, t, cmd, "O"),
    AT.AT_DisableRule: lambda ctx, t, cmd: _rule_state(ctx, t, cmd, "D"),
    AT.AT_EnableAlwaysRule: lambda ctx, t, cmd: _rule_state(ctx, t, cmd, "A"),
    AT.AT_EnableReplicaRule: lambda ctx, t, cmd: _rule_state(ctx, t, cmd, "R"),
    AT.AT_ResetRelOptions: _reset_options,
    AT.AT_SetLogged: _flag(unlogged=False),
    AT.AT_SetUnLogged: _flag(unlogged=True),
    AT.AT_AddInherit: _add_inherit,
    AT.AT_SetStorage: _set_storage,
    AT.AT_SetCompression: _set_compression,
    AT.AT_SetAccessMethod: lambda ctx, t, cmd: _flag(access_method=access_method(cmd.name))(ctx, t, cmd),
    # Not part of the IR: ownership, tablespace and planner settings.
    AT.AT_ChangeOwner: _ignore, AT.AT_ClusterOn: _ignore, AT.AT_DropCluster: _ignore,
    AT.AT_ReplicaIdentity: _ignore, AT.AT_SetStatistics: _ignore,
    AT.AT_SetOptions: _ignore, AT.AT_ResetOptions: _ignore,
    AT.AT_SetTableSpace: _ignore,
}


def _alter_index(node: ast.AlterTableStmt, ctx: LoadContext, name: str) -> None:
    """ALTER INDEX parent_idx ATTACH PARTITION child_idx: the child's index becomes the parent's."""
    for cmd in node.cmds:
        if cmd.subtype == AT.AT_AttachPartition:
            child = ctx.own_name(cmd.def_.name)
            if child is None:
                continue
            ctx.schema.indexes.pop(child, None)
            for key, con in list(ctx.schema.constraints.items()):
                if con.name == child and con.type in ("PRIMARY KEY", "UNIQUE", "EXCLUDE"):
                    del ctx.schema.constraints[key]
        elif cmd.subtype == AT.AT_SetRelOptions:
            index = ctx.schema.indexes.get(name)
            if index is None:
                raise NotYet(f"index {name}")
            ctx.schema.add(replace(index, options=merge_reloptions(index.options, reloptions(cmd.def_))))


@handles(ast.AlterTableStmt)
def alter_table(node: ast.AlterTableStmt, ctx: LoadContext, stmt) -> None:
    from pglast.enums import ObjectType

    name = ctx.own_name(node.relation)
    if name is None:
        return
    kind = node.objtype
    if kind == ObjectType.OBJECT_INDEX:
        _alter_index(node, ctx, name)
        return
    if kind == ObjectType.OBJECT_SEQUENCE:
        return  # ALTER SEQUENCE ... OWNER: nothing for the IR
    if kind in (ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW):
        from pgschema_tui.parse.handlers.relations import alter_view

        alter_view(node, ctx, name)
        return
    if kind == ObjectType.OBJECT_TYPE:
        from pgschema_tui.parse.handlers.types import alter_composite

        alter_composite(node, ctx, name)
        return
    table = ctx.schema.tables.get(name)
    if table is None:
        if name in ctx.schema.sequences or name in ctx.schema.views or name in ctx.schema.materialized_views:
            return  # ALTER TABLE used on a sequence/view for ownership
        raise NotYet(f"table {name}")
    for cmd in node.cmds:
        action = _ALTER_TABLE.get(cmd.subtype)
        if action is None:
            raise ctx.unsupported(f"table {name}", f"ALTER TABLE {cmd.subtype.name[3:]}")
        table = action(ctx, table, cmd)

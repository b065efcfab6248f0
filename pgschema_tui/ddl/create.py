"""CREATE statements for every IR object: one renderer per IR class, one statement per string.

`render_create(obj, schema)` returns the statements that bring `obj` into existence in an
empty schema, without its comments (`ddl.comment`) and, for sequences, without OWNED BY
(`render_owned_by`, which must wait for the owning table). Same-schema names are
unqualified, so the text is valid in whichever schema `search_path` points at.

Constraints are always separate `ALTER TABLE ... ADD CONSTRAINT` statements, never inline in
CREATE TABLE: the diff engine needs exactly that form to add a constraint to an existing
table, so one renderer serves both, and foreign keys never make table creation order cyclic.
"""
from __future__ import annotations

from typing import Callable

from pgschema_tui.ddl.names import (
    column_list, key_signature, maybe_quoted, public_default_privilege, role, routine_signature, sql_ref,
    type_object_name,
)
from pgschema_tui.ddl.quote import dollar_quote, ident, literal
from pgschema_tui.ddl.reparse import is_one_group, keep_array_casts
from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import (
    Aggregate, Column, CompositeType, Constraint, DefaultPrivilege, Domain, EnumType, Function,
    Grant, Identity, Index, IndexElement, MaterializedView, Policy, RangeType, Schema, Sequence,
    SequenceOptions, Table, Trigger, View,
)

Renderer = Callable[[object, "Schema | None"], list[str]]
_RENDERERS: dict[type, Renderer] = {}


def renders(cls: type):
    """Register the decorated function as the CREATE renderer of IR class `cls`."""
    def register(fn: Renderer) -> Renderer:
        _RENDERERS[cls] = fn
        return fn
    return register


def render_create(obj, schema: Schema | None = None) -> list[str]:
    """Statements (each ending in ';') that create `obj`; `schema` gives the schema's name."""
    return _RENDERERS[type(obj)](obj, schema)


def _schema_name(schema: Schema | None) -> str:
    return schema.name if schema is not None else "public"


def _paren(text: str) -> str:
    """`(text)` unless text is already one parenthesised group."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")") and is_one_group(text):
        return text
    return f"({text})"


def sql(expression: Expr) -> str:
    """An IR expression's text, adjusted to parse back into the same tree (`ddl.reparse`)."""
    return keep_array_casts(expression.text)


def _with_options(options) -> str:
    return f" WITH ({', '.join(options)})" if options else ""


def _strip_semicolon(text: str) -> str:
    return text.strip().rstrip(";").rstrip()


# ------------------------------------------------------------- sequences ---


def sequence_options(opts: SequenceOptions, with_type: bool = True) -> list[str]:
    """The option clauses of CREATE SEQUENCE / identity columns that differ from the default."""
    parts = []
    if with_type and opts.data_type:
        parts.append(f"AS {opts.data_type}")
    if opts.start is not None:
        parts.append(f"START WITH {opts.start}")
    if opts.increment is not None:
        parts.append(f"INCREMENT BY {opts.increment}")
    if opts.min_value is not None:
        parts.append(f"MINVALUE {opts.min_value}")
    if opts.max_value is not None:
        parts.append(f"MAXVALUE {opts.max_value}")
    if opts.cache is not None:
        parts.append(f"CACHE {opts.cache}")
    if opts.cycle:
        parts.append("CYCLE")
    return parts


@renders(Sequence)
def _sequence(seq: Sequence, schema) -> list[str]:
    opts = sequence_options(seq.options)
    body = "".join(f"\n    {o}" for o in opts)
    return [f"CREATE SEQUENCE {ident(seq.name)}{body};"]


def render_owned_by(seq: Sequence) -> str | None:
    """`ALTER SEQUENCE s OWNED BY t.c;`, run once the owning table exists; None when unowned."""
    if not seq.owned_by:
        return None
    table, _, column = seq.owned_by.rpartition(".")
    return f"ALTER SEQUENCE {ident(seq.name)} OWNED BY {ident(table)}.{ident(column)};"


# ----------------------------------------------------------------- tables ---


def _identity(identity: Identity) -> str:
    when = "ALWAYS" if identity.always else "BY DEFAULT"
    opts = sequence_options(identity.options, with_type=False)
    if identity.sequence_name is not None:  # first, as pg_dump writes it
        opts.insert(0, f"SEQUENCE NAME {ident(identity.sequence_name)}")
    return f"GENERATED {when} AS IDENTITY" + (f" ({' '.join(opts)})" if opts else "")


def render_column(col: Column, not_null_name: str | None = None) -> str:
    """One column definition as in CREATE TABLE / ALTER TABLE ADD COLUMN; `not_null_name`: the
    NOT NULL constraint's name when it is not the implicit one (PostgreSQL 18 keeps it; the
    grammar of every supported version accepts it)."""
    parts = [ident(col.name), sql_ref(col.type)]
    if col.foreign_options:
        parts.append(f"OPTIONS ({generic_options(col.foreign_options)})")
    if col.compression:
        parts.append(f"COMPRESSION {ident(col.compression)}")
    if col.collation:
        parts.append(f"COLLATE {maybe_quoted(col.collation)}")
    if col.generated is not None:
        kind = "STORED" if col.generated_stored else "VIRTUAL"
        parts.append(f"GENERATED ALWAYS AS {_paren(sql(col.generated))} {kind}")
    elif col.identity is not None:
        parts.append(_identity(col.identity))
    if col.default is not None and col.generated is None:
        parts.append(f"DEFAULT {sql(col.default)}")
    if col.not_null:
        parts.append(f"CONSTRAINT {ident(not_null_name)} NOT NULL" if not_null_name else "NOT NULL")
    return " ".join(parts)


def parent_ref(name: str, schema: Schema | None) -> str:
    """A partition or inheritance parent: a raw name, or `schema.name` when it lives elsewhere."""
    if "." in name and not (schema is not None and name in schema.tables):
        parent_schema, _, parent = name.partition(".")
        return f"{ident(parent_schema)}.{ident(parent)}"
    return ident(name)


def _partition_column(col: Column, not_null_name: str | None = None) -> str:
    """A partition's override of an inherited column: only NOT NULL and DEFAULT may differ (and,
    on PostgreSQL 18, the NOT NULL constraint's name)."""
    text = ident(col.name)
    if col.default is not None:
        text += f" DEFAULT {sql(col.default)}"
    if col.not_null or not_null_name:
        text += f" CONSTRAINT {ident(not_null_name)} NOT NULL" if not_null_name else " NOT NULL"
    return text


def _inherited_overrides(table: Table) -> list[str]:
    """An inheritance child's own DEFAULT / NOT NULL on inherited columns, set after CREATE TABLE so
    the columns stay inherited (a column listed in CREATE TABLE ... INHERITS would become local)."""
    statements = []
    for col in table.columns:
        if not col.inherited:
            continue
        alter = f"ALTER TABLE {ident(table.name)} ALTER COLUMN {ident(col.name)}"
        if col.default is not None and col.generated is None:
            statements.append(f"{alter} SET DEFAULT {sql(col.default)};")
        if col.not_null:
            statements.append(f"{alter} SET NOT NULL;")
    return statements


def render_storage(table: str, col: Column) -> str | None:
    """`ALTER TABLE t ALTER COLUMN c SET STORAGE x;` for a column stored unlike its type's default.
    Separate, not inline: STORAGE in a column definition needs PostgreSQL 16, plans run on 14+."""
    if col.storage is None:
        return None
    return f"ALTER TABLE {ident(table)} ALTER COLUMN {ident(col.name)} SET STORAGE {col.storage};"


def generic_options(options: tuple[str, ...]) -> str:
    """A foreign table's or column's options ("key=value") as `key 'value', ...`."""
    return ", ".join(f"{ident(k)} {literal(v)}" for k, _, v in (o.partition("=") for o in options))


@renders(Table)
def _table(table: Table, schema) -> list[str]:
    head = "CREATE UNLOGGED TABLE" if table.unlogged else "CREATE TABLE"
    if table.foreign_server is not None:
        head = "CREATE FOREIGN TABLE"
    if table.partition_of:
        text = f"{head} {ident(table.name)} PARTITION OF {parent_ref(table.partition_of, schema)}"
        names = dict(table.not_null_names)
        overrides = [c for c in table.columns if c.not_null or c.default is not None or c.name in names]
        listed = {c.name for c in overrides}
        overrides += [Column(name=n, type="", not_null=True) for n in sorted(names) if n not in listed]
        if overrides:
            text += " (\n" + ",\n".join(f"    {_partition_column(c, names.get(c.name))}"
                                         for c in overrides) + "\n)"
        text += f" {table.partition_bound or 'DEFAULT'}"
    else:
        names = dict(table.not_null_names)
        cols = ",\n".join(f"    {render_column(c, names.get(c.name))}" for c in table.columns if not c.inherited)
        text = f"{head} {ident(table.name)} (\n{cols}\n)" if cols else f"{head} {ident(table.name)} ()"
        if table.inherits:
            text += f"\nINHERITS ({', '.join(parent_ref(p, schema) for p in table.inherits)})"
    if table.partition_by:
        text += f"\nPARTITION BY {table.partition_by}"
    if table.access_method:
        text += f"\nUSING {ident(table.access_method)}"
    text += _with_options(table.options)
    if table.foreign_server is not None:
        text += f"\nSERVER {ident(table.foreign_server)}"
        if table.foreign_options:
            text += f"\nOPTIONS ({generic_options(table.foreign_options)})"
    statements = [text + ";"]
    if not table.partition_of:
        statements.extend(_inherited_overrides(table))
        statements.extend(s for c in table.columns if not c.inherited and (s := render_storage(table.name, c)))
    statements.extend(render_rls(table))
    return statements


def render_rls(table: Table) -> list[str]:
    """ENABLE/FORCE ROW LEVEL SECURITY statements for the table's flags."""
    out = []
    if table.rls_enabled:
        out.append(f"ALTER TABLE {ident(table.name)} ENABLE ROW LEVEL SECURITY;")
    if table.rls_forced:
        out.append(f"ALTER TABLE {ident(table.name)} FORCE ROW LEVEL SECURITY;")
    return out


def _deferral(deferrable: bool, initially_deferred: bool) -> str:
    if not deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if initially_deferred else " DEFERRABLE"


def _key_columns(columns: tuple[str, ...], temporal: bool, period_keyword: str) -> str:
    """A key's column list; a temporal key marks its last column (`b WITHOUT OVERLAPS`, `PERIOD b`)."""
    if not temporal or not columns:
        return column_list(columns)
    last = ident(columns[-1])
    last = f"{last} {period_keyword}" if period_keyword == "WITHOUT OVERLAPS" else f"{period_keyword} {last}"
    return "(" + ", ".join([*(ident(c) for c in columns[:-1]), last]) + ")"


def constraint_definition(con: Constraint) -> str:
    """The constraint clause after `ADD CONSTRAINT name` (also usable inline)."""
    if con.type == "CHECK":
        text = f"CHECK {_paren(sql(con.check) if con.check else 'true')}"
        if con.no_inherit:
            text += " NO INHERIT"
    elif con.type in ("PRIMARY KEY", "UNIQUE"):
        text = con.type
        if con.nulls_not_distinct:
            text += " NULLS NOT DISTINCT"
        text += f" {_key_columns(con.columns, con.temporal, 'WITHOUT OVERLAPS')}"
        if con.include:
            text += f" INCLUDE {column_list(con.include)}"
        text += _with_options(con.index_options)
        text += _deferral(con.deferrable, con.initially_deferred)
    elif con.type == "FOREIGN KEY":
        text = f"FOREIGN KEY {_key_columns(con.columns, con.temporal, 'PERIOD')} " \
               f"REFERENCES {sql_ref(con.ref_table or '')}"
        if con.ref_columns:
            text += _key_columns(con.ref_columns, con.temporal, "PERIOD")
        if con.match_full:
            text += " MATCH FULL"
        if con.on_update != "NO ACTION":
            text += f" ON UPDATE {con.on_update}"
        if con.on_delete != "NO ACTION":
            text += f" ON DELETE {con.on_delete}"
        text += _deferral(con.deferrable, con.initially_deferred)
    elif con.type == "EXCLUDE":
        text = sql(con.exclude) if con.exclude else ""
        text += _deferral(con.deferrable, con.initially_deferred)
    else:
        raise ValueError(f"unknown constraint type {con.type!r} on {con.key}")
    if con.not_valid:
        text += " NOT VALID"
    return text


@renders(Constraint)
def _constraint(con: Constraint, schema) -> list[str]:
    return [f"ALTER TABLE {ident(con.table)} ADD CONSTRAINT {ident(con.name)} {constraint_definition(con)};"]


# ---------------------------------------------------------------- indexes ---


def _opclass_options(options: tuple[str, ...]) -> str:
    """`siglen=64` items as `siglen='64'`: a literal value parses whatever the parameter's type."""
    parts = []
    for item in options:
        name, _, value = item.partition("=")
        parts.append(f"{ident(name)}={literal(value)}")
    return ", ".join(parts)


def _index_element(elem: IndexElement) -> str:
    text = sql(elem.expression).strip()
    if elem.collation:
        text += f" COLLATE {maybe_quoted(elem.collation)}"
    if elem.opclass_options and not elem.opclass:
        raise ValueError(f"index key {text}: operator class parameters {elem.opclass_options} "
                         "need the operator class named (PostgreSQL takes no parameters without it)")
    if elem.opclass:
        text += f" {elem.opclass}"
        if elem.opclass_options:
            text += f" ({_opclass_options(elem.opclass_options)})"
    if elem.descending:
        text += " DESC"
    if elem.nulls_first is not None and elem.nulls_first != elem.descending:
        text += " NULLS FIRST" if elem.nulls_first else " NULLS LAST"
    return text


def index_definition(index: Index, concurrently: bool = False, if_not_exists: bool = False,
                     name: str | None = None) -> str:
    """CREATE INDEX text; the planner's online rewrites pass `concurrently`/`if_not_exists`."""
    head = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
    if concurrently:
        head += " CONCURRENTLY"
    if if_not_exists:
        head += " IF NOT EXISTS"
    elems = ", ".join(_index_element(e) for e in index.elements)
    text = f"{head} {ident(name or index.name)} ON {ident(index.table)} USING {index.method} ({elems})"
    if index.include:
        text += f" INCLUDE {column_list(index.include)}"
    if index.nulls_not_distinct:
        text += " NULLS NOT DISTINCT"
    text += _with_options(index.options)
    if index.where is not None:
        text += f" WHERE {_paren(sql(index.where))}"
    return text + ";"


@renders(Index)
def _index(index: Index, schema) -> list[str]:
    return [index_definition(index)]


# --------------------------------------------------------------- triggers ---


def _trigger_events(trg: Trigger) -> str:
    parts = []
    for event in trg.events:
        if event == "UPDATE" and trg.update_columns:
            parts.append("UPDATE OF " + ", ".join(ident(c) for c in trg.update_columns))
        else:
            parts.append(event)
    return " OR ".join(parts)


@renders(Trigger)
def _trigger(trg: Trigger, schema) -> list[str]:
    head = "CREATE CONSTRAINT TRIGGER" if trg.constraint else "CREATE TRIGGER"
    text = f"{head} {ident(trg.name)} {trg.timing} {_trigger_events(trg)} ON {ident(trg.table)}"
    if trg.from_table:
        text += f" FROM {sql_ref(trg.from_table)}"
    if trg.constraint:
        text += _deferral(trg.deferrable, trg.initially_deferred) or " NOT DEFERRABLE"
    referencing = []
    if trg.old_table:
        referencing.append(f"OLD TABLE AS {ident(trg.old_table)}")
    if trg.new_table:
        referencing.append(f"NEW TABLE AS {ident(trg.new_table)}")
    if referencing:
        text += " REFERENCING " + " ".join(referencing)
    text += " FOR EACH ROW" if trg.for_each_row else " FOR EACH STATEMENT"
    if trg.when is not None:
        text += f" WHEN {_paren(sql(trg.when))}"
    args = ", ".join(literal(a) for a in trg.arguments)
    text += f" EXECUTE FUNCTION {sql_ref(trg.function)}({args});"
    out = [text]
    state = render_trigger_state(trg)
    if state:
        out.append(state)
    return out


def render_trigger_state(trg: Trigger) -> str | None:
    """`ALTER TABLE ... {DISABLE | ENABLE REPLICA | ENABLE ALWAYS} TRIGGER` for a non-default state."""
    action = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}.get(trg.enabled)
    if action is None:
        return None
    return f"ALTER TABLE {ident(trg.table)} {action} TRIGGER {ident(trg.name)};"


# --------------------------------------------------------------- policies ---


@renders(Policy)
def _policy(pol: Policy, schema) -> list[str]:
    text = f"CREATE POLICY {ident(pol.name)} ON {ident(pol.table)}"
    if not pol.permissive:
        text += " AS RESTRICTIVE"
    if pol.command != "ALL":
        text += f" FOR {pol.command}"
    text += " TO " + ", ".join(role(r) for r in (pol.roles or ("PUBLIC",)))
    if pol.using is not None:
        text += f" USING {_paren(sql(pol.using))}"
    if pol.with_check is not None:
        text += f" WITH CHECK {_paren(sql(pol.with_check))}"
    return [text + ";"]


# ------------------------------------------------------------------ views ---


@renders(View)
def _view(view: View, schema) -> list[str]:
    options = [o for o in view.options if not o.startswith("check_option=")]
    text = f"CREATE OR REPLACE VIEW {ident(view.name)}{_with_options(options)} AS\n"
    text += _strip_semicolon(sql(view.query))
    if view.check_option:
        text += f"\n  WITH {view.check_option.upper()} CHECK OPTION"
    return [text + ";"]


@renders(MaterializedView)
def _materialized_view(mv: MaterializedView, schema) -> list[str]:
    text = f"CREATE MATERIALIZED VIEW {ident(mv.name)}{_with_options(mv.options)} AS\n"
    text += _strip_semicolon(sql(mv.query))
    text += "\n  WITH DATA;" if mv.with_data else "\n  WITH NO DATA;"
    return [text]


# --------------------------------------------------------------- routines ---

_LIST_SETTINGS = frozenset({"search_path", "temp_tablespaces", "session_preload_libraries",
                            "local_preload_libraries", "shared_preload_libraries"})


def render_setting(config: str) -> str:
    """A proconfig entry "name=value" as the `SET name TO value` clause of CREATE FUNCTION."""
    name, _, value = config.partition("=")
    if name in _LIST_SETTINGS:
        items = [v.strip() for v in value.split(",") if v.strip()]
        items = [v[1:-1].replace('""', '"') if v.startswith('"') and v.endswith('"') else v for v in items]
        return f"SET {name} TO " + ", ".join(literal(v) for v in items)
    return f"SET {name} TO {literal(value)}"


def _argument(arg) -> str:
    parts = []
    if arg.mode not in ("IN",):
        parts.append(arg.mode)
    if arg.name:
        parts.append(ident(arg.name))
    parts.append(sql_ref(arg.type))
    text = " ".join(parts)
    if arg.default is not None:
        text += f" DEFAULT {sql(arg.default)}"
    return text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


@renders(Function)
def _function(fn: Function, schema) -> list[str]:
    args = ", ".join(_argument(a) for a in fn.arguments if a.mode != "TABLE")
    kind = "PROCEDURE" if fn.is_procedure else "FUNCTION"
    text = f"CREATE OR REPLACE {kind} {ident(fn.name)}({args})"
    if not fn.is_procedure and fn.returns:
        text += f"\n    RETURNS {fn.returns}"
    attrs = [f"LANGUAGE {maybe_quoted(fn.language)}"]
    if not fn.is_procedure:
        if fn.is_window:
            attrs.append("WINDOW")
        if fn.volatility != "VOLATILE":
            attrs.append(fn.volatility)
        if fn.strict:
            attrs.append("STRICT")
    if fn.security_definer:
        attrs.append("SECURITY DEFINER")
    if not fn.is_procedure:
        if fn.leakproof:
            attrs.append("LEAKPROOF")
        if fn.parallel != "UNSAFE":
            attrs.append(f"PARALLEL {fn.parallel}")
        if fn.cost is not None:
            attrs.append(f"COST {_number(fn.cost)}")
        if fn.rows is not None:
            attrs.append(f"ROWS {_number(fn.rows)}")
    text += "\n    " + " ".join(attrs)
    for setting in fn.config:
        text += f"\n    {render_setting(setting)}"
    if fn.sql_body:
        text += f"\n{_strip_semicolon(fn.body)}"
    elif fn.library is not None:  # LANGUAGE c: the object file, then the link symbol
        text += f"\n    AS {literal(fn.library)}, {literal(fn.body)}"
    elif fn.language == "internal":  # the name of a built-in C function, like pg_dump writes it
        text += f"\n    AS {literal(fn.body)}"
    else:
        text += f"\n    AS {dollar_quote(fn.body)}"
    return [*shell_types(fn, schema), text + ";"]


def shell_types(fn: Function, schema: Schema | None) -> list[str]:
    """`CREATE TYPE r;` for each range type of `schema` whose CANONICAL function is `fn`.

    A canonical function takes and returns its range type, and the range type names the
    function: PostgreSQL breaks that cycle with a shell type, created just before the function
    and filled in by `CREATE TYPE r AS RANGE`. Without a schema (an existing function being
    replaced in place) there is nothing to announce.
    """
    if schema is None or not fn.arguments:
        return []
    own_name = ident(fn.name)
    argument_types = {a.type for a in fn.arguments}
    return [f"CREATE TYPE {ident(typ.name)};" for typ in schema.types.values()
            if isinstance(typ, RangeType) and typ.canonical == own_name and ident(typ.name) in argument_types]


@renders(Aggregate)
def _aggregate(agg: Aggregate, schema) -> list[str]:
    options = [f"SFUNC = {sql_ref(agg.sfunc)}", f"STYPE = {sql_ref(agg.stype)}"]
    if agg.sspace is not None:
        options.append(f"SSPACE = {agg.sspace}")
    if agg.finalfunc:
        options.append(f"FINALFUNC = {sql_ref(agg.finalfunc)}")
    if agg.finalfunc_extra:
        options.append("FINALFUNC_EXTRA")
    if agg.finalfunc_modify:
        options.append(f"FINALFUNC_MODIFY = {agg.finalfunc_modify}")
    for label, value in (("COMBINEFUNC", agg.combinefunc), ("SERIALFUNC", agg.serialfunc),
                         ("DESERIALFUNC", agg.deserialfunc)):
        if value:
            options.append(f"{label} = {sql_ref(value)}")
    if agg.initcond is not None:
        options.append(f"INITCOND = {literal(agg.initcond)}")
    for label, value in (("MSFUNC", agg.msfunc), ("MINVFUNC", agg.minvfunc), ("MSTYPE", agg.mstype),
                         ("MFINALFUNC", agg.mfinalfunc)):
        if value:
            options.append(f"{label} = {sql_ref(value)}")
    if agg.minitcond is not None:
        options.append(f"MINITCOND = {literal(agg.minitcond)}")
    if agg.sortop:
        options.append(f"SORTOP = {agg.sortop}")
    if agg.parallel != "UNSAFE":
        options.append(f"PARALLEL = {agg.parallel}")
    if agg.hypothetical:
        options.append("HYPOTHETICAL")
    body = ",\n    ".join(options)
    return [f"CREATE AGGREGATE {routine_signature(agg)} (\n    {body}\n);"]


# ------------------------------------------------------------------ types ---


@renders(EnumType)
def _enum(typ: EnumType, schema) -> list[str]:
    labels = ", ".join(literal(label) for label in typ.labels)
    return [f"CREATE TYPE {ident(typ.name)} AS ENUM ({labels});"]


@renders(CompositeType)
def _composite(typ: CompositeType, schema) -> list[str]:
    attrs = []
    for attr in typ.attributes:
        text = f"{ident(attr.name)} {sql_ref(attr.type)}"
        if attr.collation:
            text += f" COLLATE {maybe_quoted(attr.collation)}"
        attrs.append(text)
    body = ",\n".join(f"    {a}" for a in attrs)
    return [f"CREATE TYPE {ident(typ.name)} AS (\n{body}\n);" if attrs else f"CREATE TYPE {ident(typ.name)} AS ();"]


@renders(RangeType)
def _range(typ: RangeType, schema) -> list[str]:
    options = [f"SUBTYPE = {sql_ref(typ.subtype)}"]
    if typ.subtype_opclass:
        options.append(f"SUBTYPE_OPCLASS = {typ.subtype_opclass}")
    if typ.collation:
        options.append(f"COLLATION = {maybe_quoted(typ.collation)}")
    if typ.canonical:
        options.append(f"CANONICAL = {sql_ref(typ.canonical)}")
    if typ.subtype_diff:
        options.append(f"SUBTYPE_DIFF = {sql_ref(typ.subtype_diff)}")
    if typ.multirange_name:
        options.append(f"MULTIRANGE_TYPE_NAME = {ident(typ.multirange_name)}")
    return [f"CREATE TYPE {ident(typ.name)} AS RANGE ({', '.join(options)});"]


@renders(Domain)
def _domain(dom: Domain, schema) -> list[str]:
    text = f"CREATE DOMAIN {ident(dom.name)} AS {sql_ref(dom.base_type)}"
    if dom.collation:
        text += f" COLLATE {maybe_quoted(dom.collation)}"
    if dom.default is not None:
        text += f" DEFAULT {sql(dom.default)}"
    named_not_null = any(c.check is None for c in dom.constraints)
    if dom.not_null and not named_not_null:
        text += " NOT NULL"
    later = []
    for con in dom.constraints:
        clause = "NOT NULL" if con.check is None else f"CHECK {_paren(sql(con.check))}"
        if con.not_valid:  # NOT VALID exists only in ALTER DOMAIN
            later.append(f"ALTER DOMAIN {type_object_name(dom.name)} ADD CONSTRAINT {ident(con.name)} {clause} NOT VALID;")
        else:
            text += f"\n    CONSTRAINT {ident(con.name)} {clause}"
    return [text + ";", *later]


# ------------------------------------------------------------- privileges ---


def grant_target(obj_type: str, object_name: str, schema: Schema | None) -> str:
    """`TABLE users`, `FUNCTION f(integer)`, `SCHEMA app` for a Grant's object."""
    if obj_type == "SCHEMA":
        return f"SCHEMA {ident(object_name or _schema_name(schema))}"
    if obj_type in ("FUNCTION", "PROCEDURE"):
        return f"{obj_type} {key_signature(object_name)}"
    if obj_type in ("TYPE", "DOMAIN"):
        return f"{obj_type} {type_object_name(object_name)}"
    return f"{obj_type} {ident(object_name)}"


def grant_privileges(grant: Grant) -> str:
    """`SELECT, UPDATE` or, for a column grant, `SELECT (a, b), UPDATE (a, b)`."""
    cols = f" {column_list(grant.columns)}" if grant.columns else ""
    return ", ".join(f"{p}{cols}" for p in grant.privileges)


@renders(Grant)
def _grant(grant: Grant, schema) -> list[str]:
    target = grant_target(grant.object_type, grant.object_name, schema)
    if grant.revoked_default:
        privilege = public_default_privilege(grant.object_type)
        return [f"REVOKE {privilege} ON {target} FROM {role(grant.grantee)};"]
    option = " WITH GRANT OPTION" if grant.grantable else ""
    return [f"GRANT {grant_privileges(grant)} ON {target} TO {role(grant.grantee)}{option};"]


def default_privilege_prefix(dp: DefaultPrivilege, schema: Schema | None) -> str:
    """`ALTER DEFAULT PRIVILEGES [FOR ROLE r] IN SCHEMA s` (the schema must be named here)."""
    text = "ALTER DEFAULT PRIVILEGES"
    if dp.for_role:
        text += f" FOR ROLE {ident(dp.for_role)}"
    return text + f" IN SCHEMA {ident(_schema_name(schema))}"


@renders(DefaultPrivilege)
def _default_privilege(dp: DefaultPrivilege, schema) -> list[str]:
    option = " WITH GRANT OPTION" if dp.grantable else ""
    return [f"{default_privilege_prefix(dp, schema)} GRANT {', '.join(dp.privileges)} ON {dp.object_type}"
            f" TO {role(dp.grantee)}{option};"]


# The kinds rendered in their own modules register themselves when imported.
from pgschema_tui.ddl import collations  # noqa: E402,F401
from pgschema_tui.ddl import statistics  # noqa: E402,F401
from pgschema_tui.ddl import rules  # noqa: E402,F401
from pgschema_tui.ddl import operators as _operators, textsearch as _textsearch  # noqa: E402,F401

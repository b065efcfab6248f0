"""CREATE INDEX, CREATE VIEW, CREATE MATERIALIZED VIEW and CREATE/ALTER SEQUENCE."""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import AlterTableType as AT
from pglast.enums import ObjectType, SortByDir, SortByNulls, ViewCheckOption

from pgschema_tui.ddl.quote import ident
from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from pgschema_tui.parse import exprs, inherited, rows
from pgschema_tui.parse.context import LoadContext
from pgschema_tui.parse.naming import index_column_names, index_name_addition
from pgschema_tui.parse.opclasses import drop_named_defaults, own_classes_used
from pgschema_tui.parse.options import reloptions, sequence_options, value_of
from pgschema_tui.parse.registry import NotYet, handles

# ------------------------------------------------------------------ indexes ---


def _element(ctx: LoadContext, elem: ast.IndexElem,
             table: str | None = None) -> tuple[ir.IndexElement, frozenset[str]]:
    refs: frozenset[str] = frozenset()
    if elem.name:
        text = ident(elem.name)
    else:  # with the casts PostgreSQL adds for the table's column types (domains...)
        expr, refs = ctx.table_expr(elem.expr, table) if table else ctx.expr(elem.expr)
        text = expr.text if isinstance(elem.expr, ast.FuncCall) else f"({expr.text})"
    descending = elem.ordering == SortByDir.SORTBY_DESC
    nulls_first = None
    if elem.nulls_ordering == SortByNulls.SORTBY_NULLS_FIRST and not descending:
        nulls_first = True
    elif elem.nulls_ordering == SortByNulls.SORTBY_NULLS_LAST and descending:
        nulls_first = False
    return ir.IndexElement(
        expression=Expr(text, "index_elem"),
        opclass=ctx.sql_ref(elem.opclass) if elem.opclass else None,
        collation=ctx.sql_ref(elem.collation) if elem.collation else None,
        descending=descending, nulls_first=nulls_first,
        # `gist_trgm_ops (siglen = 64)` → ("siglen=64",), as pg_attribute.attoptions holds it
        opclass_options=reloptions(elem.opclassopts)), refs


# Functions and operators whose result is text of their text inputs' collation (a
# whitelist: without a catalog the parser cannot know any other function's result type).
_TEXT_FUNCTIONS = frozenset({
    "lower", "upper", "initcap", "btrim", "ltrim", "rtrim", "substr", "substring", "replace", "left", "right",
    "lpad", "rpad", "concat", "concat_ws", "translate", "reverse", "repeat", "regexp_replace", "split_part",
    "normalize", "casefold", "unaccent", "coalesce", "nullif", "trim"})


def _derived_collation(node, columns: dict[str, ir.Column]) -> str | None:
    """The collation PostgreSQL derives for an index expression on columns with a non-default
    one (`lower(c)` on `c text COLLATE "C"`), which `pg_get_indexdef` then prints: the single
    non-default collation among the columns read, when the result is text."""
    if isinstance(node, ast.FuncCall):
        collatable = node.funcname[-1].sval in _TEXT_FUNCTIONS
    elif isinstance(node, ast.A_Expr):
        collatable = bool(node.name) and node.name[-1].sval == "||"
    else:
        collatable = isinstance(node, ast.CoalesceExpr)
    if not collatable:
        return None
    found = set()
    for n in exprs.walk(node):
        if isinstance(n, ast.CollateClause):
            return None  # an explicit COLLATE inside decides, and prints with the expression
        if isinstance(n, ast.ColumnRef) and isinstance(n.fields[-1], ast.String):
            column = columns.get(n.fields[-1].sval)
            if column is not None and column.collation:
                found.add(column.collation)
    return found.pop() if len(found) == 1 else None


@handles(ast.IndexStmt)
def create_index(node: ast.IndexStmt, ctx: LoadContext, stmt) -> None:
    table = ctx.own_name(node.relation)
    if table is None:
        return
    if table not in ctx.schema.tables and table not in ctx.schema.materialized_views:
        raise NotYet(f"table {table}")
    if node.if_not_exists and node.idxname and node.idxname in ctx.schema.indexes:
        return
    elements, deps = [], set()
    method = node.accessMethod or "btree"
    table_obj = ctx.schema.tables.get(table)
    # a partition's columns are its parent's; a materialized view's are not known here
    columns = {c.name: c for c in inherited.all_columns(ctx, table_obj)} if table_obj is not None else {}
    classes = own_classes_used(ctx, method, {name: c.type for name, c in columns.items()}, node.indexParams)
    drop_named_defaults(ctx, method, {name: c.type for name, c in columns.items()}, node.indexParams)
    deps |= classes
    for elem in node.indexParams:
        element, refs = _element(ctx, elem, table)
        if elem.name and element.collation is not None and elem.name in columns \
                and columns[elem.name].collation == element.collation:
            element = replace(element, collation=None)  # the column's own: pg_get_indexdef omits it
        if elem.expr is not None and element.collation is None and columns:
            derived = _derived_collation(elem.expr, columns)
            if derived:
                element = replace(element, collation=derived)
        elements.append(element)
        deps |= refs
    # PostgreSQL names an index after all its columns, INCLUDE ones too (t_a_b_idx)
    column_names = [e.name or exprs.figure_colname(e.expr)[0] or "expr"
                    for e in (*node.indexParams, *(node.indexIncludingParams or ()))]
    if node.idxname:
        name = node.idxname
        ctx.relation_names.add(name)
    else:
        addition = index_name_addition(index_column_names(column_names))
        name = ctx.choose_relation_name(table, addition, "idx")
    where = None
    if node.whereClause is not None:
        where, refs = ctx.table_expr(node.whereClause, table)
        deps |= refs
    ctx.schema.add(ir.Index(
        table=table, name=name, elements=tuple(elements), unique=bool(node.unique),
        method=method,
        include=tuple(e.name for e in node.indexIncludingParams or ()),
        where=where, options=reloptions(node.options),
        nulls_not_distinct=bool(node.nulls_not_distinct),
        depends_on=frozenset(deps | {f"relation:{table}"})))
    parent = ctx.schema.tables.get(table)
    if parent is not None and parent.partition_by:
        from pgschema_tui.parse.handlers.tables import absorb_partition_keys

        absorb_partition_keys(ctx, table)


# -------------------------------------------------------------------- views ---


def _relation_column_types(ctx: LoadContext, name: str) -> dict[str, str]:
    table = ctx.schema.tables.get(name)
    return {c.name: c.type for c in table.columns} if table else {}


def _cast_view_operands(ctx: LoadContext, select: ast.SelectStmt) -> None:
    """Add the numeric casts PostgreSQL stores for integer columns meeting numeric ones."""
    items: list = []
    if not all(_from_items(f, items) for f in select.fromClause or ()):
        return
    types: dict[str, str] = {}
    for refname, rangevar in items:
        for col, col_type in _relation_column_types(ctx, rangevar.relname).items():
            types[f"{refname}.{col}"] = col_type
            types[col] = col_type if col not in types else types[col]
    bases = ctx.domain_bases()
    for node in (select.targetList or ()) + tuple(select.sortClause or ()) + (
            (select.whereClause,) if select.whereClause is not None else ()):
        exprs.cast_domain_columns(node, types, bases)
        exprs.add_implicit_casts(node, types)


def _relation_columns(ctx: LoadContext, name: str) -> tuple[str, ...] | None:
    if name in ctx.schema.tables:
        return tuple(c.name for c in ctx.schema.tables[name].columns)
    for coll in (ctx.schema.views, ctx.schema.materialized_views):
        if name in coll and coll[name].columns:
            return coll[name].columns
    return None


def _from_items(node, out: list) -> bool:
    """Collect (refname, relname) of plain relations in a FROM clause; False if something else."""
    if isinstance(node, ast.RangeVar):
        out.append((node.alias.aliasname if node.alias else node.relname, node))
        return True
    if isinstance(node, ast.JoinExpr) and not node.usingClause and not node.isNatural:
        return _from_items(node.larg, out) and _from_items(node.rarg, out)
    return False


def _star_items(ctx: LoadContext, node, out: list) -> bool:
    """(refname, columns) of the FROM items a `*` expands over: relations of ours and aliased
    subqueries; False when one of them is something else (or not known yet)."""
    if isinstance(node, ast.RangeVar):
        columns = _relation_columns(ctx, node.relname) if ctx.is_target(node.schemaname) else None
        out.append((node.alias.aliasname if node.alias else node.relname,
                    _aliased(columns, node.alias)))
        return columns is not None
    if isinstance(node, ast.RangeSubselect) and node.alias is not None and isinstance(node.subquery, ast.SelectStmt):
        _expand_stars(ctx, node.subquery)
        out.append((node.alias.aliasname, _aliased(_output_columns(node.subquery), node.alias)))
        return True
    if isinstance(node, ast.JoinExpr) and not node.usingClause and not node.isNatural:
        return _star_items(ctx, node.larg, out) and _star_items(ctx, node.rarg, out)
    return False


def _aliased(columns, alias) -> tuple[str, ...] | None:
    """Columns renamed by `AS x(a, b)`: the names written first, then the rest as they were."""
    if columns is None or alias is None or not alias.colnames:
        return columns
    written = tuple(c.sval for c in alias.colnames)
    return written + tuple(columns[len(written):])


def _expand_stars(ctx: LoadContext, select: ast.SelectStmt) -> None:
    """Replace `*` and `t.*` by the column list, as pg_get_viewdef prints the stored query
    (in subqueries of FROM too, innermost first)."""
    if select.op and select.op.value != 0:
        _expand_stars(ctx, select.larg)
        _expand_stars(ctx, select.rarg)
        return
    items: list = []
    complete = all(_star_items(ctx, f, items) for f in select.fromClause or ())
    targets = select.targetList or ()
    if not complete or not any(isinstance(t.val, ast.ColumnRef) and isinstance(t.val.fields[-1], ast.A_Star)
                               for t in targets):
        return
    qualify = len(items) > 1
    expanded = []
    for target in targets:
        ref = target.val
        if not (isinstance(ref, ast.ColumnRef) and isinstance(ref.fields[-1], ast.A_Star)):
            expanded.append(target)
            continue
        wanted = ref.fields[-2].sval if len(ref.fields) > 1 else None
        for refname, columns in items:
            if wanted is not None and refname != wanted:
                continue
            for col in columns:
                fields = (ast.String(sval=refname), ast.String(sval=col)) if qualify else (ast.String(sval=col),)
                expanded.append(ast.ResTarget(val=ast.ColumnRef(fields=fields)))
    select.targetList = tuple(expanded)


def _scope_nodes(select: ast.SelectStmt):
    """Nodes of one SELECT level (not descending into nested SELECTs)."""
    roots = [getattr(select, a, None) for a in ("targetList", "whereClause", "groupClause", "havingClause",
                                                  "sortClause")]
    roots += [f for f in select.fromClause or ()]
    stack = []
    for root in roots:
        if isinstance(root, ast.Node):
            stack.append(root)
        elif isinstance(root, (list, tuple)):
            stack.extend(r for r in root if isinstance(r, ast.Node))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.SelectStmt, ast.RangeVar)):
            continue
        yield node
        stack.extend(exprs.children(node))


def _qualify_columns(ctx: LoadContext, select: ast.SelectStmt) -> None:
    """With several FROM relations pg_get_viewdef qualifies every column (`t.id`); do the same
    for unqualified columns that exactly one relation of the FROM clause has."""
    if select.op and select.op.value != 0:
        _qualify_columns(ctx, select.larg)
        _qualify_columns(ctx, select.rarg)
        return
    for n in exprs.walk(select):
        if isinstance(n, ast.SelectStmt) and n is not select and not (n.op and n.op.value != 0):
            _qualify_columns(ctx, n)
    items: list = []
    if not all(_from_items(f, items) for f in select.fromClause or ()) or len(items) < 2:
        return
    owners: dict[str, list[str]] = {}
    for refname, rangevar in items:
        if not ctx.is_target(rangevar.schemaname):
            return
        columns = _relation_columns(ctx, rangevar.relname)
        if columns is None:
            return
        for col in columns:
            owners.setdefault(col, []).append(refname)
    for node in _scope_nodes(select):
        if isinstance(node, ast.ColumnRef) and len(node.fields) == 1 and isinstance(node.fields[0], ast.String):
            refs = owners.get(node.fields[0].sval, [])
            if len(refs) == 1:
                node.fields = (ast.String(sval=refs[0]), node.fields[0])


def _output_columns(select) -> tuple[str, ...]:
    while select.op and select.op.value != 0:
        select = select.larg
    names = []
    for target in select.targetList or ():
        names.append(target.name or exprs.figure_colname(target.val)[0] or "?column?")
    return tuple(names)


def _apply_aliases(select, aliases: tuple[str, ...]) -> None:
    while select.op and select.op.value != 0:
        _apply_aliases(select.rarg, ())
        select = select.larg
    for target, alias in zip(select.targetList or (), aliases):
        target.name = alias


def _own_functions(ctx: LoadContext) -> dict[str, list[ir.Function]]:
    by_name: dict[str, list[ir.Function]] = {}
    for fn in ctx.schema.functions.values():
        if not fn.is_procedure:
            by_name.setdefault(fn.name, []).append(fn)
    return by_name


def _called(ctx: LoadContext, funcname, by_name: dict[str, list[ir.Function]]) -> list[ir.Function]:
    """The desired schema's functions a call by `funcname` may mean (none for other schemas)."""
    parts = [p.sval for p in funcname or ()]
    if not parts or len(parts) > 2 or (len(parts) == 2 and not ctx.is_target(parts[0])):
        return []
    return by_name.get(parts[-1], [])


def _inputs(fn: ir.Function) -> list[ir.Argument]:
    return [a for a in fn.arguments if a.mode in ("IN", "INOUT", "VARIADIC")]


def _accepts(fn: ir.Function, count: int) -> bool:
    inputs = _inputs(fn)
    required = next((i for i, a in enumerate(inputs) if a.default is not None), len(inputs))
    if inputs and inputs[-1].mode == "VARIADIC":
        return count >= required
    return required <= count <= len(inputs)


def _spread_variadic_calls(ctx: LoadContext, query, by_name) -> None:
    """`cat('-', a, b)` calling our `cat(sep text, VARIADIC parts text[])` is stored (and printed)
    as `cat('-', VARIADIC ARRAY[a, b])`; rewrite the call the same way. Only when exactly one of
    our functions of that name takes that many arguments (`VARIADIC "any"` stays as written)."""
    for node in exprs.walk(query):
        if not isinstance(node, ast.FuncCall) or node.func_variadic or node.agg_star or not node.args \
                or any(isinstance(a, ast.NamedArgExpr) for a in node.args):
            continue
        count = len(node.args)
        fits = [f for f in _called(ctx, node.funcname, by_name) if _accepts(f, count)]
        if len(fits) != 1:
            continue
        inputs = _inputs(fits[0])
        if inputs[-1].mode == "VARIADIC" and inputs[-1].type not in ('"any"', "any") and count >= len(inputs):
            exprs.spread_variadic(node, len(inputs) - 1)


def _type_relation_columns(ctx: LoadContext, type_text: str) -> tuple[str, ...] | None:
    """Columns of a row type of ours named as format_type prints it; None if not one of ours."""
    if type_text.startswith('"') and type_text.endswith('"'):
        name = type_text[1:-1].replace('""', '"')
    elif "." in type_text or '"' in type_text:
        return None
    else:
        name = type_text
    composite = ctx.schema.types.get(name)
    if isinstance(composite, ir.CompositeType):
        return tuple(a.name for a in composite.attributes)
    return _relation_columns(ctx, name)


def _result_columns(ctx: LoadContext, fn: ir.Function, refname: str) -> tuple[str, ...] | None:
    """Column names of `fn` in FROM: its OUT/TABLE arguments, a row type's columns, or for a
    scalar result the one column named like the FROM item."""
    outs = [a.name for a in fn.arguments if a.mode in ("OUT", "INOUT", "TABLE")]
    if outs:
        return tuple(outs) if all(outs) else None
    returns = fn.returns or ""
    base = returns[len("SETOF "):] if returns.startswith("SETOF ") else returns
    if base in ("record", "void", ""):
        return None
    columns = _type_relation_columns(ctx, base)
    if columns is not None:
        return columns or None
    if base in ctx.schema.types and not isinstance(ctx.schema.types[base], ir.EnumType):
        return None  # a type of ours the parser cannot see the shape of
    return (refname,)


def _alias_function_columns(ctx: LoadContext, query, by_name) -> None:
    """`FROM f() t` is stored with the columns of f's result: `f() t(a, b)` (`f() f(a, b)` without
    an alias); name them the same way for the functions of the desired schema."""
    for node in exprs.walk(query):
        if not isinstance(node, ast.RangeFunction) or node.is_rowsfrom or node.coldeflist \
                or len(node.functions or ()) != 1:
            continue
        call = node.functions[0][0]
        if not isinstance(call, ast.FuncCall):
            continue
        count = len(call.args or ())
        fits = [f for f in _called(ctx, call.funcname, by_name) if _accepts(f, count)]
        if len(fits) != 1:
            continue
        refname = node.alias.aliasname if node.alias else call.funcname[-1].sval
        columns = _result_columns(ctx, fits[0], refname)
        if columns is None:
            continue
        if node.ordinality:
            columns += ("ordinality",)
        exprs.add_column_aliases(node, refname, columns)


def _view_parts(ctx: LoadContext, query, aliases) -> tuple[Expr, tuple[str, ...], frozenset[str]]:
    if ctx.schema.functions and any(isinstance(n, ast.FuncCall) for n in exprs.walk(query)):
        by_name = _own_functions(ctx)
        _spread_variadic_calls(ctx, query, by_name)
        _alias_function_columns(ctx, query, by_name)
    rows.normalise_rows(ctx, query)
    rows.group_by_aliases(ctx, query)
    if isinstance(query, ast.SelectStmt):
        _expand_stars(ctx, query)
        _qualify_columns(ctx, query)
        if not (query.op and query.op.value != 0):
            _cast_view_operands(ctx, query)
        if aliases:
            _apply_aliases(query, aliases)
        columns = _output_columns(query)
    else:
        columns = ()
    text, refs = ctx.expr(query, "query")
    return text, columns, refs


def _split_check_option(options) -> tuple[tuple[str, ...], str | None]:
    check = None
    kept = []
    for opt in reloptions(options):
        key, _, value = opt.partition("=")
        if key == "check_option":
            check = value.upper()
        else:
            kept.append(opt)
    return tuple(kept), check


@handles(ast.ViewStmt)
def create_view(node: ast.ViewStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_name(node.view)
    if name is None:
        return
    if node.view.relpersistence == "t":
        raise ctx.unsupported(f"view {name}", "TEMPORARY views")
    if isinstance(node.query, ast.SelectStmt) and _has_unknown_star(ctx, node.query):
        raise NotYet(f"the relations of view {name}")
    query, columns, refs = _view_parts(ctx, node.query, tuple(a.sval for a in node.aliases or ()))
    options, check = _split_check_option(node.options)
    if node.withCheckOption == ViewCheckOption.LOCAL_CHECK_OPTION:
        check = "LOCAL"
    elif node.withCheckOption == ViewCheckOption.CASCADED_CHECK_OPTION:
        check = "CASCADED"
    ctx.relation_names.add(name)
    ctx.schema.add(ir.View(name=name, query=query, options=options, check_option=check,
                           columns=columns, depends_on=refs))


def _has_unknown_star(ctx: LoadContext, select) -> bool:
    """A `*` over a relation of ours that no statement has created yet (expand it once it exists)."""
    for n in exprs.walk(select):
        if isinstance(n, ast.SelectStmt) and any(
                isinstance(t.val, ast.ColumnRef) and isinstance(t.val.fields[-1], ast.A_Star)
                for t in n.targetList or ()):
            items: list = []
            if all(_from_items(f, items) for f in n.fromClause or ()):
                for _, rv in items:
                    if ctx.is_target(rv.schemaname) and _relation_columns(ctx, rv.relname) is None:
                        return True
    return False


@handles(ast.CreateTableAsStmt)
def create_materialized_view(node: ast.CreateTableAsStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_name(node.into.rel)
    if name is None:
        return
    if node.objtype != ObjectType.OBJECT_MATVIEW:
        raise ctx.unsupported(f"table {name}", "CREATE TABLE AS")
    if isinstance(node.query, ast.SelectStmt) and _has_unknown_star(ctx, node.query):
        raise NotYet(f"the relations of materialized view {name}")
    aliases = tuple(c.sval for c in node.into.colNames or ())
    query, columns, refs = _view_parts(ctx, node.query, aliases)
    ctx.relation_names.add(name)
    ctx.schema.add(ir.MaterializedView(name=name, query=query, options=reloptions(node.into.options),
                                       with_data=not node.into.skipData, columns=columns,
                                       depends_on=refs))


def alter_view(node: ast.AlterTableStmt, ctx: LoadContext, name: str) -> None:
    """ALTER VIEW / MATERIALIZED VIEW: options; ownership and the like are not part of the IR."""
    view = ctx.schema.views.get(name) or ctx.schema.materialized_views.get(name)
    if view is None:
        raise NotYet(f"view {name}")
    for cmd in node.cmds:
        if cmd.subtype == AT.AT_SetRelOptions:
            from pgschema_tui.parse.handlers.tables import merge_reloptions

            new_options, check = _split_check_option(cmd.def_)
            changes = {"options": merge_reloptions(view.options, new_options)}
            if check and isinstance(view, ir.View):
                changes["check_option"] = check
            view = replace(view, **changes)
        elif cmd.subtype in (AT.AT_ChangeOwner, AT.AT_ClusterOn, AT.AT_SetStatistics):
            continue
        else:
            raise ctx.unsupported(f"view {name}", f"ALTER VIEW {cmd.subtype.name[3:]}")
    ctx.schema.add(view)


# ---------------------------------------------------------------- sequences ---


def _owned_by(ctx: LoadContext, arg) -> str | None:
    parts = [p.sval for p in arg]
    if parts == ["none"]:
        return None
    if len(parts) == 3 and not ctx.is_target(parts[0]):
        return f"{parts[0]}.{parts[1]}.{parts[2]}"
    return f"{parts[-2]}.{parts[-1]}"


def _sequence_type(ctx: LoadContext, rest: dict, current: str | None) -> str | None:
    if "as" in rest:
        return ctx.type_text(rest["as"], "sequence type")
    return current


@handles(ast.CreateSeqStmt)
def create_sequence(node: ast.CreateSeqStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_name(node.sequence)
    if name is None:
        return
    if node.if_not_exists and name in ctx.schema.sequences:
        return
    _, rest = sequence_options(node.options, None)
    data_type = _sequence_type(ctx, rest, None)
    options, _ = sequence_options(node.options, data_type, data_type or "bigint")
    owned_by = _owned_by(ctx, rest["owned_by"]) if "owned_by" in rest else None
    ctx.relation_names.add(name)
    ctx.schema.add(ir.Sequence(name=name, options=options, owned_by=owned_by))


@handles(ast.AlterSeqStmt)
def alter_sequence(node: ast.AlterSeqStmt, ctx: LoadContext, stmt) -> None:
    name = ctx.own_name(node.sequence)
    if name is None:
        return
    sequence = ctx.schema.sequences.get(name)
    if sequence is None:
        raise NotYet(f"sequence {name}")
    _, rest = sequence_options(node.options, None)
    data_type = _sequence_type(ctx, rest, sequence.options.data_type)
    old = sequence.options
    values = {"start": old.start, "increment": old.increment, "minvalue": old.min_value,
              "maxvalue": old.max_value, "cache": old.cache, "cycle": old.cycle}
    for opt in node.options or ():
        if opt.defname in values:
            values[opt.defname] = value_of(opt.arg)
    from pgschema_tui.parse.options import build_sequence_options

    options = build_sequence_options({k: v for k, v in values.items() if v is not None},
                                     data_type, data_type or "bigint")
    owned_by = _owned_by(ctx, rest["owned_by"]) if "owned_by" in rest else sequence.owned_by
    ctx.schema.add(replace(sequence, options=options, owned_by=owned_by))

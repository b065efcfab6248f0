"""Default operator classes of the built-in types, so an index that names one explicitly
(`(email text_ops)`) reads like the catalog prints it: without it.

`pg_get_indexdef` leaves out an element's operator class when it is the default for the
column's type and access method, so a named default would otherwise differ on every plan and
rebuild the index. The table is PostgreSQL's own (`pg_opclass.opcdefault`, identical from 14
to 18 for these types); types it does not know keep whatever opclass the files name.
"""
from __future__ import annotations

from pgschema_tui.ddl.names import without_typmod
from pgschema_tui.ir import model as ir

DEFAULT_OPCLASSES: dict[str, dict[str, str]] = {
    "brin": {
        'anyrange': 'range_inclusion_ops', 'bigint': 'int8_minmax_ops', 'bit': 'bit_minmax_ops',
        'bit varying': 'varbit_minmax_ops', 'box': 'box_inclusion_ops', 'bytea': 'bytea_minmax_ops',
        'character': 'bpchar_minmax_ops', 'date': 'date_minmax_ops', 'double precision': 'float8_minmax_ops',
        'inet': 'inet_inclusion_ops', 'integer': 'int4_minmax_ops', 'interval': 'interval_minmax_ops',
        'macaddr': 'macaddr_minmax_ops', 'macaddr8': 'macaddr8_minmax_ops', 'numeric': 'numeric_minmax_ops',
        'real': 'float4_minmax_ops', 'smallint': 'int2_minmax_ops', 'text': 'text_minmax_ops',
        'time with time zone': 'timetz_minmax_ops', 'time without time zone': 'time_minmax_ops',
        'timestamp with time zone': 'timestamptz_minmax_ops',
        'timestamp without time zone': 'timestamp_minmax_ops', 'uuid': 'uuid_minmax_ops',
    },
    "btree": {
        'anyarray': 'array_ops', 'anyenum': 'enum_ops', 'anymultirange': 'multirange_ops',
        'anyrange': 'range_ops', 'bigint': 'int8_ops', 'bit': 'bit_ops', 'bit varying': 'varbit_ops',
        'boolean': 'bool_ops', 'bytea': 'bytea_ops', 'character': 'bpchar_ops', 'date': 'date_ops',
        'double precision': 'float8_ops', 'inet': 'inet_ops', 'integer': 'int4_ops',
        'interval': 'interval_ops', 'jsonb': 'jsonb_ops', 'macaddr': 'macaddr_ops',
        'macaddr8': 'macaddr8_ops', 'money': 'money_ops', 'numeric': 'numeric_ops', 'real': 'float4_ops',
        'smallint': 'int2_ops', 'text': 'text_ops', 'time with time zone': 'timetz_ops',
        'time without time zone': 'time_ops', 'timestamp with time zone': 'timestamptz_ops',
        'timestamp without time zone': 'timestamp_ops', 'tsquery': 'tsquery_ops', 'tsvector': 'tsvector_ops',
        'uuid': 'uuid_ops',
    },
    "gin": {
        'anyarray': 'array_ops', 'jsonb': 'jsonb_ops', 'tsvector': 'tsvector_ops',
    },
    "gist": {
        'anymultirange': 'multirange_ops', 'anyrange': 'range_ops', 'box': 'box_ops', 'circle': 'circle_ops',
        'point': 'point_ops', 'polygon': 'poly_ops', 'tsquery': 'tsquery_ops', 'tsvector': 'tsvector_ops',
    },
    "hash": {
        'anyarray': 'array_ops', 'anyenum': 'enum_ops', 'anymultirange': 'multirange_ops',
        'anyrange': 'range_ops', 'bigint': 'int8_ops', 'boolean': 'bool_ops', 'bytea': 'bytea_ops',
        'character': 'bpchar_ops', 'date': 'date_ops', 'double precision': 'float8_ops', 'inet': 'inet_ops',
        'integer': 'int4_ops', 'interval': 'interval_ops', 'jsonb': 'jsonb_ops', 'macaddr': 'macaddr_ops',
        'macaddr8': 'macaddr8_ops', 'numeric': 'numeric_ops', 'real': 'float4_ops', 'smallint': 'int2_ops',
        'text': 'text_ops', 'time with time zone': 'timetz_ops', 'time without time zone': 'time_ops',
        'timestamp with time zone': 'timestamptz_ops', 'timestamp without time zone': 'timestamp_ops',
        'uuid': 'uuid_ops',
    },
    "spgist": {
        'anyrange': 'range_ops', 'box': 'box_ops', 'inet': 'inet_ops', 'point': 'quad_point_ops',
        'polygon': 'poly_ops', 'text': 'text_ops',
    },
}

# binary-coercible types whose default is another type's opclass (GetDefaultOpClass), and
# the built-in range and multirange types, whose opclasses take the polymorphic type
_RANGES = ("int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange")
_COERCED = {"character varying": "text", "cidr": "inet", "bpchar": "character", '"bit"': "bit",
            **{r: "anyrange" for r in _RANGES}, **{r.replace("range", "multirange"): "anymultirange" for r in _RANGES}}
def _lookup_type(ctx, type_text: str) -> str:
    """The type an opclass is looked up by: domains resolved to their base (`LoadContext.
    domain_bases`, as the domain casts are), typmods removed, arrays, enums and ranges to the
    polymorphic type their opclasses take."""
    type_text = ctx.domain_bases().get(type_text, type_text)
    if type_text.endswith("]"):
        return "anyarray"
    base = without_typmod(type_text)
    user_type = ctx.schema.types.get(base)
    if isinstance(user_type, ir.EnumType):
        return "anyenum"
    if isinstance(user_type, ir.RangeType):
        return "anyrange"
    return _COERCED.get(base, base)


def is_default_opclass(ctx, method: str, column_type: str, opclass: str) -> bool:
    """Whether `opclass` (as written, maybe `pg_catalog.`-qualified) is what PostgreSQL would
    pick by itself for a `column_type` column in a `method` index (`ctx`: the LoadContext)."""
    name = opclass.removeprefix("pg_catalog.")
    own = ctx.schema.operator_classes.get(f"{name} USING {method}")  # a DEFAULT class of the files
    if own is not None:
        return own.default and own.type in (column_type, _lookup_type(ctx, column_type))
    return DEFAULT_OPCLASSES.get(method, {}).get(_lookup_type(ctx, column_type)) == name


def drop_named_defaults(ctx, method: str, column_types: dict[str, str], elements) -> None:
    """Clear the opclass of each IndexElem (of an index or an EXCLUDE) that names its column
    type's default one without parameters: `(t text_ops)` reads as the catalog prints it, `(t)`."""
    for elem in elements:
        if elem.opclass and elem.name in column_types and not elem.opclassopts \
                and is_default_opclass(ctx, method, column_types[elem.name], ctx.sql_ref(elem.opclass)):
            elem.opclass = None


def own_classes_used(ctx, method: str, column_types: dict[str, str], elements) -> set[str]:
    """`operator_class:<name>` of the files' own classes the index elements use: named, or the
    files' DEFAULT class for the column's type (which the catalog records as a dependency)."""
    refs = set()
    for elem in elements:
        if elem.opclass:
            refs.add(ctx.dep_ref("operator_class", elem.opclass))
        elif elem.name in column_types:
            for c in ctx.schema.operator_classes.values():
                if c.default and c.method == method and c.type in (column_types[elem.name],
                                                                   _lookup_type(ctx, column_types[elem.name])):
                    refs.add(f"operator_class:{c.name}")
    return refs

"""Which column type changes keep every value: a short list of known-safe widenings, and
everything else counts as lossy (fail closed).

`ALTER COLUMN ... TYPE` converts every existing row. A conversion is safe here only when every
value of the old type comes out of it unchanged and the conversion cannot fail: `integer` to
`bigint`, `varchar(20)` to `varchar(50)` or `text`, `numeric(10,2)` to `numeric(12,4)`,
`timestamp(3)` to `timestamp(6)`, `date` to `timestamp`... A conversion that rounds
(`bigint` to `double precision`, `float8` to `numeric`), cuts (`text` to `varchar(10)`),
rejects rows (`numeric(5,2)` from anything wider), reads the session's time zone
(`timestamptz` to `timestamp`, `timestamp` to `timestamptz`), drops a part (`timestamptz` to
`time` or `date`) or rewrites the text of a value (`json` to `jsonb`, `char(n)` to `text`),
and any type this table does not know (user types, domains, enums, ranges...), is lossy.

`lossy_reason(old, new)` returns why a conversion may change or lose values, or None when it
is known safe. `parse_type(text)` and `type_of(type_name_node)` give the `SqlType` of a
catalog spelling and of a parsed `TypeName`.
"""
from __future__ import annotations

from dataclasses import dataclass

_ALIASES = {
    "smallint": "int2", "integer": "int4", "int": "int4", "bigint": "int8", "real": "float4",
    "double precision": "float8", "float": "float8", "decimal": "numeric", "boolean": "bool",
    "character varying": "varchar", "character": "bpchar", "char": "bpchar",
    "timestamp with time zone": "timestamptz", "timestamp without time zone": "timestamp",
    "time with time zone": "timetz", "time without time zone": "time", "bit varying": "varbit",
}
_BUILTIN = frozenset({
    "int2", "int4", "int8", "float4", "float8", "numeric", "bool", "text", "varchar", "bpchar", "name",
    "timestamp", "timestamptz", "date", "time", "timetz", "interval", "uuid", "json", "jsonb", "bytea",
    "inet", "cidr", "macaddr", "macaddr8", "bit", "varbit", "money", "xml", "oid", "tsvector", "point",
})

_INT_BITS = {"int2": 16, "int4": 32, "int8": 64}
_INT_DIGITS = {"int2": 5, "int4": 10, "int8": 19}  # decimal digits of the largest value
_FLOAT_MANTISSA = {"float4": 24, "float8": 53}  # bits a float holds exactly
_PRECISION_TYPES = frozenset({"timestamp", "timestamptz", "time", "timetz"})
# types whose every value has one exact, session-independent text form (to text / varchar)
_EXACT_TEXT = frozenset({"int2", "int4", "int8", "numeric", "uuid", "varchar", "text", "json", "jsonb", "bool"})


# internal name -> the spelling format_type prints
_SPELLED = {
    "int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real", "float8": "double precision",
    "bool": "boolean", "varchar": "character varying", "bpchar": "character", "varbit": "bit varying",
    "timestamptz": "timestamp with time zone", "timestamp": "timestamp without time zone",
    "timetz": "time with time zone", "time": "time without time zone",
}


@dataclass(frozen=True)
class SqlType:
    """A column type, read from a catalog spelling or a parsed `TypeName` (the one reader of type
    spellings in plan/: hazards, SQL hazards and data checks all use it)."""

    name: str  # internal name of a built-in ("int8", "varchar"); else the name as written (`other.mood`)
    mods: tuple[int, ...] = ()  # type modifiers: (20,) for varchar(20), (20, 6) for numeric(20,6)
    dims: int = 0  # array dimensions
    builtin: bool = True

    def __str__(self) -> str:
        """As `format_type` spells it: `character varying(20)`, `timestamp(3) with time zone`, `integer[]`."""
        base = _SPELLED.get(self.name, self.name) if self.builtin else self.name
        mods = f"({','.join(str(m) for m in self.mods)})" if self.mods else ""
        if mods and base.endswith(" time zone"):
            head, _, zone = base.partition(" with")
            text = f"{head}{mods} with{zone}"
        else:
            text = base + mods
        return text + "[]" * self.dims


def type_of(type_name) -> SqlType | None:
    """The `SqlType` of a pglast `TypeName` node, or None when it cannot be read."""
    from pglast import ast

    if type_name is None or not type_name.names:
        return None
    names = [getattr(n, "sval", None) for n in type_name.names]
    if None in names:
        return None
    mods = []
    for mod in type_name.typmods or ():
        if isinstance(mod, ast.A_Const) and isinstance(mod.val, ast.Integer):
            mods.append(mod.val.ival)
        else:
            return None
    name = _ALIASES.get(names[-1], names[-1])
    builtin = (len(names) == 1 or names[0] == "pg_catalog") and name in _BUILTIN
    if not builtin:  # a type of another schema is another type than a same-named one here
        name = ".".join(names[1:] if names[0] == "pg_catalog" else names)
    return SqlType(name, tuple(mods), len(type_name.arrayBounds or ()), builtin)


def parse_type(text: str) -> SqlType | None:
    """The `SqlType` of a type as the catalog prints it (`numeric(20,6)`, `integer[]`)."""
    import pglast

    try:
        stmt = pglast.parse_sql(f"SELECT NULL::{text}")
        (target,) = stmt[0].stmt.targetList
        return type_of(target.val.typeName)
    except Exception:
        return None


def lossy_reason(old: SqlType | None, new: SqlType | None) -> str | None:
    """Why converting values of `old` to `new` may change or lose them; None when known safe."""
    if old is None or new is None:
        return "a type this tool cannot read: its conversion is not known to be safe"
    if old == new:
        return None
    if old.dims != new.dims:
        return "the array dimensions change"
    if not (old.builtin and new.builtin):
        return "a conversion between types outside the known-safe widenings"
    return None if _safe(old, new) else _why(old, new)


def _safe(old: SqlType, new: SqlType) -> bool:
    o, n = old.name, new.name
    if o in _INT_BITS:
        if n in _INT_BITS:
            return _INT_BITS[n] >= _INT_BITS[o]
        if n in _FLOAT_MANTISSA:
            return _INT_BITS[o] - 1 <= _FLOAT_MANTISSA[n]
        if n == "numeric":
            return not new.mods or _integer_digits(new) >= _INT_DIGITS[o]
    if (o, n) == ("float4", "float8"):
        return True  # every float4 is exactly a float8
    if o == n == "numeric":
        if not new.mods:
            return True
        if not old.mods:
            return False
        return _scale(new) >= _scale(old) and _integer_digits(new) >= _integer_digits(old)
    if n == "text" or (n == "varchar" and not new.mods):
        return o in _EXACT_TEXT
    if o == n == "varchar":
        return bool(old.mods) and new.mods[0] >= old.mods[0]
    if o == n == "bpchar":  # blank-padded: a longer length pads, values compare equal; bare bpchar
        return not new.mods or (bool(old.mods) and new.mods[0] >= old.mods[0])  # has no length limit
    if o == n and o in _PRECISION_TYPES:
        return not new.mods or (bool(old.mods) and new.mods[0] >= old.mods[0])
    if o == n == "interval":  # modifiers are fields and precision: only dropping them is safe
        return not new.mods
    if (o, n) == ("date", "timestamp"):
        return True
    if (o, n) in (("cidr", "inet"), ("jsonb", "json")):
        return True
    if o in ("bit", "varbit") and n == "varbit":
        return not new.mods or (bool(old.mods) and new.mods[0] >= old.mods[0])
    return False


def _scale(t: SqlType) -> int:
    return t.mods[1] if len(t.mods) > 1 else 0


def _integer_digits(t: SqlType) -> int:
    return t.mods[0] - _scale(t)


def _why(old: SqlType, new: SqlType) -> str:
    o, n = old.name, new.name
    if {o, n} == {"timestamp", "timestamptz"} or (o, n) == ("date", "timestamptz"):
        return "values are converted through the session's time zone"
    if o in ("timestamptz", "timestamp") and n in ("time", "timetz", "date"):
        return "the date or the time of day is dropped"
    if n in ("varchar", "bpchar", "bit", "varbit", "numeric") or n in _INT_BITS or n in _PRECISION_TYPES:
        return "values may be cut, rounded or rejected"
    if n in _FLOAT_MANTISSA:
        return "values are rounded to the precision of the new type"
    return "a conversion outside the known-safe widenings: values may change or be rejected"

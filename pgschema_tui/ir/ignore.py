"""`.pgschemaignore`: objects the tool leaves alone, as pgschema defines the file.

A TOML file with one table per section (`[tables]`, `[views]`, ...), each `patterns = [...]`:
glob patterns (`*`, `?`, `[...]`) matched against an object's unqualified name (or, for a
pattern with a dot, `schema.name`: `public.temp_*`), and `!pattern`
exceptions that win over every inclusion, whatever their order. `filter_schema` removes what
the rules name from one side (live or desired) before the diff, so an ignored object is never
dumped, created, altered or dropped, and is not part of the fingerprint.

What a section covers (names are raw, unquoted):
- `schemas`: the target schema itself (the commands refuse to work on an ignored schema);
- `tables`: a table with its columns, constraints, indexes, policies, owned sequences and
  grants; triggers on it stay managed (pgschema's rule: the table's structure is not managed,
  a trigger declared on it is);
- `views`: views and materialized views (with a materialized view's indexes and grants);
- `functions`, `procedures`, `aggregates`: by name, any argument list; their grants too;
- `types`: enum, composite and range types and domains; `sequences`: sequences;
- `indexes`, `constraints`, `triggers`: by the object's own name, on any table;
- `privileges`: grants by grantee role; `default_privileges`: default privileges by grantee;
- `collations`, `text_search_configurations`, `text_search_dictionaries`, `operator_classes`,
  `operator_families`: by name (a class or family whatever its index method);
- `operators`: by the operator's name, any argument types (a glob: `[*]` is the operator `*`);
- `statistics`, `rules`: by the object's own name (they also go with an ignored table or view);
- `foreign_tables`: foreign tables only (`tables` covers them too), with what goes with a table.

Pure: parsing text and filtering IR; reading the file is the commands' business.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase

from pgschema_tui.errors import UserError
from pgschema_tui.ir.model import (Aggregate, CompositeType, Domain, EnumType, Function, MaterializedView,
                                   RangeType, Schema, Sequence, Table, View)

DEFAULT_FILE = ".pgschemaignore"
SECTIONS = ("schemas", "tables", "views", "functions", "procedures", "aggregates", "types", "sequences",
            "indexes", "constraints", "triggers", "privileges", "default_privileges",
            "collations", "statistics", "rules", "text_search_configurations", "text_search_dictionaries",
            "foreign_tables", "operators", "operator_classes", "operator_families")

# collection -> section, for the kinds matched by their own name in a section of the same name
_NAMED_KINDS = {"collations": "collations", "text_search_configurations": "text_search_configurations",
                "text_search_dictionaries": "text_search_dictionaries", "operators": "operators",
                "operator_classes": "operator_classes", "operator_families": "operator_families"}


_ROLE_SECTIONS = ("privileges", "default_privileges", "schemas")  # role and schema names, never qualified


class IgnoreFileError(UserError):
    """An ignore file that is not valid TOML or not in the documented shape."""


@dataclass(frozen=True)
class IgnoreRules:
    """Section -> patterns, and the file they came from (for messages)."""

    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""

    def __bool__(self) -> bool:
        return any(self.patterns.values())

    def ignores(self, section: str, name: str, schema: str | None = None) -> bool:
        """True when `name` matches an inclusion pattern of `section` and no `!` exception; a
        pattern with a dot (`public.temp_*`) is matched against `schema.name`."""
        patterns = self.patterns.get(section)
        if not patterns:
            return False

        def matches(pattern: str) -> bool:
            if "." in pattern and schema is not None and section not in _ROLE_SECTIONS:
                return fnmatchcase(f"{schema}.{name}", pattern)
            return fnmatchcase(name, pattern)

        if any(p.startswith("!") and matches(p[1:]) for p in patterns):
            return False
        return any(not p.startswith("!") and matches(p) for p in patterns)

    def to_json(self) -> dict[str, list[str]]:
        return {section: list(p) for section, p in self.patterns.items() if p}

    @classmethod
    def from_json(cls, data, source: str = "") -> "IgnoreRules":
        """The rules a plan file recorded (same validation as the TOML file)."""
        return cls(_validated({k: {"patterns": v} for k, v in (data or {}).items()}, source), source)


def parse_ignore_file(text: str, source: str) -> IgnoreRules:
    """The rules of an ignore file's text; `IgnoreFileError` naming `source` when invalid."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise IgnoreFileError(f"{source}: not valid TOML: {exc}") from None
    return IgnoreRules(_validated(data, source), source)


def _validated(data: dict, source: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for section, body in data.items():
        if section not in SECTIONS:
            raise IgnoreFileError(f"{source}: unknown section [{section}]; the sections are {', '.join(SECTIONS)}")
        if not isinstance(body, dict) or set(body) - {"patterns"}:
            extra = sorted(set(body) - {"patterns"}) if isinstance(body, dict) else [section]
            raise IgnoreFileError(f"{source}: [{section}] takes only `patterns = [...]` (found {', '.join(extra)})")
        patterns = body.get("patterns", [])
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise IgnoreFileError(f"{source}: [{section}] patterns must be a list of strings")
        for p in patterns:
            if p in ("", "!"):
                raise IgnoreFileError(f"{source}: [{section}] has an empty pattern")
        out[section] = tuple(patterns)
    return out


def _routine_section(obj) -> str:
    if isinstance(obj, Aggregate):
        return "aggregates"
    return "procedures" if obj.is_procedure else "functions"


def _own_section(obj) -> str | None:
    """The section that names `obj` itself, for the kinds matched by their own name."""
    if isinstance(obj, Table):
        return "foreign_tables" if obj.foreign_server else "tables"
    if isinstance(obj, (View, MaterializedView)):
        return "views"
    if isinstance(obj, (Function, Aggregate)):
        return _routine_section(obj)
    if isinstance(obj, (EnumType, CompositeType, RangeType, Domain)):
        return "types"
    if isinstance(obj, Sequence):
        return "sequences"
    return None


def ignored_keys(schema: Schema, rules: IgnoreRules) -> dict[str, set[str]]:
    """collection -> keys of the objects of `schema` that `rules` ignore."""
    out: dict[str, set[str]] = {coll: set() for coll in Schema.COLLECTIONS}
    if not rules:
        return out
    for coll in ("tables", "views", "materialized_views", "functions", "aggregates", "types", "domains",
                 "sequences"):
        for key, obj in getattr(schema, coll).items():
            section = _own_section(obj)
            if rules.ignores(section, obj.name, schema.name) or \
                    section == "foreign_tables" and rules.ignores("tables", obj.name, schema.name):
                out[coll].add(key)
    for coll, section in _NAMED_KINDS.items():
        out[coll].update(key for key, obj in getattr(schema, coll).items()
                         if rules.ignores(section, obj.name, schema.name))
    tables = {schema.tables[k].name for k in out["tables"]}
    relations = tables | {schema.views[k].name for k in out["views"]} | {
        schema.materialized_views[k].name for k in out["materialized_views"]}
    for key, seq in schema.sequences.items():  # a serial column's sequence is part of its table
        if seq.owned_by and seq.owned_by.split(".", 1)[0] in tables:
            out["sequences"].add(key)
    for key, con in schema.constraints.items():
        if con.table in tables or rules.ignores("constraints", con.name, schema.name):
            out["constraints"].add(key)
    for key, idx in schema.indexes.items():
        if idx.table in relations or rules.ignores("indexes", idx.name, schema.name):
            out["indexes"].add(key)
    for key, pol in schema.policies.items():
        if pol.table in tables:
            out["policies"].add(key)
    for coll in ("statistics", "rules"):  # by their own name, and with their table or view
        out[coll].update(key for key, obj in getattr(schema, coll).items()
                         if obj.table in relations or rules.ignores(coll, obj.name, schema.name))
    for key, trg in schema.triggers.items():
        if rules.ignores("triggers", trg.name, schema.name):
            out["triggers"].add(key)
    gone_objects = {
        "TABLE": relations | {schema.sequences[k].name for k in out["sequences"]},
        "SEQUENCE": {schema.sequences[k].name for k in out["sequences"]},
        "FUNCTION": out["functions"] | out["aggregates"], "PROCEDURE": out["functions"],
        "TYPE": out["types"] | out["domains"], "DOMAIN": out["domains"] | out["types"],
    }
    for key, grant in schema.grants.items():
        if rules.ignores("privileges", grant.grantee) or grant.object_name in gone_objects.get(grant.object_type, ()):
            out["grants"].add(key)
    for key, dp in schema.default_privileges.items():
        if rules.ignores("default_privileges", dp.grantee):
            out["default_privileges"].add(key)
    return out


def filter_schema(schema: Schema, rules: IgnoreRules) -> tuple[Schema, list[str]]:
    """(`schema` without the objects `rules` ignore, their paths sorted); `schema` is not changed."""
    if not rules:
        return schema, []
    gone = ignored_keys(schema, rules)
    if not any(gone.values()):
        return schema, []
    paths = sorted(_path(schema, getattr(schema, coll)[key]) for coll, keys in gone.items() for key in keys)
    kept = {coll: {k: v for k, v in getattr(schema, coll).items() if k not in keys}
            for coll, keys in gone.items() if keys}
    return replace(schema, **kept), paths


def _path(schema: Schema, obj) -> str:
    """`public.users`, `public.users.users_pkey` (as the plan's step paths name objects)."""
    table = getattr(obj, "table", None)
    if table and not obj.key.startswith(f"{table}."):
        return f"{schema.name}.{table}.{obj.key}"
    return schema.path(obj)

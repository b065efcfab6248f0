"""Which schemas a fleet names: `--schema a,b,'tenant_*'` and the `--targets FILE` format.

A `--schema` value with a comma or a shell wildcard (`*`, `?`, `[`) names a fleet; anything else
is one schema, handled exactly as before. Patterns are matched (case-sensitively, `fnmatchcase`)
against the schemas the database has, system schemas excepted; a pattern that matches nothing
and a listed name that does not exist are errors, never silently dropped targets.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from pgschema_tui.ddl.quote import comment_text
from pgschema_tui.errors import UserError

_WILDCARDS = "*?["


def is_fleet_spec(text: str | None) -> bool:
    """Whether `--schema` names several targets (a list or a pattern) rather than one schema."""
    return bool(text) and ("," in text or any(c in text for c in _WILDCARDS))


def split_spec(text: str) -> list[str]:
    """The items of a comma-separated `--schema` value, blanks dropped; an error when none is left."""
    items = [item.strip() for item in text.split(",")]
    items = [item for item in items if item]
    if not items:
        raise UserError(f"--schema {text!r} names no schema")
    return items


def is_pattern(item: str) -> bool:
    return any(c in item for c in _WILDCARDS)


def is_system_schema(name: str) -> bool:
    return name.startswith("pg_") or name == "information_schema"


def resolve(spec: str, existing: list[str], where: str = "the database") -> list[str]:
    """The schemas `spec` names among `existing`, sorted; UserError for a pattern that matches
    nothing or a listed name that does not exist (naming all of them at once)."""
    names: set[str] = set()
    missing: list[str] = []
    empty: list[str] = []
    available = [name for name in existing if not is_system_schema(name)]
    for item in split_spec(spec):
        if is_pattern(item):
            matched = [name for name in available if fnmatchcase(name, item)]
            if not matched:
                empty.append(item)
            names.update(matched)
        elif item in existing:
            names.add(item)
        else:
            missing.append(item)
    problems = []
    if missing:
        problems.append("schema" + ("s " if len(missing) > 1 else " ") + ", ".join(repr(m) for m in missing)
                        + (" do" if len(missing) > 1 else " does") + " not exist")
    if empty:
        problems.append("pattern" + ("s " if len(empty) > 1 else " ") + ", ".join(repr(p) for p in empty)
                        + (" match" if len(empty) > 1 else " matches") + " no schema")
    if problems:
        raise UserError(comment_text(f"--schema {spec!r} in {where}: " + "; ".join(problems)) + ". Nothing was done.")
    return sorted(names)


def matches(spec: str, schema: str) -> bool:
    """Whether `schema` is one `spec` names (a listed name or a pattern's match)."""
    return any(fnmatchcase(schema, item) if is_pattern(item) else schema == item for item in split_spec(spec))


@dataclass(frozen=True)
class TargetEntry:
    """One `[[target]]` of a targets file: where to connect and which schemas there."""

    name: str  # label used in output and plan files; never contains a password
    conninfo: str
    spec: str  # a schema name, a comma list or a pattern


def parse_targets_file(text: str, source: str) -> list[TargetEntry]:
    """The entries of a `--targets` TOML file:

        [[target]]
        name = "eu-1"                 # optional; default: the database and host of conninfo
        conninfo = "host=db1 dbname=app user=deploy"
        pattern = "tenant_*"          # or: schema = "public" (a name, a list or a pattern)

    UserError naming the file and entry for anything else."""
    import tomllib  # here: a plan of one schema asks `is_fleet_spec` and reads no TOML

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"targets file {source} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"target"})
    if unknown:
        raise UserError(f"targets file {source}: unknown key {unknown[0]!r} (expected [[target]] entries)")
    entries = data.get("target")
    if not isinstance(entries, list) or not entries:
        raise UserError(f"targets file {source} has no [[target]] entry")
    out: list[TargetEntry] = []
    names: set[str] = set()
    for i, entry in enumerate(entries, 1):
        where = f"targets file {source}, target {i}"
        if not isinstance(entry, dict):
            raise UserError(f"{where}: expected a table")
        extra = sorted(set(entry) - {"name", "conninfo", "schema", "pattern"})
        if extra:
            raise UserError(f"{where}: unknown key {extra[0]!r} (known: name, conninfo, schema, pattern)")
        conninfo = entry.get("conninfo")
        if not isinstance(conninfo, str) or not conninfo.strip():
            raise UserError(f"{where}: conninfo is missing (a libpq connection string)")
        given = [k for k in ("schema", "pattern") if k in entry]
        if len(given) != 1:
            raise UserError(f"{where}: give exactly one of schema or pattern")
        spec = entry[given[0]]
        if not isinstance(spec, str) or not spec.strip():
            raise UserError(f"{where}: {given[0]} must be a non-empty string")
        name = entry.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise UserError(f"{where}: name must be a non-empty string")
        out.append(TargetEntry(name=name or "", conninfo=conninfo, spec=spec.strip()))
        if name:
            if name in names:
                raise UserError(f"{where}: name {name!r} is used by another target")
            names.add(name)
    return out

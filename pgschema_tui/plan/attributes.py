"""Attribute diffs: for an object the plan changes, which of its attributes change, old → new.

Pure: reads two IR objects (the live one and the desired one) and names each field that
differs, Terraform style (`type: numeric(10,2) → numeric(14,2)`, `default: none → now()`).
Multi-line values (a view's query, a function body) come as a line diff; SQL queries are
first laid out by one printer on both sides (`canonical_layout`), so the server's
`pg_get_viewdef` layout and the files' own compare by content and only the real change shows.

Used by the human plan (`render_human(..., attributes=...)`) and the reviewer's step details.
"""
from __future__ import annotations

import dataclasses
import difflib

from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import Schema, Table
from pgschema_tui.plan.attribute_change import ARROW, NONE, AttributeChange  # noqa: F401 - re-exported

# Fields that are not attributes a user changes (identity, ordering help, or listed as steps of their own)
_SKIP = frozenset({"name", "table", "depends_on"})
_SKIP_BY_CLASS = {Table: frozenset({"columns"})}  # each column change is a step with its own path
_WORDS = {"not_null": "not null", "rls_enabled": "row level security", "rls_forced": "row level security forced",
          "ref_table": "references", "ref_columns": "referenced columns", "on_update": "on update",
          "on_delete": "on delete", "not_valid": "not valid", "with_check": "with check",
          "check_option": "check option", "security_definer": "security definer", "for_each_row": "for each row",
          "base_type": "base type"}


def attribute_changes(old, new) -> list[AttributeChange]:
    """The attributes that differ between two versions of one IR object, in field order."""
    if old is None or new is None or type(old) is not type(new) or not dataclasses.is_dataclass(old):
        return []
    out: list[AttributeChange] = []
    _compare(old, new, "", out)
    return out


def _compare(old, new, prefix: str, out: list[AttributeChange]) -> None:
    skip = _SKIP | _SKIP_BY_CLASS.get(type(old), frozenset())
    for f in dataclasses.fields(old):
        if not f.compare or f.name.startswith("_") or (not prefix and f.name in skip):
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a == b:
            continue
        name = f"{prefix}{_WORDS.get(f.name, f.name.replace('_', ' '))}"
        if dataclasses.is_dataclass(a) and type(a) is type(b) and not isinstance(a, Expr):
            _compare(a, b, f"{name}.", out)  # identity.always, options.increment
            continue
        old_text, new_text = _text(a), _text(b)
        if (old_text and "\n" in old_text) or (new_text and "\n" in new_text):
            query = isinstance(a, Expr) and a.kind == "query" or isinstance(b, Expr) and b.kind == "query"
            lines = line_diff(old_text or "", new_text or "", sql=query)
            if lines:
                out.append(AttributeChange(name, old_text, new_text, tuple(lines)))
                continue
            old_text, new_text = _one_line(old_text), _one_line(new_text)
        out.append(AttributeChange(name, old_text, new_text))


def _text(value) -> str | None:
    """A field's value as a user reads it; None when it is not set."""
    if value is None:
        return None
    if isinstance(value, Expr):
        return value.text.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list, frozenset)):
        if not value:
            return None
        return ", ".join(_item(v) for v in value)
    text = str(value)
    return text.strip() if text.strip() else text


def _item(value) -> str:
    """One element of a tuple field: a column name, an argument, an index element, a (key, value) pair."""
    if isinstance(value, tuple):
        return " ".join(_item(v) for v in value)
    if dataclasses.is_dataclass(value):
        parts = []
        for f in dataclasses.fields(value):
            if not f.compare or f.name.startswith("_"):
                continue
            v = getattr(value, f.name)
            if v == f.default or v is None:
                continue
            text = _text(v)
            parts.append(text if f.name in ("name", "type", "expression", "check") else f"{f.name.replace('_', ' ')} {text}")
        return " ".join(p for p in parts if p)
    return _text(value) or ""


def _one_line(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def canonical_layout(sql: str) -> str:
    """`sql` laid out by one printer (pglast's), statement by statement, so your text and the
    server's `pg_get_viewdef` layout compare by content; unparsable text is returned as it is."""
    from pglast import prettify
    from pglast.parser import split

    try:
        statements = split(sql)
        return ";\n\n".join(prettify(statement) for statement in statements) + (";" if statements else "")
    except Exception:  # noqa: BLE001 - a layout is a convenience: show the text as given
        return sql


def line_diff(old: str, new: str, *, sql: bool = False, context: int = 1) -> list[str]:
    """Changed lines of `old` → `new` ("- ", "+ ", and "  " for `context` lines around them);
    with `sql`, both sides are first laid out alike."""
    if sql:
        old, new = canonical_layout(old), canonical_layout(new)
    a, b = old.strip("\n").splitlines(), new.strip("\n").splitlines()
    out: list[str] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append("  ...")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(f"  {ln}" for ln in a[i1:i2])
                continue
            out.extend(f"- {ln}" for ln in a[i1:i2])
            out.extend(f"+ {ln}" for ln in b[j1:j2])
    return out


class ObjectIndex:
    """A schema's objects by the plan's step paths (`public.users`, `public.users.users_pkey`,
    `public.f(integer)`); a column's path resolves to the `Column` of its table."""

    def __init__(self, schema: Schema | None):
        self.schema = schema
        self._by_path: dict[str, object] | None = None

    def _index(self) -> dict[str, object]:
        if self._by_path is None:
            self._by_path = {}
            if self.schema is not None:
                name = self.schema.name
                for obj in self.schema.objects():
                    self._by_path.setdefault(self.schema.path(obj), obj)
                    table = getattr(obj, "table", None)
                    if table and getattr(obj, "name", None):
                        self._by_path.setdefault(f"{name}.{table}.{obj.name}", obj)
        return self._by_path

    def get(self, path: str):
        index = self._index()
        obj = index.get(path)
        if obj is not None or "." not in path:
            return obj
        parent, _, last = path.rpartition(".")
        table = index.get(parent)
        if isinstance(table, Table):
            return next((c for c in table.columns if c.name == last), None)
        return None


def path_attributes(live: ObjectIndex, desired: ObjectIndex, path: str) -> list[AttributeChange]:
    """The attribute changes of the object at a step path ([] when either side lacks it)."""
    return attribute_changes(live.get(path), desired.get(path))


def plan_attributes(plan, live: Schema | None, desired: Schema | None) -> dict[str, list[AttributeChange]]:
    """path -> attribute changes, for every object the plan changes or replaces (both sides known)."""
    if live is None or desired is None:
        return {}
    from pgschema_tui.plan.render_human import object_changes

    old, new = ObjectIndex(live), ObjectIndex(desired)
    out = {}
    for path, (symbol, _type) in object_changes(plan).items():
        if symbol in ("~", "-/+"):
            changes = path_attributes(old, new, path)
            if changes:
                out[path] = changes
    return out


def with_attributes(plan, live: Schema | None, desired: Schema | None):
    """`plan` carrying the attribute diffs of its changed objects (what a saved plan keeps);
    the plan itself when either IR is missing (a saved plan keeps the ones it has)."""
    if live is None or desired is None:
        return plan
    from dataclasses import replace

    return replace(plan, attributes={path: tuple(changes) for path, changes in plan_attributes(plan, live, desired).items()})


_OWNER_TO = None


def statement_attributes(step) -> list[AttributeChange]:
    """Attribute changes a step's own statement states, for plans made without both IRs (pgschema's
    plans, which can change owners; this tool's plans leave owners alone): `ALTER ... OWNER TO r`
    is `owner: (not read) → r`."""
    global _OWNER_TO
    if "OWNER" not in step.sql.upper():
        return []
    if _OWNER_TO is None:
        import re

        _OWNER_TO = re.compile(r'^\s*ALTER\s+.+?\s+OWNER\s+TO\s+("(?:[^"]|"")*"|[^\s;]+)\s*;?\s*$',
                               re.IGNORECASE | re.DOTALL)
    match = _OWNER_TO.match(step.sql)
    if not match:
        return []
    role = match.group(1)
    if role.startswith('"'):
        role = role[1:-1].replace('""', '"')
    return [AttributeChange("owner", OWNER_NOT_READ, role)]


OWNER_NOT_READ = "(not read)"


def with_statement_attributes(changes, steps) -> list[AttributeChange]:
    """`changes` plus what the steps' statements state that `changes` does not name already."""
    out = list(changes)
    named = {c.name for c in out}
    for step in steps:
        for change in statement_attributes(step):
            if change.name not in named:
                out.append(change)
                named.add(change.name)
    return out

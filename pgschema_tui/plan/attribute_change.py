"""One attribute change (`type: numeric(10,2) → numeric(14,2)`) and its form in a plan file.

A saved plan has no IR, so `plan --output-json` writes each changed object's attribute diffs
(`"attributes": {path: [{"name", "old", "new"} | {"name", "diff"}]}`, format 1.2.0) for
`apply --plan` and `review --plan` to show. The file is untrusted input (its `plan_digest` is a
hash anyone can recompute, not a signature): the writer escapes every control character
(`comment_text`: `\\n`, `\\x1b`...), so the reader refuses any it finds, and an edited plan cannot
break a line or send a terminal escape through a label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ARROW = "→"
NONE = "none"
DIFF_MARKS = ("- ", "+ ", "  ")

# What `ddl.quote.comment_text` escapes, plus the C1 controls (0x80-0x9f: CSI 0x9b starts an
# escape sequence on some terminals) and TAB: none of them is ever written unescaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class AttributeChange:
    """One attribute of one object: `old` → `new` (None: not set), or a line diff for long text."""

    name: str
    old: str | None
    new: str | None
    diff: tuple[str, ...] = ()  # "- line", "+ line", "  line" (context), "  ..." for multi-line values

    def line(self) -> str:
        """`type: text → bigint`, or `query:` when the lines follow."""
        if self.diff:
            return f"{self.name}:"
        return f"{self.name}: {self.old if self.old is not None else NONE} {ARROW} " \
               f"{self.new if self.new is not None else NONE}"

    def to_json(self) -> dict[str, Any]:
        """The plan file's form, every string escaped to one printable line."""
        if self.diff:
            return {"name": _safe(self.name), "diff": [_safe(line) for line in self.diff]}
        out: dict[str, Any] = {"name": _safe(self.name)}
        for key in ("old", "new"):
            value = getattr(self, key)
            if value is not None:
                out[key] = _safe(value)
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "AttributeChange":
        return cls(d["name"], d.get("old"), d.get("new"), tuple(d.get("diff") or ()))


def _safe(text: str) -> str:
    from pgschema_tui.ddl.quote import comment_text

    text = comment_text(text).replace("\t", "    ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        text)


def json_key(path: str) -> str:
    """A step path as the plan file's `attributes` names it (escaped like every string there)."""
    return _safe(path)


def attributes_to_json(attributes: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {json_key(path): [c.to_json() for c in changes] for path, changes in attributes.items() if changes}


def attributes_from_json(d: dict[str, Any], step_paths) -> dict[str, tuple[AttributeChange, ...]]:
    """path -> changes, keyed again by the steps' own paths."""
    by_key = {json_key(p): p for p in step_paths}
    return {by_key[key]: tuple(AttributeChange.from_json(c) for c in changes) for key, changes in d.items()
            if key in by_key}


def check_attributes_json(value: Any, step_paths, error) -> None:
    """`error(message)` (raised) naming the first field of a plan's `attributes` that is not what
    `attributes_to_json` writes: structure, a path no step has, a control character anywhere."""
    where = "attributes"
    keys = {json_key(p) for p in step_paths}
    if not isinstance(value, dict):
        raise error(f"{where}: expected an object, found {type(value).__name__}")
    for path, changes in value.items():
        at = f"{where}[{_quoted(path)}]"
        _clean(path, at, error)
        if path not in keys:
            raise error(f"{at}: not a path of any step of the plan")
        if not isinstance(changes, list) or not changes:
            raise error(f"{at}: expected a non-empty list")
        for i, change in enumerate(changes):
            here = f"{at}[{i}]"
            if not isinstance(change, dict):
                raise error(f"{here}: expected an object, found {type(change).__name__}")
            unknown = sorted(set(change) - {"name", "old", "new", "diff"})
            if unknown:
                raise error(f"{here}: unknown field {unknown[0]!r}")
            for key in ("name", "old", "new"):
                if key in change:
                    _string(change[key], f"{here}.{key}", error)
            if "name" not in change or not change["name"]:
                raise error(f"{here}.name: missing")
            if "diff" in change:
                if "old" in change or "new" in change:
                    raise error(f"{here}: a line diff has no 'old' or 'new'")
                lines = change["diff"]
                if not isinstance(lines, list) or not lines:
                    raise error(f"{here}.diff: expected a non-empty list")
                for k, line in enumerate(lines):
                    _string(line, f"{here}.diff[{k}]", error)
                    if not line.startswith(DIFF_MARKS):
                        raise error(f"{here}.diff[{k}]: a diff line starts with '- ', '+ ' or two spaces")


def _string(value: Any, where: str, error) -> None:
    if not isinstance(value, str):
        raise error(f"{where}: expected a string, found {type(value).__name__}")
    _clean(value, where, error)


def _clean(text: str, where: str, error) -> None:
    found = _CONTROL.search(text)
    if found:
        raise error(f"{where}: control character U+{ord(found.group()):04X} (a plan file writes them escaped: "
                    f"the file was edited)")


def _quoted(path: str) -> str:
    return repr(_CONTROL.sub("?", path[:60]))

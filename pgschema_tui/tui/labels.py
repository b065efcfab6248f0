"""What a step does, in a few words, and labels that fit a width without losing what tells rows apart.

One online change is several steps on one object (`~ customers.email` is: add a check NOT
VALID, validate it, SET NOT NULL, drop the check), so the object's name alone cannot tell
them apart. `step_action` reads the step's first statement and names the action; every mode
shows `name · action`, cut in the middle of the name when the row is too narrow.
"""
from __future__ import annotations

import re

from pgschema_tui.plan.model import Step

_WORD = r"(?:\"(?:[^\"]|\"\")*\"|[\w$]+)"  # an identifier, quoted or not
_NAME = rf"{_WORD}(?:\s*\.\s*{_WORD})*"
_ALTER_TABLE = rf"^ALTER\s+(?:FOREIGN\s+)?TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?{_NAME}\s+"

# (pattern on the first statement, action); the first match wins, so specific before general.
_ACTIONS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.IGNORECASE | re.DOTALL), a) for p, a in (
    (r"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY", "create concurrently"),
    (r"^DROP\s+INDEX\s+CONCURRENTLY", "drop concurrently"),
    (r"^REINDEX\b.*\bCONCURRENTLY", "reindex concurrently"),
    (_ALTER_TABLE + r"ADD\s+CONSTRAINT\s+\S+\s+CHECK\b.*\bNOT\s+VALID\s*;?\s*$", "add check NOT VALID"),
    (_ALTER_TABLE + r"ADD\s+CONSTRAINT\s+\S+\s+FOREIGN\s+KEY\b.*\bNOT\s+VALID\s*;?\s*$", "add FK NOT VALID"),
    (_ALTER_TABLE + r"ADD\s+CONSTRAINT\s+\S+\s+FOREIGN\s+KEY\b", "add FK"),
    (_ALTER_TABLE + r"ADD\s+CONSTRAINT\s+\S+\s+CHECK\b", "add check"),
    (_ALTER_TABLE + r"ADD\s+CONSTRAINT\s+\S+\s+PRIMARY\s+KEY\b", "add primary key"),
    (_ALTER_TABLE + r"ADD\s+CONSTRAINT\s+\S+\s+UNIQUE\b", "add unique"),
    (_ALTER_TABLE + r"ADD\s+CONSTRAINT\s+\S+\s+EXCLUDE\b", "add exclusion"),
    (_ALTER_TABLE + r"ADD\s+(?:CONSTRAINT\b|PRIMARY|UNIQUE|CHECK|FOREIGN)", "add constraint"),
    (_ALTER_TABLE + r"VALIDATE\s+CONSTRAINT\b", "validate"),
    (_ALTER_TABLE + r"DROP\s+CONSTRAINT\b", "drop constraint"),
    (_ALTER_TABLE + r"ADD\s+(?:COLUMN\s+)?", "add column"),
    (_ALTER_TABLE + r"DROP\s+(?:COLUMN\s+)?(?!CONSTRAINT)", "drop column"),
    (_ALTER_TABLE + r"RENAME\s+(?:COLUMN\s+)?\S+\s+TO\b", "rename"),
    (_ALTER_TABLE + r"RENAME\s+TO\b", "rename"),
    (_ALTER_TABLE + r"(?:ENABLE|FORCE)\s+ROW\s+LEVEL\s+SECURITY", "enable row security"),
    (_ALTER_TABLE + r"(?:DISABLE|NO\s+FORCE)\s+ROW\s+LEVEL\s+SECURITY", "disable row security"),
    (_ALTER_TABLE + r"ATTACH\s+PARTITION\b", "attach partition"),
    (_ALTER_TABLE + r"DETACH\s+PARTITION\b", "detach partition"),
    (_ALTER_TABLE + r"(?:ENABLE|DISABLE)\s+(?:ALWAYS\s+|REPLICA\s+)?TRIGGER\b", "enable/disable trigger"),
    (_ALTER_TABLE + r"REPLICA\s+IDENTITY\b", "set replica identity"),
    (_ALTER_TABLE + r"(?:SET|RESET)\s*\(", "set storage options"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+DATA\s+)?TYPE\b", "set type"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+DEFAULT\b", "set default"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+DROP\s+DEFAULT\b", "drop default"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+NOT\s+NULL\b", "set not null"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+DROP\s+NOT\s+NULL\b", "drop not null"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+EXPRESSION\b", "set expression"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+DROP\s+EXPRESSION\b", "drop expression"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+ADD\s+GENERATED\b", "add identity"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+DROP\s+IDENTITY\b", "drop identity"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+(?:GENERATED|INCREMENT|START|RESTART|MINVALUE|MAXVALUE|CYCLE|NO)\b",
     "alter identity"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+STORAGE\b", "set storage"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+STATISTICS\b", "set statistics"),
    (_ALTER_TABLE + r"ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+COMPRESSION\b", "set compression"),
    (_ALTER_TABLE + r"OWNER\s+TO\b", "set owner"),
    (r"^ALTER\s+TYPE\s+\S+\s+ADD\s+VALUE\b", "add value"),
    (r"^ALTER\s+TYPE\s+\S+\s+RENAME\s+VALUE\b", "rename value"),
    (r"^ALTER\s+\w+(?:\s+\w+)?\s+\S+\s+RENAME\s+TO\b", "rename"),
    (r"^ALTER\s+.*\bOWNER\s+TO\b", "set owner"),
    (r"^ALTER\s+DEFAULT\s+PRIVILEGES\b.*\bGRANT\b", "grant default"),
    (r"^ALTER\s+DEFAULT\s+PRIVILEGES\b.*\bREVOKE\b", "revoke default"),
    (r"^CREATE\s+OR\s+REPLACE\b", "create or replace"),
    (r"^CREATE\b", "create"),
    (r"^DROP\b", "drop"),
    (r"^COMMENT\s+ON\b.*\bIS\s+NULL\s*;?\s*$", "drop comment"),
    (r"^COMMENT\s+ON\b", "comment"),
    (r"^GRANT\b", "grant"),
    (r"^REVOKE\b", "revoke"),
    (r"^REFRESH\s+MATERIALIZED\s+VIEW\b", "refresh"),
    (r"^ALTER\b", "alter"),
))

_HELPER_CHECK = {"validate": "validate check", "drop constraint": "drop check"}

_COMMENT_LINE = re.compile(r"^\s*(--[^\n]*)?$")


def _first_statement(sql: str) -> str:
    lines = [ln for ln in sql.splitlines() if not _COMMENT_LINE.match(ln)]
    return " ".join(ln.strip() for ln in lines)


def step_action(step: Step) -> str:
    """What the step does in a few words: "set not null", "validate", "add FK NOT VALID", "wait"."""
    if step.directive is not None:
        return "wait" if step.directive.type == "wait" else step.directive.type
    text = _first_statement(step.sql)
    for pattern, action in _ACTIONS:
        if pattern.search(text):
            if step.type.endswith("column") and action in _HELPER_CHECK:  # SET NOT NULL through a check
                return _HELPER_CHECK[action]
            return action
    words = text.split()[:2]
    return " ".join(words).lower().rstrip(";") or step.operation


SEPARATOR = " · "
ELLIPSIS = "…"


def middle(text: str, width: int) -> str:
    """`text` cut in the middle to `width` cells, keeping more of the end (names end in what
    tells them apart: `_fkey`, `created_at_idx`)."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    if width == 1:
        return ELLIPSIS
    keep = width - 1
    head = max(1, keep // 3)
    tail = keep - head
    return text[:head] + ELLIPSIS + (text[-tail:] if tail else "")


def shorten_name(name: str, width: int) -> str:
    """A `table.object` name in `width` cells: the table part is cut first, then the object's."""
    if len(name) <= width:
        return name
    first, dot, last = name.partition(".")
    if dot and "(" not in first and width - len(last) - 1 >= 3:
        return middle(first, width - len(last) - 1) + "." + last
    return middle(name, width)


def fit(name: str, action: str, width: int | None) -> tuple[str, str]:
    """(name, action) for a row of `width` cells: the action stays whole while it can, the name
    is cut (table part first, then in the middle); with no width (None) both stay whole."""
    if width is None or len(name) + len(SEPARATOR) + len(action) <= width:
        return name, action
    room = width - len(SEPARATOR) - len(action)
    if room >= 8 or room >= len(name):
        return shorten_name(name, room), action
    # Very narrow: the name and the action share the room.
    action_room = max(1, (width - len(SEPARATOR)) // 2)
    name_room = max(1, width - len(SEPARATOR) - action_room)
    return shorten_name(name, name_room), middle(action, action_room)


def fitted_title(prefix: str, name: str, action: str, width: int) -> str:
    """`prefix` + `name · action` in `width` cells (a border title: Textual would cut its end)."""
    fitted_name, fitted_action = fit(name, action, max(8, width - len(prefix)))
    return prefix + fitted_name + (SEPARATOR + fitted_action if fitted_action else "")

"""Can this SQL run inside a transaction block? For plan steps that do not say (a plan file
written by another tool, or by hand): derived from the statements, never assumed.

PostgreSQL refuses these inside BEGIN ... COMMIT: `CREATE/DROP INDEX CONCURRENTLY`,
`REINDEX ... CONCURRENTLY`, `DETACH PARTITION ... CONCURRENTLY`, `VACUUM`, `CLUSTER` without a
table, `CREATE/DROP DATABASE`, `CREATE/DROP TABLESPACE`, `ALTER SYSTEM`, `CREATE SUBSCRIPTION`
(with a slot), `DROP SUBSCRIPTION`, `ALTER DATABASE ... SET TABLESPACE`. `ALTER TYPE ... ADD
VALUE` is allowed in a transaction since PostgreSQL 12, but the new label cannot be used before
commit, so it gets its own step too. SQL that does not parse is treated as non-transactional
(run alone), the conservative side.
"""
from __future__ import annotations

import re

_OUTSIDE = [re.compile(p) for p in (
    r"^CREATE (UNIQUE )?INDEX CONCURRENTLY\b",
    r"^DROP INDEX CONCURRENTLY\b",
    r"^REINDEX\b.*\bCONCURRENTLY\b",
    r"^REINDEX (\(.*\) )?(SYSTEM|DATABASE)\b",
    r"^ALTER TABLE\b.*\bDETACH PARTITION\b.*\bCONCURRENTLY\b",
    r"^VACUUM\b",
    r"^CLUSTER( VERBOSE)?\s*;?$",
    r"^(CREATE|DROP) (DATABASE|TABLESPACE)\b",
    r"^ALTER DATABASE\b.*\bSET TABLESPACE\b",
    r"^ALTER SYSTEM\b",
    r"^CREATE SUBSCRIPTION\b",
    r"^DROP SUBSCRIPTION\b",
    r"^ALTER TYPE\b.*\bADD VALUE\b",
)]


def can_run_in_transaction(sql: str) -> bool:
    """False when any statement of `sql` must (or had better) run outside a transaction block."""
    from pglast import split
    from pglast.parser import ParseError

    try:
        statements = split(sql, with_parser=True)
    except (ParseError, ValueError):
        return False
    for statement in statements:
        text = " ".join(_strip_comments(statement).split()).upper()
        if any(p.search(text) for p in _OUTSIDE):
            return False
    return True


def _strip_comments(statement: str) -> str:
    """The statement without leading `--` and `/* */` comments (pglast keeps them in the split)."""
    text = statement.strip()
    while True:
        if text.startswith("--"):
            text = text.split("\n", 1)[1].strip() if "\n" in text else ""
        elif text.startswith("/*") and "*/" in text:
            text = text.split("*/", 1)[1].strip()
        else:
            return text

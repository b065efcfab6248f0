"""`dump --qualify-schema`: every object identifier written as `schema.object`, as pgschema does.

The renderers write names of the dumped schema unqualified (a dump is schema-agnostic); this
pass inserts the schema before each object identifier of a statement: relations where
PostgreSQL's grammar has a relation (pglast's `RangeVar` locations: CREATE TABLE/VIEW/SEQUENCE,
ALTER TABLE, INDEX/TRIGGER/POLICY `ON`, `REFERENCES`, `INHERITS`, `PARTITION OF`, GRANT ON
TABLE), and the names the grammar keeps as plain lists (functions, procedures, aggregates,
types, domains, COMMENT ON targets, OWNED BY) from the statement's head. Queries and
expressions inside a statement are not touched (a CTE name there is not a relation of the
schema), and neither are type references (column types, argument types) or names inside
expressions (`nextval('orders_id_seq')`), which PostgreSQL prints unqualified for the dumped
schema: the limitation pgschema documents for type references.
"""
from __future__ import annotations

import re

from pgschema_tui.ddl.quote import ident

_NAME = r'(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)'
_CHAIN = re.compile(rf"{_NAME}(?:\.{_NAME})*")
# (head regex whose end is where the name starts, number of parts of the unqualified name)
_HEADS = [
    (re.compile(r"^CREATE (?:OR REPLACE )?(?:FUNCTION|PROCEDURE|AGGREGATE) ", re.I), 1),
    (re.compile(r"^CREATE (?:TYPE|DOMAIN) ", re.I), 1),
    (re.compile(r"^ALTER (?:TYPE|DOMAIN|FUNCTION|PROCEDURE|AGGREGATE) ", re.I), 1),
    (re.compile(r"^COMMENT ON (?:TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE|TYPE|DOMAIN|FUNCTION|PROCEDURE|AGGREGATE"
                r"|INDEX) ", re.I), 1),
    (re.compile(r"^COMMENT ON COLUMN ", re.I), 2),
    (re.compile(rf"^COMMENT ON (?:CONSTRAINT|TRIGGER|POLICY) {_NAME} ON (?:DOMAIN )?", re.I), 1),
    (re.compile(r"^(?:GRANT|REVOKE) .*? ON (?:FUNCTION|PROCEDURE|ROUTINE|TYPE|DOMAIN) ", re.I | re.S), 1),
    (re.compile(r"^ALTER SEQUENCE .*? OWNED BY ", re.I | re.S), 2),
    (re.compile(r"^(?:CREATE|ALTER|COMMENT ON) (?:COLLATION|STATISTICS) ", re.I), 1),
    (re.compile(rf"^COMMENT ON RULE {_NAME} ON ", re.I), 1),
    (re.compile(r"^(?:CREATE|ALTER|COMMENT ON) TEXT SEARCH (?:DICTIONARY|CONFIGURATION) ", re.I), 1),
]
# node classes whose fields may hold a relation of the statement (not queries or expressions)
_DESCEND = {"AlterTableCmd", "Constraint", "PartitionCmd", "IntoClause", "RangeVar"}


def qualify_statement(sql: str, schema: str) -> str:
    """`sql` with the object identifiers of `schema` qualified (unqualified ones only)."""
    from pglast import parse_sql
    from pglast.parser import ParseError

    try:
        parsed = parse_sql(sql)
    except ParseError:
        return sql
    prefix = ident(schema) + "."
    inserts: set[int] = set()
    for raw in parsed:
        start = raw.stmt_location or 0
        _relations(raw.stmt, inserts, top=True)
        text = sql[start: start + raw.stmt_len] if raw.stmt_len else sql[start:]
        lead = len(text) - len(text.lstrip())
        for head, parts in _HEADS:
            match = head.match(text[lead:])
            if match:
                at = start + lead + match.end()
                chain = _CHAIN.match(sql, at)
                if chain and _parts(chain.group(0)) == parts:
                    inserts.add(at)
                break
    out = sql
    for at in sorted(inserts, reverse=True):
        out = out[:at] + prefix + out[at:]
    return out


def _parts(chain: str) -> int:
    return len(re.findall(_NAME, chain))


def _relations(node, inserts: set[int], top: bool = False) -> None:
    from pglast import ast

    if isinstance(node, (list, tuple)):
        for item in node:
            _relations(item, inserts)
        return
    if not isinstance(node, ast.Node):
        return
    name = type(node).__name__
    if isinstance(node, ast.RangeVar):
        if node.schemaname is None and node.location is not None and node.location >= 0:
            inserts.add(node.location)
        return
    if not top and name not in _DESCEND:
        return
    for field in node:
        if field in ("query", "options", "raw_expr", "cooked_expr", "where_clause", "whereClause"):
            continue
        value = getattr(node, field)
        if isinstance(value, (ast.Node, list, tuple)):
            _relations(value, inserts)

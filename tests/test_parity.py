"""Parity: the SQL parser and `--plan-db` (apply in a real server, inspect) give the same IR.

Every `testdata/schemas/<case>/schema.sql` and `testdata/parse/<case>/schema.sql` is loaded
both ways; on a mismatch the failure lists the differing objects field by field.
"""
from __future__ import annotations

import dataclasses

import psycopg
import pytest

from pgschema_tui.desired import load_desired
from pgschema_tui.ir import model as ir
from pgschema_tui.parse import load_files

from conftest import TESTDATA

CASES = sorted([*TESTDATA.glob("schemas/*/schema.sql"), *TESTDATA.glob("parse/*/schema.sql")])


def conninfo(settings) -> str:
    return psycopg.conninfo.make_conninfo(**settings.kwargs())


def _fields(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.compare}


def schema_diff(parsed: ir.Schema, applied: ir.Schema) -> list[str]:
    """Readable differences, one line per object or field (empty when equal)."""
    lines = []
    for coll in ir.Schema.COLLECTIONS:
        left, right = getattr(parsed, coll), getattr(applied, coll)
        for key in sorted(set(left) | set(right)):
            a, b = left.get(key), right.get(key)
            if a is None:
                lines.append(f"{coll}[{key}]: only in the database: {b}")
            elif b is None:
                lines.append(f"{coll}[{key}]: only in the parser: {a}")
            elif a != b:
                fa, fb = _fields(a), _fields(b)
                for name in fa:
                    if fa[name] != fb[name]:
                        lines.append(f"{coll}[{key}].{name}:\n    parser:   {fa[name]!r}\n    database: {fb[name]!r}")
    if parsed.comment != applied.comment:
        lines.append(f"schema comment: parser {parsed.comment!r} != database {applied.comment!r}")
    return lines


def _without_domain_not_null_names(schema: ir.Schema) -> ir.Schema:
    """PostgreSQL 14-16 keep a domain's NOT NULL only as pg_type.typnotnull: its constraint name is lost."""
    for name, dom in list(schema.domains.items()):
        kept = tuple(c for c in dom.constraints if c.check is not None)
        if kept != dom.constraints:
            schema.domains[name] = dataclasses.replace(dom, constraints=kept)
    return schema


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.parent.name}/{p.parent.name}" for p in CASES])
def test_parser_matches_database(case, db, pg_server):
    parsed = load_files(case, "public")
    applied = load_desired(case, "public", plan_db=conninfo(db))
    if pg_server.major < 17:
        parsed = _without_domain_not_null_names(parsed)
    diff = schema_diff(parsed, applied)
    assert not diff, "parser and database disagree:\n" + "\n".join(diff)

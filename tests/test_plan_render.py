"""Renderers (human, SQL, JSON) and the fingerprint, on plans built from constructed IR."""
from __future__ import annotations

import json
from dataclasses import replace

from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.model import Column, Index, IndexElement, Schema, Table
from pgschema_tui.plan.fingerprint import changed_objects, fingerprint
from pgschema_tui.plan.model import Plan
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_human import NO_CHANGES, render_human
from pgschema_tui.plan.render_json import render_json
from pgschema_tui.plan.render_sql import render_sql


def schema(*objects) -> Schema:
    s = Schema()
    for obj in objects:
        s.add(obj)
    return s


LIVE = schema(Table("t", (Column("id", "integer"), Column("gone", "text"))), Table("old", ()))
DESIRED = schema(Table("t", (Column("id", "bigint"), Column("email", "text"))), Table("fresh", (Column("a", "integer"),)),
                 Index("t", "t_email_idx", (IndexElement(Expr("email", "index_elem")),)))


def test_empty_plan_renders_nothing_to_do():
    plan = build_plan(LIVE, LIVE)
    assert plan.is_empty
    assert render_human(plan) == NO_CHANGES + "\n"
    assert render_sql(plan) == ""
    assert json.loads(render_json(plan))["groups"] == []


def test_human_summary_objects_and_groups():
    text = render_human(build_plan(LIVE, DESIRED))
    lines = text.splitlines()
    assert lines[0] == "Plan: 3 to add, 1 to change, 2 to drop."
    assert "  Tables: 3 to add, 1 to change, 2 to drop" in lines
    assert "  +   public.fresh" in lines
    assert "  -   public.old" in lines
    assert "  ~   public.t.id (column)" in lines
    assert "  +   public.t.t_email_idx (index)" in lines
    assert "-- Group 1 of 3 (transaction)" in lines
    assert "-- Group 2 of 3 (no transaction)" in lines
    assert "\x1b[" not in text


def test_human_colour_is_optional_and_symbols_stay():
    text = render_human(build_plan(LIVE, DESIRED), color=True)
    assert "\x1b[" in text and "public.fresh" in text and "-/+" not in text


def test_sql_is_statements_separated_by_blank_lines():
    plan = build_plan(LIVE, DESIRED, online=False)
    text = render_sql(plan)
    assert set(text.split("\n\n")[:2]) == {"DROP TABLE old;", "ALTER TABLE t DROP COLUMN gone;"}
    assert text.endswith(";\n")
    assert len(text.strip().split("\n\n")) == len(plan.steps)


def test_json_round_trip():
    plan = build_plan(LIVE, DESIRED)
    data = json.loads(render_json(plan))
    assert data["tool"] == "pgschema-tui" and data["schema"] == "public"
    assert data["source_fingerprint"]["hash"] == plan.fingerprint
    again = Plan.from_json(data)
    assert again.steps == plan.steps and again.fingerprint == plan.fingerprint
    wait = [s for g in data["groups"] for s in g["steps"] if "directive" in s]
    assert wait and wait[0]["directive"]["type"] == "wait"


def test_fingerprint_is_stable_and_names_changed_objects():
    a = schema(Table("t", (Column("id", "integer", default=Expr("(0)")),)))
    assert fingerprint(a) == fingerprint(schema(Table("t", (Column("id", "integer", default=Expr("(0)")),))))
    # both fingerprints of a plan come from the catalog, which prints an expression the same
    # way every time: a different spelling means the object was altered (or the server changed)
    respelled = schema(Table("t", (Column("id", "integer", default=Expr("0")),)))
    assert changed_objects(fingerprint(a)[1], fingerprint(respelled)[1]) == ["public.t"]
    c = schema(Table("t", (Column("id", "bigint"),)), Table("u", ()))
    digest_a, objects_a = fingerprint(a)
    digest_c, objects_c = fingerprint(c)
    assert digest_a != digest_c and len(digest_a) == 64
    assert changed_objects(objects_a, objects_c) == ["public.t", "public.u"]


def test_fingerprint_ignores_fields_excluded_from_comparison():
    idx = Index("t", "i", (IndexElement(Expr("id", "index_elem")),))
    assert fingerprint(schema(idx)) == fingerprint(schema(replace(idx, valid=False, depends_on=frozenset({"x"}))))


def test_human_output_keeps_brackets_in_sql():
    """Regular expressions and subscripts are not Rich markup: `[a-z]` must print as written."""
    from pgschema_tui.plan.model import Group, Step

    sql = "ALTER TABLE t ADD CONSTRAINT t_u_check CHECK (u ~ '^[a-zA-Z][0-9]$' AND tags[1] <> '[bold]');"
    plan = Plan(schema="public", groups=[Group((Step(sql=sql, type="table.constraint", operation="create",
                                                     path="public.t.t_u_check"),))], fingerprint="x")
    import re

    assert sql in render_human(plan, color=False)
    assert sql in re.sub(r"\x1b\[[0-9;]*m", "", render_human(plan, color=True))

"""Hazards derived from statements, the live schema and real relation sizes."""
from __future__ import annotations

import pytest

from pgschema_tui.inspect.sizes import LazyRelationSizes, RelationSize, relation_sizes
from pgschema_tui.ir.model import Column, Function, Index, IndexElement, Schema, Table
from pgschema_tui.ir.expr import Expr
from pgschema_tui.plan.hazards import annotate, format_hazard, human_bytes, human_rows
from pgschema_tui.plan.model import Step

EVENTS = Table("events", (Column("id", "bigint"), Column("name", "character varying(50)"),
                          Column("amount", "numeric(10,2)"), Column("n", "integer"), Column("at", "timestamp with time zone")))
SIZES = {"events": RelationSize(rows=12_000_000, bytes=3_328_599_654)}


def _live() -> Schema:
    live = Schema("public")
    live.add(EVENTS)
    live.add(Index("events", "events_at", (IndexElement(Expr("at", "index_elem")),)))
    live.add(Function("stamp", volatility="VOLATILE", returns="integer"))
    return live


def _kinds(sql: str, live: Schema | None = None) -> dict[str, str]:
    step = Step(sql=sql, type="table", operation="alter", path="public.events")
    [annotated] = annotate([step], live or _live(), SIZES)
    return {h.type: h.message for h in annotated.hazards}


def test_rewrite_message_carries_relation_rows_and_bytes():
    step = Step(sql="ALTER TABLE events ALTER COLUMN n TYPE text", type="table.column", operation="alter",
                path="public.events.n")
    [annotated] = annotate([step], _live(), SIZES)
    rewrite = next(h for h in annotated.hazards if h.type == "table_rewrite")
    assert rewrite.relation == "public.events" and rewrite.rows == 12_000_000 and rewrite.bytes == 3_328_599_654
    assert format_hazard(rewrite) == ("table_rewrite: rewrites public.events (12 M rows, 3.1 GB) under "
                                      "ACCESS EXCLUSIVE to change the type of n")
    assert step.hazards == ()  # annotate returns new steps
    assert annotated.to_json()["hazards"][0]["rows"] == 12_000_000


@pytest.mark.parametrize("sql, expected", [
    ("DROP TABLE events", {"data_loss", "access_exclusive_lock"}),
    ("ALTER TABLE events DROP COLUMN name", {"data_loss", "access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN name TYPE varchar(20)", {"data_loss", "table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN name TYPE varchar(100)", {"access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN name TYPE text", {"access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN id TYPE integer", {"data_loss", "table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN n TYPE bigint", {"table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN amount TYPE numeric(12,2)", {"access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN amount TYPE numeric(10,1)", {"data_loss", "table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN at TYPE date", {"data_loss", "table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events SET LOGGED", {"table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ADD COLUMN u uuid DEFAULT gen_random_uuid()", {"table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ADD COLUMN s integer DEFAULT stamp()", {"table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ADD COLUMN x bigserial", {"table_rewrite", "access_exclusive_lock"}),
    ("ALTER TABLE events ADD COLUMN t timestamptz DEFAULT now()", {"access_exclusive_lock"}),
    ("CREATE INDEX i ON events (n)", {"index_build", "blocks_writes"}),
    ("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON events (n)", {"index_build"}),
    ("DROP INDEX events_at", {"access_exclusive_lock"}),
    ("DROP INDEX CONCURRENTLY events_at", set()),
    ("ALTER TABLE events ADD CONSTRAINT c CHECK (n > 0)", {"validation_scan", "access_exclusive_lock"}),
    ("ALTER TABLE events ADD CONSTRAINT c CHECK (n > 0) NOT VALID", {"access_exclusive_lock"}),
    ("ALTER TABLE events ADD CONSTRAINT f FOREIGN KEY (n) REFERENCES other (id)", {"validation_scan", "blocks_writes"}),
    ("ALTER TABLE events ADD CONSTRAINT f FOREIGN KEY (n) REFERENCES other (id) NOT VALID", set()),
    ("ALTER TABLE events VALIDATE CONSTRAINT f", {"validation_scan"}),
    ("ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id)", {"index_build", "access_exclusive_lock"}),
    ("ALTER TABLE events ALTER COLUMN n SET NOT NULL", {"validation_scan", "access_exclusive_lock"}),
    ("TRUNCATE events", {"data_loss"}),
    ("CREATE TABLE fresh (id int)", set()),
    ("ALTER TABLE fresh DROP COLUMN id", set()),  # created by this plan: nothing to lose
    ("DROP VIEW v", set()),
])
def test_hazard_kinds(sql, expected):
    assert set(_kinds(sql)) == expected


def test_set_not_null_after_a_validated_check_does_not_scan():
    steps = [Step(sql=s, type="table.column", operation="alter", path="public.events.n") for s in (
        "ALTER TABLE events ADD CONSTRAINT n_not_null CHECK (n IS NOT NULL) NOT VALID",
        "ALTER TABLE events VALIDATE CONSTRAINT n_not_null",
        "ALTER TABLE events ALTER COLUMN n SET NOT NULL",
    )]
    annotated = annotate(steps, _live(), SIZES)
    assert [h.type for h in annotated[2].hazards] == ["access_exclusive_lock"]
    assert [h.type for h in annotated[1].hazards] == ["validation_scan"]


def test_wait_steps_and_unparseable_sql_have_no_hazards():
    from pgschema_tui.plan.model import Directive

    wait = Step(sql="SELECT true, 100", type="table.index", operation="create", path="p",
                directive=Directive("wait", "x"))
    junk = Step(sql="THIS IS NOT SQL", type="table", operation="alter", path="p")
    assert all(s.hazards == () for s in annotate([wait, junk], _live(), SIZES))


def test_human_sizes():
    assert human_rows(12_300_000) == "12 M rows" and human_rows(1_500) == "1.5 k rows" and human_rows(1) == "1 row"
    assert human_bytes(3_328_599_654) == "3.1 GB" and human_bytes(8192) == "8.0 kB" and human_bytes(10) == "10 bytes"


def test_relation_sizes_from_the_catalog(conn):
    conn.execute("CREATE TABLE t (n int); INSERT INTO t SELECT generate_series(1, 5000); ANALYZE t;"
                 "CREATE INDEX t_n ON t (n); CREATE TABLE never_analysed (n int);"
                 "CREATE TABLE p (d date) PARTITION BY RANGE (d);"
                 "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
                 "INSERT INTO p SELECT '2024-01-01'::date + (g % 300) FROM generate_series(1, 1000) g; ANALYZE p1")
    sizes = relation_sizes(conn, "public")
    assert sizes["t"].rows == 5000 and sizes["t"].bytes > 100_000
    assert sizes["t_n"].bytes > 0
    assert sizes["never_analysed"].rows is None
    assert sizes["p"].rows == 1000 and sizes["p"].bytes >= sizes["p1"].bytes > 0


def test_lazy_sizes_query_on_first_use(conn):
    """The plan reads sizes only when a hazard asks: a table created after the mapping but
    before its first read is in it."""
    sizes = LazyRelationSizes(conn, "public")
    conn.execute("CREATE TABLE late (n int)")
    assert sizes.get("late") is not None and "late" in sizes and len(sizes) == 1


def test_partition_bounds_are_checked_against_rows():
    """ATTACH scans the table attached, and a new bound beside a default partition scans the
    default one: a row that does not fit fails the step, so the plan says so up front."""
    live = Schema("public")
    live.add(Table("m", (Column("d", "date"),), partition_by="RANGE (d)"))
    live.add(Table("m_default", (), partition_of="m", partition_bound="DEFAULT"))
    live.add(Table("m_old", (Column("d", "date"),)))
    attach = Step(sql="ALTER TABLE m ATTACH PARTITION m_old FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                  type="table", operation="alter", path="public.m_old")
    scans = {h.relation: h.message for h in annotate([attach], live, {})[0].hazards if h.type == "validation_scan"}
    assert scans["public.m_old"].startswith("scans public.m_old under ACCESS EXCLUSIVE")
    assert "the default partition" in scans["public.m_default"]
    step = Step(sql="CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                type="table", operation="create", path="public.m_2025")
    [annotated] = annotate([step], live, {})
    assert [h.relation for h in annotated.hazards] == ["public.m_default"]
    default_itself = Step(sql="CREATE TABLE m_other PARTITION OF m DEFAULT", type="table", operation="create",
                          path="public.m_other")
    assert annotate([default_itself], live, {})[0].hazards == ()

"""`canonical()`: catalog spellings equal user spellings; different meanings never do."""
from __future__ import annotations

import pytest

from pgschema_tui.ir.expr import Expr
from pgschema_tui.ir.normalize import MeaningText, canonical

SAME = [
    ("((x)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", "x IN ('a', 'b')"),
    ("((z >= 'a'::text) AND (z <= 'c'::text))", "z BETWEEN 'a' AND 'c'"),
    ("((z < 1) OR (z > 5))", "z NOT BETWEEN 1 AND 5"),
    ("(w = ANY (ARRAY[1, 2]))", "w in (1,2)"),
    ("(w <> ALL (ARRAY[1, 2]))", "w NOT IN (1, 2)"),
    ("nextval('t_id_seq'::regclass)", "nextval('t_id_seq')"),
    ("'{}'::jsonb", "'{}'"),
    ("true", "'t'::boolean"),
    ("(price > (0)::numeric)", "price > 0"),
    ("x::int", "x::integer"),
    ("x::int4", "CAST(x AS integer)"),
    ("((t.x)::text ~~ 'a%'::text)", "t.x LIKE 'a%'"),
    ("(a <> b)", "a != b"),
    ("'-1'::integer", "-1"),
    ("((a AND b) AND c)", "a AND (b AND c)"),
    ("lower((email)::text)", "LOWER(email)"),
    ("EXTRACT(year FROM created_at)", "extract(YEAR from created_at)"),
    ("pg_catalog.now()", "now()"),
]

DIFFERENT = [
    ("now()", "CURRENT_TIMESTAMP"),
    ("x > 1", "x >= 1"),
    ("x::numeric(10,2)", "x::numeric"),
    ("(a + b) * c", "a + b * c"),
    ("x::date", "x"),
    ("1.0", "1"),
    ("x = ANY (ARRAY[1, 2])", "x = ALL (ARRAY[1, 2])"),
    ("'t'", "'true'"),
    ("upper(x)", "lower(x)"),
    ("x LIKE 'a'", "x ILIKE 'a'"),
]


@pytest.mark.parametrize("catalog,user", SAME)
def test_same_meaning_compares_equal(catalog, user):
    assert canonical(catalog) == canonical(user)
    assert Expr(catalog) == Expr(user)
    assert hash(Expr(catalog)) == hash(Expr(user))


@pytest.mark.parametrize("left,right", DIFFERENT)
def test_different_meaning_never_equal(left, right):
    assert canonical(left) != canonical(right)


def test_view_queries():
    catalog = " SELECT id,\n    x,\n    count(*) AS count\n   FROM t\n  GROUP BY id, x;"
    assert canonical(catalog, "query") == canonical("select t.id, x, COUNT(*) from t group by t.id, x", "query")
    joined = (" SELECT t.id,\n    u.x\n   FROM (t\n     JOIN t u ON ((t.id = u.id)))\n"
              "  WHERE ((t.x)::text ~~ 'a%'::text);")
    assert canonical(joined, "query") == canonical(
        "SELECT t.id, u.x FROM t INNER JOIN t AS u ON t.id = u.id WHERE t.x LIKE 'a%'", "query")
    # Qualifiers only go away when they cannot matter: with two relations they stay.
    assert canonical("SELECT a.id FROM a, b", "query") != canonical("SELECT b.id FROM a, b", "query")
    assert canonical("SELECT x AS y FROM t", "query") != canonical("SELECT x FROM t", "query")


def test_index_elements_and_exclusions():
    assert canonical("lower((email)::text)", "index_elem") == canonical("lower(email)", "index_elem")
    assert canonical("EXCLUDE USING gist (room WITH =, during WITH &&)", "exclude") == \
        canonical("exclude using GIST (room with =, during with &&)", "exclude")


def test_sql_standard_bodies_compare_by_meaning():
    catalog = "BEGIN ATOMIC\n UPDATE orders SET status = 'cancelled'::order_status\n   WHERE (orders.id = cancel_order.p_order_id);\nEND"
    user = MeaningText("BEGIN ATOMIC UPDATE orders SET status = 'cancelled' WHERE id = p_order_id; END")
    assert user == catalog and catalog == user
    assert MeaningText("RETURN x * 2") == "RETURN (x * 2)"
    assert MeaningText("RETURN x * 2") != "RETURN x * 3"


def test_canonical_is_cached():
    canonical.cache_clear()
    for _ in range(3):
        canonical("a + b")
    assert canonical.cache_info().hits == 2


def test_partition_bounds_compare_across_time_zone_spellings():
    written = MeaningText("FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')", "bound")
    assert written == "FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')"
    assert written != "FOR VALUES FROM ('2026-01-02 00:00:00+00') TO ('2026-02-01 00:00:00+00')"
    assert MeaningText("FOR VALUES IN (1, 2)", "bound") != "FOR VALUES IN (1, 3)"


def test_datetime_literals_only_meet_under_a_datetime_cast():
    assert canonical("at > '2024-01-01'::timestamptz") == \
        canonical("(at > '2024-01-01 00:00:00+00'::timestamp with time zone)")
    assert canonical("d = '2024-01-01'::date") == canonical("d = '2024-01-01'::date")
    # As plain text the spellings mean different strings.
    assert canonical("code = '2024-01-01'") != canonical("code = '2024-01-01 00:00:00'")


def test_raw_tree_ignores_layout_but_not_meaning():
    from pgschema_tui.ir.normalize import raw_tree

    catalog = "SELECT a.id,\n    b.n\n   FROM (t a\n     JOIN u b ON ((b.id = a.id)))\n  WHERE (a.s = 'on'::status)"
    parser = "SELECT a.id, b.n FROM t AS a INNER JOIN u AS b ON b.id = a.id WHERE a.s = CAST('on' AS status)"
    assert raw_tree(catalog, "query") == raw_tree(parser, "query") is not None
    assert raw_tree("(n >= (0)::numeric)") == raw_tree("n >= 0::numeric")
    assert raw_tree("n > 1") != raw_tree("n > 2") and raw_tree("s = 'a'") != raw_tree("s = 'b'")
    assert raw_tree("n > 0", "body") is None and raw_tree("n >>> (") is None
    assert Expr(catalog, "query") == Expr(parser, "query") and Expr("n > 1") != Expr("n > 2")

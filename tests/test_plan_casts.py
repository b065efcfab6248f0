"""Column type changes that can change or lose values are data_loss: a known-safe widening is
not, everything else is (fail closed); apply refuses them on a table with rows unless allowed."""
from __future__ import annotations

import pytest

from conftest import cli_flags
from pgschema_tui.cli import main
from pgschema_tui.plan.casts import lossy_reason, parse_type

LOSSY = [
    ("bigint", "double precision"), ("bigint", "real"), ("integer", "real"),
    ("numeric(20,6)", "real"), ("numeric(20,6)", "double precision"), ("numeric", "numeric(12,2)"),
    ("double precision", "numeric(5,2)"), ("double precision", "numeric"), ("real", "numeric"),
    ("double precision", "real"), ("numeric(10,2)", "numeric(10,4)"), ("numeric(10,2)", "numeric(12,1)"),
    ("timestamp with time zone", "time without time zone"), ("timestamp with time zone", "date"),
    ("timestamp with time zone", "timestamp without time zone"),
    ("timestamp without time zone", "timestamp with time zone"), ("date", "timestamp with time zone"),
    ("timestamp(6) without time zone", "timestamp(0) without time zone"),
    ("text", "character varying(10)"), ("character varying(20)", "character varying(10)"),
    ("character(3)", "text"), ("text", "integer"), ("json", "jsonb"), ("integer", "boolean"),
    ("integer[]", "integer"), ("interval", "interval(0)"), ("inet", "cidr"), ("mood", "text"),
    ("timestamp with time zone", "text"), ("double precision", "text"),
]
SAFE = [
    ("smallint", "integer"), ("integer", "bigint"), ("smallint", "real"), ("integer", "double precision"),
    ("integer", "numeric"), ("integer", "numeric(12,2)"), ("bigint", "numeric(19,0)"), ("real", "double precision"),
    ("numeric(10,2)", "numeric(12,4)"), ("numeric(10,2)", "numeric"), ("character varying(20)", "text"),
    ("character varying(20)", "character varying(50)"), ("text", "character varying"), ("integer", "text"),
    ("character(3)", "character(5)"), ("timestamp(3) with time zone", "timestamp with time zone"),
    ("date", "timestamp without time zone"), ("cidr", "inet"), ("integer[]", "bigint[]"), ("jsonb", "json"),
]


@pytest.mark.parametrize("old, new", LOSSY)
def test_lossy_conversions(old, new):
    assert lossy_reason(parse_type(old), parse_type(new)), (old, new)


@pytest.mark.parametrize("old, new", SAFE)
def test_known_safe_widenings(old, new):
    assert lossy_reason(parse_type(old), parse_type(new)) is None, (old, new)


LIVE = """
CREATE TABLE m (id integer PRIMARY KEY, big bigint, amount numeric(20,6), ratio double precision,
                at timestamptz, seen timestamptz, n integer);
INSERT INTO m SELECT g, 9007199254740993 + g, 1234567.123456 + g, 1.005 * g,
                     '2024-03-10 12:34:56.789+02', '2024-03-10 12:34:56+02', g FROM generate_series(1, 50) g;
"""
DESIRED = """
CREATE TABLE m (id integer PRIMARY KEY, big double precision, amount real, ratio numeric(6,2),
                at time, seen timestamp, n bigint);
"""


def _types(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                             "WHERE attrelid = 'm'::regclass AND attnum > 0 AND NOT attisdropped").fetchall())


def test_same_named_types_of_two_schemas_are_two_types():
    """`a.mood` to `b.mood` converts between two types: not known safe (they compared equal once)."""
    assert lossy_reason(parse_type("a.mood"), parse_type("b.mood")) is not None
    assert lossy_reason(parse_type("a.mood"), parse_type("a.mood")) is None
    assert str(parse_type("a.mood")) == "a.mood"
    assert str(parse_type("timestamp(3) with time zone")) == "timestamp(3) with time zone"
    assert str(parse_type("character varying(20)[]")) == "character varying(20)[]"


def test_lossy_type_changes_are_refused_on_rows_and_applied_with_consent(db, conn, tmp_path, capsys):
    conn.execute(LIVE)
    before = _types(conn)
    schema = tmp_path / "schema.sql"
    schema.write_text(DESIRED)
    code = main(["apply", *cli_flags(db), "--file", str(schema), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "refusing to apply: the plan has data_loss hazards" in err
    for column in ("big", "amount", "ratio", "at", "seen"):
        assert f"changes the type of {column} of public.m" in err, (column, err)
    assert "type of n of" not in err  # integer -> bigint keeps every value
    assert _types(conn) == before
    code = main(["apply", *cli_flags(db), "--file", str(schema), "--auto-approve", "--allow-hazards", "data_loss"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert _types(conn)["big"] == "double precision" and _types(conn)["at"] == "time without time zone"


def test_a_safe_widening_needs_no_consent(db, conn, tmp_path, capsys):
    conn.execute(LIVE)
    schema = tmp_path / "schema.sql"
    schema.write_text(LIVE.split("INSERT")[0].replace("n integer", "n bigint")
                      .replace("amount numeric(20,6)", "amount numeric(22,8)"))
    code = main(["apply", *cli_flags(db), "--file", str(schema), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "data_loss" not in out + err
    assert _types(conn)["n"] == "bigint" and _types(conn)["amount"] == "numeric(22,8)"

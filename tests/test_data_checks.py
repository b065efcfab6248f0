"""Data-aware preflight: before a step that fails (or loses data) because of the rows already
there, `plan` counts those rows and shows a few of their keys, and `apply` counts again and
refuses while any remain. Every scenario runs against a real server.
"""
from __future__ import annotations

import json
import re

from conftest import cli_flags
from pgschema_tui.cli import main


def _plan_json(db, tmp_path, capsys, desired_sql: str, *extra: str) -> tuple[dict, str]:
    """(the JSON plan, stdout+stderr) of `plan --file` with `desired_sql`."""
    desired = tmp_path / "desired.sql"
    desired.write_text(desired_sql)
    out = tmp_path / "plan.json"
    code = main(["plan", *cli_flags(db), "--file", str(desired), "--no-color", "--output-json", str(out),
                 "--output-human", "stdout", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(out.read_text()), captured.out + captured.err


def _checks(plan: dict, kind: str = "data_check") -> list[tuple[str, dict]]:
    """(step SQL, hazard) for every hazard of `kind`."""
    return [(s["sql"], h) for g in plan["groups"] for s in g["steps"] for h in s.get("hazards", ())
            if h["type"] == kind]


# ------------------------------------------------------------------ NOT NULL ---

NULLS_LIVE = ("CREATE TABLE t (id integer PRIMARY KEY, a text);"
              "INSERT INTO t SELECT i, CASE WHEN i IN (2, 5) THEN NULL ELSE 'x' END FROM generate_series(1, 8) i;")
NULLS_DESIRED = "CREATE TABLE t (id integer PRIMARY KEY, a text NOT NULL);\n"


def test_nulls_before_set_not_null_online_form(db, conn, tmp_path, capsys):
    conn.execute(NULLS_LIVE)
    plan, text = _plan_json(db, tmp_path, capsys, NULLS_DESIRED)
    checks = _checks(plan)
    # the validated CHECK (a IS NOT NULL) is what fails: the count sits on the VALIDATE step
    assert [sql for sql, _ in checks] == ["ALTER TABLE t VALIDATE CONSTRAINT a_not_null;"]
    hazard = checks[0][1]
    assert hazard["count"] == 2 and hazard["samples"] == ["id=2", "id=5"]
    assert hazard["relation"] == "public.t"
    assert "2 rows of public.t have NULL in a" in hazard["message"]
    assert "-- hazard data_check: 2 rows of public.t have NULL in a (e.g. id=2, id=5)" in text


def test_nulls_before_set_not_null_direct_form(db, conn, tmp_path, capsys):
    conn.execute(NULLS_LIVE)
    plan, _text = _plan_json(db, tmp_path, capsys, NULLS_DESIRED, "--no-online")
    checks = _checks(plan)
    assert [sql for sql, _ in checks] == ["ALTER TABLE t ALTER COLUMN a SET NOT NULL;"]
    assert checks[0][1]["count"] == 2


def test_more_rows_than_samples_are_all_counted(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, a text);"
                 "INSERT INTO t SELECT i, CASE WHEN i = 1 THEN 'x' END FROM generate_series(1, 8) i;")
    plan, _text = _plan_json(db, tmp_path, capsys, NULLS_DESIRED)
    hazard = _checks(plan)[0][1]
    assert hazard["count"] == 7 and hazard["samples"] == ["id=2", "id=3", "id=4", "id=5", "id=6"]


def test_no_hazard_when_the_rows_are_fine(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, a text); INSERT INTO t VALUES (1, 'x');")
    plan, text = _plan_json(db, tmp_path, capsys, NULLS_DESIRED)
    assert _checks(plan) == [] and _checks(plan, "data_unchecked") == []
    assert "Data checks: 1 run, none found rows" in text


# ----------------------------------------------------------------- narrowing ---


def test_values_that_do_not_fit_a_narrowed_type(db, conn, tmp_path, capsys):
    conn.execute("""
        CREATE TABLE t (id integer PRIMARY KEY, c varchar(20), b bigint, d numeric(10,2), s integer, n numeric);
        INSERT INTO t VALUES
          (1, 'abcdefgh', 1, 1.25, 1, 2147483647.4),   -- c too long
          (2, 'abc      ', 3000000000, 9999.94, 40000, 2147483647.5),  -- trailing blanks fit; b, s, n out of range
          (3, NULL, NULL, 9999.96, NULL, 'NaN'),       -- d rounds to 10000.0: too wide; NaN is no integer
          (4, 'ok', -3000000000, -12345.67, -40000, -2147483648.4);
    """)
    plan, _text = _plan_json(db, tmp_path, capsys, """
        CREATE TABLE t (id integer PRIMARY KEY, c varchar(5), b integer, d numeric(5,1), s smallint, n integer);
    """)
    found = {re.search(r" ha(?:s|ve) (.*?) \(e\.g\.", h["message"]).group(1): h for _sql, h in _checks(plan)}
    assert found["c longer than character varying(5)"]["count"] == 1
    assert found["c longer than character varying(5)"]["samples"] == ["id=1 c=abcdefgh"]
    assert found["b out of the range of integer"]["count"] == 2
    assert found["d that do not fit numeric(5,1)"]["count"] == 2
    assert found["d that do not fit numeric(5,1)"]["samples"] == ["id=3 d=9999.96", "id=4 d=-12345.67"]
    assert found["s out of the range of smallint"]["count"] == 2
    assert found["n out of the range of integer"]["count"] == 2
    assert len(found) == 5


# ---------------------------------------------------------------- duplicates ---


def test_duplicate_keys_before_unique_constraint_and_index(db, conn, tmp_path, capsys):
    conn.execute("""
        CREATE TABLE t (id integer PRIMARY KEY, email text, code text);
        INSERT INTO t VALUES (1, 'a@x', 'A'), (2, 'a@x', 'a'), (3, 'b@x', 'b'), (4, 'b@x', 'c'), (5, 'b@x', NULL),
                             (6, NULL, NULL), (7, NULL, 'd');
    """)
    plan, _text = _plan_json(db, tmp_path, capsys, """
        CREATE TABLE t (id integer PRIMARY KEY, email text, code text);
        ALTER TABLE t ADD CONSTRAINT t_email_key UNIQUE (email);
        CREATE UNIQUE INDEX t_code_lower ON t (lower(code));
    """)
    checks = {sql.split()[0]: h for sql, h in _checks(plan)}
    constraint = checks["ALTER"]
    assert constraint["count"] == 2  # two duplicated values; NULLs are distinct
    assert constraint["samples"] == ["email=a@x (2 rows)", "email=b@x (3 rows)"]
    assert "2 values of (email) occur more than once in public.t" in constraint["message"]
    index = checks["CREATE"]
    assert index["count"] == 1 and index["samples"] == ["lower(code)=a (2 rows)"]


def test_primary_key_counts_nulls_too(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (k integer, v text); INSERT INTO t VALUES (1, 'a'), (1, 'b'), (NULL, 'c');")
    plan, _text = _plan_json(db, tmp_path, capsys, "CREATE TABLE t (k integer PRIMARY KEY, v text);")
    messages = sorted(h["message"] for _sql, h in _checks(plan))
    assert len(messages) == 2
    assert messages[0].startswith("1 row of public.t has NULL in k (e.g. ctid=(0,3))")
    assert messages[1].startswith("1 value of (k) occurs more than once in public.t")


# ------------------------------------------------------------------- orphans ---


def test_orphans_before_foreign_key(db, conn, tmp_path, capsys):
    conn.execute("""
        CREATE TABLE p (id integer, sub integer, PRIMARY KEY (id, sub));
        CREATE TABLE c (id integer PRIMARY KEY, pid integer, psub integer);
        INSERT INTO p VALUES (1, 1);
        INSERT INTO c VALUES (1, 1, 1), (2, 9, 1), (3, NULL, 7), (4, 1, 2), (5, NULL, NULL);
    """)
    plan, _text = _plan_json(db, tmp_path, capsys, """
        CREATE TABLE p (id integer, sub integer, PRIMARY KEY (id, sub));
        CREATE TABLE c (id integer PRIMARY KEY, pid integer, psub integer,
                        CONSTRAINT c_p_fkey FOREIGN KEY (pid, psub) REFERENCES p (id, sub));
    """)
    checks = _checks(plan)
    assert [sql for sql, _ in checks] == ["ALTER TABLE c VALIDATE CONSTRAINT c_p_fkey;"]
    hazard = checks[0][1]
    # MATCH SIMPLE: a key with a NULL in it references nothing and passes
    assert hazard["count"] == 2
    assert hazard["samples"] == ["id=2 pid=9 psub=1", "id=4 pid=1 psub=2"]
    assert "2 rows of public.c reference no row of p" in hazard["message"]


def test_orphans_when_the_referenced_table_is_new(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE c (id integer PRIMARY KEY, pid integer); INSERT INTO c VALUES (1, 1), (2, NULL);")
    plan, _text = _plan_json(db, tmp_path, capsys, """
        CREATE TABLE p (id integer PRIMARY KEY);
        CREATE TABLE c (id integer PRIMARY KEY, pid integer REFERENCES p (id));
    """)
    checks = _checks(plan)
    assert len(checks) == 1 and checks[0][1]["count"] == 1 and checks[0][1]["samples"] == ["id=1 pid=1"]


# -------------------------------------------------------------------- checks ---


def test_rows_violating_a_new_check(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, qty integer);"
                 "INSERT INTO t VALUES (1, 5), (2, -1), (3, NULL), (4, 0);")
    plan, _text = _plan_json(db, tmp_path, capsys,
                             "CREATE TABLE t (id integer PRIMARY KEY, qty integer CONSTRAINT qty_positive "
                             "CHECK (qty > 0));")
    checks = _checks(plan)
    assert [sql for sql, _ in checks] == ["ALTER TABLE t VALIDATE CONSTRAINT qty_positive;"]
    assert checks[0][1]["count"] == 2 and checks[0][1]["samples"] == ["id=2", "id=4"]  # NULL passes a check
    assert "2 rows of public.t violate qty_positive" in checks[0][1]["message"]


def test_validating_a_live_not_valid_constraint(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, qty integer); INSERT INTO t VALUES (1, 0), (2, 3);"
                 "ALTER TABLE t ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;")
    plan, _text = _plan_json(db, tmp_path, capsys,
                             "CREATE TABLE t (id integer PRIMARY KEY, qty integer CONSTRAINT qty_positive "
                             "CHECK (qty > 0));")
    checks = _checks(plan)
    assert [sql for sql, _ in checks] == ["ALTER TABLE t VALIDATE CONSTRAINT qty_positive;"]
    assert checks[0][1]["samples"] == ["id=1"]


def test_match_full_and_partial_unique_index(db, conn, tmp_path, capsys):
    conn.execute("""
        CREATE TABLE p (a integer, b integer, PRIMARY KEY (a, b));
        CREATE TABLE c (id integer PRIMARY KEY, a integer, b integer, state text);
        INSERT INTO p VALUES (1, 1);
        INSERT INTO c VALUES (1, 1, 1, 'open'), (2, 1, NULL, 'open'), (3, NULL, NULL, 'closed'), (4, 1, 1, 'closed');
    """)
    plan, _text = _plan_json(db, tmp_path, capsys, """
        CREATE TABLE p (a integer, b integer, PRIMARY KEY (a, b));
        CREATE TABLE c (id integer PRIMARY KEY, a integer, b integer, state text,
                        CONSTRAINT c_full FOREIGN KEY (a, b) REFERENCES p (a, b) MATCH FULL);
        CREATE UNIQUE INDEX c_open_a ON c (a) WHERE state = 'open';
    """)
    checks = {h["message"].split(" (e.g.")[0]: h for _sql, h in _checks(plan)}
    # MATCH FULL: a key with only some of its columns NULL fails
    assert checks["1 row of public.c references no row of p (c_full)"]["samples"] == ["id=2 a=1 b=NULL"]
    # only the rows the index covers count: a=1 appears twice, once open
    assert checks["1 value of (a) occurs more than once in public.c (index c_open_a)"]["samples"] == [
        "a=1 (2 rows)"]
    assert len(checks) == 2


def test_a_check_that_fails_on_a_row_is_reported_not_passed(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, qty integer); INSERT INTO t VALUES (1, 0);")
    plan, _text = _plan_json(db, tmp_path, capsys,
                             "CREATE TABLE t (id integer PRIMARY KEY, qty integer CONSTRAINT inv CHECK (1 / qty > 0));")
    assert [h["message"] for _sql, h in _checks(plan, "data_unchecked")] == [
        "not checked (error: division by zero): rows of public.t violating inv"]


def test_percent_signs_in_an_expression_are_not_placeholders(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, name text);"
                 "INSERT INTO t VALUES (1, 'ok'), (2, 'a%bad%s');")
    plan, _text = _plan_json(db, tmp_path, capsys, "CREATE TABLE t (id integer PRIMARY KEY, name text "
                                                   "CONSTRAINT clean CHECK (name NOT LIKE '%bad%'));")
    assert [h["samples"] for _sql, h in _checks(plan)] == [["id=2"]]


def test_primary_key_using_a_unique_index_counts_nulls(conn):
    """PRIMARY KEY USING INDEX: the index is unique already, the NULLs still fail it."""
    from pgschema_tui.inspect import inspect_schema
    from pgschema_tui.inspect.datachecks import run_checks
    from pgschema_tui.plan.datacheck_specs import data_checks
    from pgschema_tui.plan.model import Step

    conn.execute("CREATE TABLE t (k integer, v text); INSERT INTO t VALUES (1, 'a'), (NULL, 'b'), (NULL, 'c');")
    steps = [Step(sql="CREATE UNIQUE INDEX CONCURRENTLY t_k ON t (k);", type="table.index", operation="create",
                  path="public.t.t_k", can_run_in_transaction=False),
             Step(sql="ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_k;", type="table.constraint",
                  operation="create", path="public.t.t_pkey")]
    checks = data_checks(steps, inspect_schema(conn, "public"))
    assert [(c.step, c.kind) for c in checks] == [(0, "duplicates"), (1, "not_null")]
    outcomes = run_checks(conn, "public", checks, 2000)
    assert [(o.count, o.samples) for o in outcomes] == [(0, ()), (2, (("(0,2)",), ("(0,3)",)))]


# ---------------------------------------------------------- scope and safety ---


def test_new_tables_and_new_columns_are_not_checked(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY); INSERT INTO t VALUES (1), (2);")
    plan, text = _plan_json(db, tmp_path, capsys, """
        CREATE TABLE t (id integer PRIMARY KEY, ref integer REFERENCES t (id), flag integer UNIQUE);
        CREATE TABLE n (id integer PRIMARY KEY, v text NOT NULL CHECK (v <> ''), UNIQUE (v));
    """)
    assert _checks(plan) == [] and _checks(plan, "data_unchecked") == []
    assert "Data checks" not in text


def test_a_check_on_a_column_the_plan_adds_reads_it_as_null(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY); INSERT INTO t VALUES (1), (2);")
    plan, _text = _plan_json(db, tmp_path, capsys, """
        CREATE TABLE t (id integer PRIMARY KEY,
                        note text CONSTRAINT note_set CHECK (note IS NOT NULL),
                        memo text CONSTRAINT memo_filled CHECK (memo <> ''));
    """)
    # every existing row gets NULL: note_set fails on both, memo_filled passes (NULL passes a check)
    assert [(h["message"].split(" (e.g.")[0], h["count"]) for _sql, h in _checks(plan)] == [
        ("2 rows of public.t violate note_set", 2)]
    assert _checks(plan, "data_unchecked") == []


def test_hostile_names_are_quoted_and_samples_neutralised(db, conn, tmp_path, capsys):
    conn.execute("""
        CREATE TABLE "we""ird; tab" ("k\ney" text PRIMARY KEY, "Val" text);
        INSERT INTO "we""ird; tab" VALUES (E'line1\nline2 ' || repeat('x', 200), NULL);
    """)
    plan, text = _plan_json(db, tmp_path, capsys,
                            'CREATE TABLE "we""ird; tab" ("k\ney" text PRIMARY KEY, "Val" text NOT NULL);')
    checks = _checks(plan)
    assert len(checks) == 1 and checks[0][1]["count"] == 1
    sample = checks[0][1]["samples"][0]
    assert "\n" not in sample and sample.startswith("k\\ney=line1\\nline2 xxx") and sample.endswith("…")
    assert len(sample) < 80
    assert "\n" not in checks[0][1]["message"]
    assert all("line2" not in line or line.startswith("-- hazard") for line in text.splitlines())


def test_skip_data_checks(db, conn, tmp_path, capsys):
    conn.execute(NULLS_LIVE)
    plan, text = _plan_json(db, tmp_path, capsys, NULLS_DESIRED, "--skip-data-checks")
    assert _checks(plan) == [] and _checks(plan, "data_unchecked") == []
    assert "data checks skipped (--skip-data-checks)" in text


BLOCKER = """
CREATE FUNCTION blocked(v integer) RETURNS boolean LANGUAGE sql
    AS $$ SELECT pg_advisory_xact_lock_shared(4242) IS NULL OR v > 0 $$;
CREATE TABLE t (id integer PRIMARY KEY, qty integer);
"""


def test_a_check_that_times_out_is_reported_not_passed(db, conn, tmp_path, capsys):
    conn.execute(BLOCKER + "INSERT INTO t VALUES (1, 1);")
    # another session holds the advisory lock the check's expression waits for: the check
    # cannot finish before its timeout, whatever the machine's speed
    with db.connect(autocommit=False) as locker:
        locker.execute("SELECT pg_advisory_xact_lock(4242)")
        plan, text = _plan_json(db, tmp_path, capsys, BLOCKER.replace(
            "qty integer)", "qty integer CONSTRAINT qty_blocked CHECK (blocked(qty)))"),
            "--data-check-timeout", "200ms")
    unchecked = _checks(plan, "data_unchecked")
    assert [(sql, h["message"]) for sql, h in unchecked] == [
        ("ALTER TABLE t VALIDATE CONSTRAINT qty_blocked;",
         "not checked (timeout after 200ms): rows of public.t violating qty_blocked")]
    assert "count" not in unchecked[0][1]
    assert _checks(plan) == []
    assert "1 not checked" in text


def test_reviewer_shows_data_check_hazards(db, conn, tmp_path, capsys):
    from pgschema_tui.plan.model import Plan
    from pgschema_tui.tui.session import ReviewSession
    from pgschema_tui.tui.widgets.step_details import details_text

    conn.execute(NULLS_LIVE)
    plan, _text = _plan_json(db, tmp_path, capsys, NULLS_DESIRED)
    loaded = Plan.from_json(plan)
    session = ReviewSession(loaded)
    index = next(i for i, s in enumerate(loaded.steps) if any(h.type == "data_check" for h in s.hazards))
    assert index in session.unacknowledged()
    shown = details_text(session, index, None).plain
    assert "! data_check: 2 rows of public.t have NULL in a (e.g. id=2, id=5)" in shown


# --------------------------------------------------------------------- apply ---


def _save_plan(db, tmp_path, capsys, desired_sql: str, *extra: str):
    plan, _text = _plan_json(db, tmp_path, capsys, desired_sql, *extra)
    return tmp_path / "plan.json"


def test_apply_rechecks_and_refuses_unless_allowed(db, conn, tmp_path, capsys):
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, a text); INSERT INTO t VALUES (1, 'x');")
    plan_file = _save_plan(db, tmp_path, capsys, NULLS_DESIRED)
    assert _checks(json.loads(plan_file.read_text())) == []  # clean at plan time
    conn.execute("INSERT INTO t VALUES (2, NULL)")  # ...not any more
    code = main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve"])
    err = capsys.readouterr().err
    assert code == 1
    assert "refusing to apply: the plan has data_check hazards" in err
    assert "1 row of public.t has NULL in a (e.g. id=2)" in err
    assert "--allow-hazards data_check" in err
    assert conn.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'a_not_null'").fetchone()[0] == 0

    # accepted: apply starts, and PostgreSQL itself rejects the NULL at the validation
    code = main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve",
                 "--allow-hazards", "data_check"])
    captured = capsys.readouterr()
    assert code == 1
    assert "refusing" not in captured.err
    assert "violated by some row" in captured.out + captured.err


def test_apply_recheck_lets_a_fixed_table_through(db, conn, tmp_path, capsys):
    conn.execute(NULLS_LIVE)
    plan_file = _save_plan(db, tmp_path, capsys, NULLS_DESIRED)
    assert _checks(json.loads(plan_file.read_text()))[0][1]["count"] == 2
    conn.execute("UPDATE t SET a = 'fixed' WHERE a IS NULL")
    assert main(["apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve"]) == 0, capsys.readouterr()
    assert conn.execute("SELECT attnotnull FROM pg_attribute WHERE attrelid = 't'::regclass "
                        "AND attname = 'a'").fetchone()[0] is True


def test_apply_file_refuses_with_the_counts(db, conn, tmp_path, capsys):
    conn.execute(NULLS_LIVE)
    desired = tmp_path / "desired.sql"
    desired.write_text(NULLS_DESIRED)
    code = main(["apply", *cli_flags(db), "--file", str(desired), "--auto-approve", "--no-color"])
    captured = capsys.readouterr()
    assert code == 1
    assert "2 rows of public.t have NULL in a" in captured.out  # the plan as shown
    assert "refusing to apply: the plan has data_check hazards" in captured.err

"""Fleets end to end on a real server: `--schema` lists and patterns, grouping of identical plans,
drift the catalog-signature shortcut must not hide, partial failures, stale fleet plans and
`--targets` over two databases."""
from __future__ import annotations

import json
import threading

import psycopg
import pytest

from conftest import cli_flags
from pgschema_tui.cli import main
from pgschema_tui.inspect import inspect_schema
from pgschema_tui.plan.fingerprint import fingerprint

TENANT = """
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL DEFAULT '', created date);
CREATE INDEX users_email_idx ON users (lower(email));
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users (id), total numeric(10, 2)
    CHECK (total >= 0));
CREATE FUNCTION order_count(u integer) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM orders WHERE user_id = u $$;
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
"""
DESIRED = TENANT.replace("created date", "created date, note text")  # one column more


def _tenants(conn, names, sql=TENANT):
    for name in names:
        conn.execute(f'CREATE SCHEMA "{name}"')
        conn.execute(f'SET search_path TO "{name}"')
        conn.execute(sql)
    conn.execute("RESET search_path")


def _desired(tmp_path, sql=DESIRED):
    path = tmp_path / "schema.sql"
    path.write_text(sql)
    return str(path)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _columns(conn, schema, table="users"):
    return [r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum", ('"' + schema.replace('"', '""') + f'".{table}',)).fetchall()]


def test_schema_lists_and_patterns_resolve_against_the_database(db, conn, tmp_path, capsys):
    _tenants(conn, ["tenant_a", "tenant_b", "tenant_c", "other"])
    file = _desired(tmp_path)
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", file, "--schema", "tenant_*,other",
                          "--output-json", str(tmp_path / "fleet.json"))
    assert code == 0, err
    doc = json.loads((tmp_path / "fleet.json").read_text())
    assert [t["schema"] for t in doc["targets"]] == ["other", "tenant_a", "tenant_b", "tenant_c"]
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", file, "--schema", "tenant_?")
    assert code == 0 and out.startswith("Fleet: 3 targets"), out + err
    # a pattern that matches nothing and a listed schema that does not exist: one error, nothing planned
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", file, "--schema", "nope_*,tenant_a,ghost")
    assert code == 1
    assert "'ghost' does not exist" in err and "'nope_*' matches no schema" in err and not out
    # one schema keeps today's output exactly
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", file, "--schema", "tenant_a")
    assert code == 0 and out.startswith("Plan: 1 to add") and "Fleet" not in out


def test_identical_plans_are_grouped_and_json_has_every_target(db, conn, tmp_path, capsys):
    _tenants(conn, ["t1", "t2", "t3"])
    _tenants(conn, ["t4"], DESIRED)  # already up to date
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "t1,t2,t3,t4",
                          "--detailed-exitcode", "--output-human", "stdout", "--output-json",
                          str(tmp_path / "fleet.json"))
    assert code == 2, err
    assert "Fleet: 4 targets, 2 distinct plans; 3 with changes." in out
    assert "[1] 1 target: no changes" in out
    assert "[2] 3 targets: + users.note" in out and "t1, t2, t3" in out
    assert out.count("ALTER TABLE users ADD COLUMN note text;") == 1  # each distinct plan shown once
    doc = json.loads((tmp_path / "fleet.json").read_text())
    by_schema = {t["schema"]: t for t in doc["targets"]}
    assert set(by_schema) == {"t1", "t2", "t3", "t4"}
    for schema, entry in by_schema.items():  # every fingerprint is the one a full inspection gives
        assert entry["fingerprint"] == fingerprint(inspect_schema(conn, schema))[0], schema
        assert entry["plan"]["schema"] == schema
    assert not by_schema["t4"]["plan"]["groups"]
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path, TENANT), "--schema", "t1,t2",
                          "--detailed-exitcode")
    assert code == 0 and "[1] 2 targets: no changes" in out


DRIFTS = {  # tenant -> a change the desired state does not have, one catalog property each
    "d_default": "ALTER TABLE users ALTER COLUMN email SET DEFAULT 'x'",
    "d_type": "ALTER TABLE users ALTER COLUMN created TYPE timestamp",
    "d_index": "DROP INDEX users_email_idx; CREATE INDEX users_email_idx ON users (upper(email))",
    "d_comment": "COMMENT ON COLUMN users.email IS 'drifted'",
    "d_grant": "GRANT SELECT ON users TO testuser",
    "d_body": "CREATE OR REPLACE FUNCTION order_count(u integer) RETURNS bigint LANGUAGE sql STABLE "
              "AS $$ SELECT count(*) + 0 FROM orders WHERE user_id = u $$",
    "d_check": "ALTER TABLE orders DROP CONSTRAINT orders_total_check, ADD CHECK (total > 0)",
    "d_view": "CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 101",
    "d_notnull": "ALTER TABLE users ALTER COLUMN created SET NOT NULL",
    "d_other_schema_ref": "CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM same_a.orders WHERE total > 100",
}


def test_a_drifted_tenant_is_never_grouped_with_unchanged_ones(db, conn, tmp_path, capsys):
    """The catalog-signature shortcut inspects one tenant per identical set: every drift must
    give a tenant a plan of its own, and every fingerprint must be the full inspection's."""
    same = ["same_a", "same_b", "same_c", "same_Q x", "same_Q y"]  # the last two print quoted
    _tenants(conn, same + list(DRIFTS), TENANT)
    for schema, sql in DRIFTS.items():
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute(sql)
    conn.execute("RESET search_path")
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path, TENANT), "--schema",
                          "same_*,d_*", "--output-json", str(tmp_path / "fleet.json"), "--output-human", "stdout")
    assert code == 0, err
    assert "[1] 5 targets: no changes" in out
    assert "Note: 11 of 15 schemas inspected in full" in err  # the same_* share one inspection
    doc = json.loads((tmp_path / "fleet.json").read_text())
    for entry in doc["targets"]:
        schema = entry["schema"]
        assert entry["fingerprint"] == fingerprint(inspect_schema(conn, schema))[0], schema
        assert bool(entry["plan"]["groups"]) == (schema in DRIFTS), schema


def test_inspect_each_gives_the_same_document(db, conn, tmp_path, capsys):
    _tenants(conn, ["x1", "x2"])
    conn.execute("ALTER TABLE x2.users ADD COLUMN note text")
    docs = []
    for extra in ([], ["--inspect-each"]):
        path = tmp_path / f"fleet{len(docs)}.json"
        code, _out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "x*",
                               "--output-json", str(path), *extra)
        assert code == 0, err
        docs.append([(t["schema"], t["fingerprint"], t["plan"]["groups"]) for t in json.loads(path.read_text())["targets"]])
    assert docs[0] == docs[1]


def _hold_lock(db, table: str, ready: threading.Event, release: threading.Event):
    with db.connect(autocommit=False) as other:
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        ready.set()
        release.wait(60)
        other.rollback()


def test_one_locked_tenant_fails_and_the_others_apply(db, conn, tmp_path, capsys):
    _tenants(conn, ["t_a", "t_b", "t_c", "t_d"])
    plan_file = tmp_path / "fleet.json"
    assert _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "t_*",
                "--output-json", str(plan_file))[0] == 0
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db, "t_b.users", ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        code, out, err = _run(capsys, "apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve",
                              "--lock-timeout", "200ms", "--lock-retries", "0", "--parallel", "2",
                              "--log-json", str(tmp_path / "log.jsonl"))
    finally:
        release.set()
        holder.join()
    assert code == 1, out + err
    for schema in ("t_a", "t_c", "t_d"):
        assert "note" in _columns(conn, schema), schema
    assert "note" not in _columns(conn, "t_b")
    assert "Fleet apply: 4 targets: 1 failed, 3 applied." in out
    failed_row = next(line for line in out.splitlines() if line.strip().startswith("t_b "))
    assert "failed" in failed_row and "lock" in out[out.index(failed_row):]
    events = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert all(e["target"]["database"] == db.db for e in events)
    finished = {e["target"]["schema"]: e["outcome"] for e in events if e["type"] == "target_finished"}
    assert finished == {"t_a": "applied", "t_b": "failed", "t_c": "applied", "t_d": "applied"}
    assert any(e["type"] == "step_finished" and e["target"]["schema"] == "t_c" for e in events)


def test_fail_fast_starts_no_other_target(db, conn, tmp_path, capsys):
    _tenants(conn, ["f_a", "f_b", "f_c"])
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db, "f_a.users", ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        code, out, err = _run(capsys, "apply", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "f_*",
                              "--auto-approve", "--lock-timeout", "200ms", "--lock-retries", "0", "--parallel", "1",
                              "--fail-fast")
    finally:
        release.set()
        holder.join()
    assert code == 1
    assert "1 failed, 2 skipped" in out and "--fail-fast" in out
    assert all("note" not in _columns(conn, s) for s in ("f_a", "f_b", "f_c"))


def test_a_stale_fleet_plan_is_refused_per_target(db, conn, tmp_path, capsys):
    _tenants(conn, ["s_a", "s_b", "s_c"])
    plan_file = tmp_path / "fleet.json"
    code, _out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "s_*",
                           "--output-json", str(plan_file))
    assert code == 0, err
    conn.execute("ALTER TABLE s_b.orders ADD COLUMN late integer")  # s_b changes after the plan
    code, out, err = _run(capsys, "apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve")
    assert code == 1
    assert "s_b.orders" in out and "changed since the plan was made" in out
    assert "note" in _columns(conn, "s_a") and "note" in _columns(conn, "s_c")
    assert "note" not in _columns(conn, "s_b")
    # an unchanged-target plan is checked too: s_a now has the column the plan would add
    code, out, err = _run(capsys, "apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve")
    assert code == 1 and "s_a" in out and "changed since the plan was made" in out


def test_an_edited_fleet_plan_is_refused(db, conn, tmp_path, capsys):
    _tenants(conn, ["e_a", "e_b"])
    plan_file = tmp_path / "fleet.json"
    assert _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "e_*",
                "--output-json", str(plan_file))[0] == 0
    doc = json.loads(plan_file.read_text())
    doc["targets"].pop()  # drop a target from the document
    plan_file.write_text(json.dumps(doc))
    code, out, err = _run(capsys, "apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve")
    assert code == 1 and "fleet_digest" in err and "Nothing was applied" in err
    assert "note" not in _columns(conn, "e_a")


def test_targets_file_over_two_databases(db, second_db, conn, tmp_path, capsys):
    _tenants(conn, ["acme", "globex"])
    with second_db.connect() as other:
        _tenants(other, ["initech"])
        other.execute("ALTER TABLE initech.users ADD COLUMN note text")  # already there
    def conninfo(s):
        return f"host={s.host} port={s.port} dbname={s.db}" + (f" user={s.user}" if s.user else "")
    targets = tmp_path / "targets.toml"
    targets.write_text(f'[[target]]\nname = "eu"\nconninfo = "{conninfo(db)}"\npattern = "*"\n'
                       f'[[target]]\nname = "us"\nconninfo = "{conninfo(second_db)}"\nschema = "initech"\n')
    code, out, err = _run(capsys, "plan", "--targets", str(targets), "--file", _desired(tmp_path),
                          "--output-json", str(tmp_path / "fleet.json"), "--output-human", "stdout")
    assert code == 0, err
    assert "Fleet: 4 targets in 2 databases" in out  # public of the first database is a target too
    assert "eu/acme, eu/globex" in out and "us/initech" in out
    code, out, err = _run(capsys, "apply", "--targets", str(targets), "--plan", str(tmp_path / "fleet.json"),
                          "--auto-approve", "--log-json", str(tmp_path / "log.jsonl"))
    assert code == 0, out + err
    assert "note" in _columns(conn, "acme") and "note" in _columns(conn, "globex")
    events = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert {(e["target"]["database"], e["target"]["schema"]) for e in events if e["type"] == "target_finished"} == {
        ("eu", "acme"), ("eu", "globex"), ("eu", "public"), ("us", "initech")}
    # without the targets file, a plan of two databases is refused
    code, out, err = _run(capsys, "apply", *cli_flags(db), "--plan", str(tmp_path / "fleet.json"), "--auto-approve")
    assert code == 1 and "--targets" in err


def test_bad_targets_files_are_one_clear_error(tmp_path, capsys):
    for text, message in (("[[target]]\nschema = 'x'\n", "conninfo is missing"),
                          ("[[target]]\nconninfo = 'dbname=x'\n", "exactly one of schema or pattern"),
                          ("[[target]\n", "not valid TOML"),
                          ("[[target]]\nconninfo = 'dbname=x password=hunter2 nonsense'\nschema = 'a'\n",
                           "not a valid libpq connection string")):
        path = tmp_path / "t.toml"
        path.write_text(text)
        code, out, err = _run(capsys, "plan", "--targets", str(path), "--file", _desired(tmp_path))
        assert code == 1 and message in err, err
        assert "hunter2" not in err and "Traceback" not in err


def test_flags_a_fleet_would_ignore_are_refused(db, tmp_path, capsys):
    targets = tmp_path / "t.toml"
    targets.write_text(f'[[target]]\nconninfo = "dbname={db.db}"\nschema = "public"\n')
    code, out, err = _run(capsys, "plan", "--targets", str(targets), "--db", "other", "--file", _desired(tmp_path))
    assert code == 1 and "--db would be ignored" in err
    code, out, err = _run(capsys, "dump", *cli_flags(db), "--schema", "tenant_*")
    assert code == 1 and "dump takes one schema" in err


def test_column_order_notes_name_every_target(db, conn, tmp_path, capsys):
    """Tenants with identical catalogs share one inspection: each must still get its column-order
    note, named (the file lists `created` before `email`; PostgreSQL never moves a column)."""
    names = ["co_a", "co_b", "co_q\nx"]
    _tenants(conn, names)
    reordered = TENANT.replace("email text NOT NULL DEFAULT '', created date", "created date, email text NOT NULL DEFAULT ''")
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path, reordered), "--schema", "co_*")
    assert code == 0, err
    assert "Note: 1 of 3 schemas inspected in full" in err  # the shortcut is taken
    notes = [line for line in err.splitlines() if "table users: its columns will be in the order" in line]
    assert notes, err
    named = " ".join(notes)
    for name in ("co_a", "co_b", "co_q\\nx"):
        assert name in named, (name, notes)
    assert "\nx" not in err.replace("\\nx", "")  # the newline in a schema name never reaches a line of its own
    assert len(notes) == 1  # one note for the tenants it applies to, not one per tenant


ODD = 'odd "q\nDROP TABLE t1.users; --'  # a quote and a newline: must stay inside identifiers and comments


def _odd_tenant(conn):
    conn.execute('CREATE SCHEMA "odd ""q\nDROP TABLE t1.users; --"')
    conn.execute("SELECT set_config('search_path', quote_ident(%s), false)", (ODD,))
    conn.execute(TENANT)
    conn.execute("RESET search_path")


def test_output_sql_over_a_fleet_is_one_runnable_document(db, conn, tmp_path, capsys):
    _tenants(conn, ["t1", "t2"])
    _tenants(conn, ["t3"], DESIRED)  # no changes
    _odd_tenant(conn)
    conn.execute("ALTER TABLE t2.orders ADD COLUMN late integer")  # t2: a plan of its own
    sql_file, md_file = tmp_path / "fleet.sql", tmp_path / "fleet.md"
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "t1,t2,t3,odd*",
                          "--output-sql", str(sql_file), "--output-markdown", str(md_file), "--output-human", "stdout")
    assert code == 0, err
    assert "Fleet: 4 targets, 3 distinct plans; 3 with changes." in out
    text = sql_file.read_text()
    for line in text.splitlines():  # the odd name never starts a line of its own
        assert not line.startswith("DROP TABLE t1"), line
    assert "-- Plan [2]: 2 targets" in text and "-- Plan [3]: 1 target" in text
    assert text.count("ALTER TABLE users ADD COLUMN note text;") == 3  # once per target that needs it
    assert 'SET search_path TO "t1"' in text and 'SET search_path TO "t3"' not in text
    assert "-- Plan [1]: 1 target: no changes" in text and '--   "t3"' in text
    # the document runs as it is, each target's statements in its own schema
    conn.execute(text)
    conn.execute("RESET search_path")
    for schema in ("t1", "t2", ODD):
        assert "note" in _columns(conn, schema), schema
    assert "late" not in _columns(conn, "t2", "orders")
    assert _columns(conn, "t3") == ["id", "email", "created", "note"]
    md = md_file.read_text()
    assert md.startswith("### pgschema-tui plan for 4 targets")
    assert "#### Plan [2]: 2 targets" in md and "<code>t1</code>" in md and "DROP TABLE t1.users; --</code>" in md
    assert "\nDROP" not in md  # the newline of the odd name is folded
    assert md.count("ALTER TABLE users ADD COLUMN note text;") == 2  # each distinct plan's SQL once
    assert "Fingerprint of the live schema" not in md  # each target has its own: in --output-json


def test_plan_db_over_a_fleet(db, second_db, conn, tmp_path, capsys):
    from psycopg.conninfo import make_conninfo

    _tenants(conn, ["pd_a", "pd_b"])
    _tenants(conn, ["pd_c"], DESIRED)
    plan_db = make_conninfo(**second_db.kwargs())
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "pd_*",
                          "--plan-db", plan_db, "--output-json", str(tmp_path / "fleet.json"), "--output-human", "stdout")
    assert code == 0, err
    assert "[1] 1 target: no changes" in out and "[2] 2 targets: + users.note" in out
    doc = json.loads((tmp_path / "fleet.json").read_text())
    assert [bool(t["plan"]["groups"]) for t in doc["targets"]] == [True, True, False]
    with second_db.connect() as other:  # nothing stays behind on the plan database
        assert not other.execute("SELECT 1 FROM pg_namespace WHERE nspname LIKE 'pgschema_tmp%'").fetchall()
    # the files really run on the --plan-db server: one that cannot be reached is the error
    code, out, err = _run(capsys, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "pd_*",
                          "--plan-db", "host=127.0.0.1 port=1 dbname=nope connect_timeout=2")
    assert code == 1 and "cannot connect to the --plan-db server" in err, err


def _read_pty_until(fd, seen: list[str], predicate, deadline: float) -> bool:
    """Read the terminal's output into `seen` (ANSI escapes stripped) until `predicate(text)` or
    the deadline; False at the deadline or end of output."""
    import os
    import re
    import select
    import time

    while time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                return predicate("".join(seen))
            if not chunk:
                return predicate("".join(seen))
            seen.append(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", chunk.decode("utf-8", "replace")))
        if predicate("".join(seen)):
            return True
    return False


def test_apply_on_a_terminal_shows_each_running_target_live(db, conn, tmp_path):
    """On a terminal, the targets in progress are a live table: state, step and what it waits for.
    A tenant whose table another session reads is shown running its ALTER and waiting for the lock."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios
    import time

    _tenants(conn, ["r_a", "r_b", "r_c"])
    plan_file = tmp_path / "fleet.json"
    cli = os.path.join(os.path.dirname(sys.executable), "pgschema-tui")
    made = subprocess.run([cli, "plan", *cli_flags(db), "--file", _desired(tmp_path), "--schema", "r_*",
                           "--output-json", str(plan_file)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    reader = db.connect(autocommit=False)
    reader.execute("SELECT * FROM r_b.users")  # ACCESS SHARE until rollback: the ALTER of r_b waits
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
    seen: list[str] = []
    proc = subprocess.Popen([cli, "apply", *cli_flags(db), "--plan", str(plan_file), "--auto-approve",
                             "--parallel", "2", "--lock-timeout", "5s", "--lock-retries", "3"],
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                            env={**os.environ, "TERM": "xterm", "COLUMNS": "200", "LINES": "40"})
    os.close(slave)
    try:
        live = _read_pty_until(master, seen, lambda text: any(
            "r_b" in line and "running" in line and "[1/1]" in line and "waiting for" in line
            for line in text.splitlines()), time.monotonic() + 60)
        reader.rollback()
        _read_pty_until(master, seen, lambda text: False, time.monotonic() + 60)
        assert proc.wait(60) == 0, "".join(seen)[-3000:]
    finally:
        reader.close()
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    text = "".join(seen)
    assert live, text[-3000:]
    assert "Fleet apply: 1/3 done" in text or "Fleet apply: 2/3 done" in text  # the live head, while r_b waits
    assert "Fleet apply: 3 targets: 3 applied." in text  # the final table stays
    assert "note" in _columns(conn, "r_b")


def test_apply_file_refuses_data_loss_per_target(db, conn, tmp_path, capsys):
    """`apply --file` over a fleet checks each target's rows before its executor starts: the
    tenant whose dropped column holds data is refused, the empty one is migrated."""
    _tenants(conn, ["dl_a", "dl_b"])
    conn.execute("INSERT INTO dl_a.users (id, created) VALUES (1, '2024-01-01')")
    dropped = TENANT.replace(", created date", "")
    code, out, err = _run(capsys, "apply", *cli_flags(db), "--file", _desired(tmp_path, dropped), "--schema", "dl_*",
                          "--auto-approve")
    assert code == 1, out + err
    assert "Fleet apply: 2 targets: 1 failed, 1 applied." in out
    row = next(line for line in out.splitlines() if line.strip().startswith("dl_a "))
    assert "refusing to apply" in row and "data_loss" in out
    assert "created" in _columns(conn, "dl_a") and "created" not in _columns(conn, "dl_b")


def test_two_fleet_documents_on_stdout_are_refused(tmp_path, capsys):
    code, out, err = _run(capsys, "plan", "--db", "x", "--file", _desired(tmp_path), "--schema", "a,b",
                          "--output-sql", "stdout", "--output-markdown", "-")
    assert code == 1 and "only one output format can go to stdout (asked for sql, markdown)" in err and not out

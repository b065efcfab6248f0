""".pgschemaignore sections for the kinds issue 10 added: collations, statistics, rules, text
search configurations and dictionaries, foreign tables, operators, operator classes and
families. Against a real server: the ignored objects (live only, or spelled differently in the
file) are neither dropped nor changed by the plan, not dumped, and the reviewer's Explore lists
them as ignored; the objects around them stay managed."""
from __future__ import annotations

import subprocess
import sys

from conftest import cli_flags, run_sql
from pgschema_tui.ir.ignore import SECTIONS, parse_ignore_file

IGNORE = """
[collations]
patterns = ["tmp_*"]
[statistics]
patterns = ["tmp_*"]
[rules]
patterns = ["tmp_*"]
[text_search_configurations]
patterns = ["tmp_*"]
[text_search_dictionaries]
patterns = ["tmp_*"]
[foreign_tables]
patterns = ["tmp_*"]
[operators]
patterns = ["[=][=][=]"]
[operator_classes]
patterns = ["tmp_*"]
[operator_families]
patterns = ["tmp_*"]
"""

COMMON = """
CREATE FOREIGN DATA WRAPPER ign_fdw;
CREATE SERVER ign_remote FOREIGN DATA WRAPPER ign_fdw;
"""

LIVE = """
CREATE TABLE users (id integer PRIMARY KEY, email text, n integer);
CREATE COLLATION tmp_coll (locale = 'C');
CREATE COLLATION keep_coll (locale = 'C');
CREATE STATISTICS tmp_stats ON id, n FROM users;
CREATE RULE tmp_rule AS ON DELETE TO users DO INSTEAD NOTHING;
CREATE TEXT SEARCH DICTIONARY tmp_dict (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION tmp_cfg (COPY = english);
CREATE FOREIGN TABLE tmp_remote (id integer) SERVER ign_remote;
CREATE FUNCTION int_eq(integer, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = bigint, FUNCTION = int_eq);
CREATE OPERATOR FAMILY tmp_fam USING btree;
CREATE OPERATOR CLASS tmp_int_ops FOR TYPE integer USING hash AS OPERATOR 1 =, FUNCTION 1 hashint4(integer);
"""

# the managed objects, and some ignored ones spelled differently (they must not be replaced)
DESIRED = """
CREATE TABLE users (id integer PRIMARY KEY, email text, n integer);
CREATE COLLATION keep_coll (locale = 'C');
CREATE COLLATION tmp_coll (locale = 'POSIX');
CREATE TEXT SEARCH DICTIONARY tmp_dict (TEMPLATE = simple, STOPWORDS = english);
CREATE TABLE orders (id integer PRIMARY KEY);
CREATE FUNCTION int_eq(integer, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
"""

IGNORED = {"public.tmp_coll", "public.users.tmp_stats", "public.users.tmp_rule", "public.tmp_dict", "public.tmp_cfg",
           "public.tmp_remote", "public.===(integer, bigint)", "public.tmp_fam USING btree",
           "public.tmp_int_ops USING hash"}


def cli(db, cwd, *args: str) -> subprocess.CompletedProcess:
    command, *rest = args
    return subprocess.run([sys.executable, "-m", "pgschema_tui", command, *cli_flags(db), "--no-color", *rest],
                          capture_output=True, text=True, timeout=180, cwd=cwd)


def test_sections_of_the_new_kinds_are_known():
    rules = parse_ignore_file(IGNORE, "x")
    assert {"collations", "statistics", "rules", "text_search_configurations", "text_search_dictionaries",
            "foreign_tables", "operators", "operator_classes", "operator_families"} <= set(SECTIONS)
    assert rules.ignores("operators", "===") and not rules.ignores("operators", "==")


def test_plan_and_dump_leave_the_new_kinds_alone(db, tmp_path):
    run_sql(db, COMMON + LIVE)
    (tmp_path / ".pgschemaignore").write_text(IGNORE)
    (tmp_path / "schema.sql").write_text(DESIRED)
    r = cli(db, tmp_path, "plan", "--file", "schema.sql", "--output-json", "plan.json", "--output-human", "stdout")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Plan: 2 to add, 0 to change, 0 to drop.", r.stdout
    assert lines[1] == f"Ignored: {len(IGNORED)} objects named by .pgschemaignore, left as they are.", r.stdout
    for word in ("tmp_", "==="):
        assert word not in r.stdout.split("\n", 2)[2], r.stdout
    r = cli(db, tmp_path, "apply", "--plan", "plan.json", "--auto-approve")
    assert r.returncode == 0, r.stdout + r.stderr
    with db.connect() as conn:
        assert conn.execute("SELECT (SELECT count(*) FROM pg_collation WHERE collname = 'tmp_coll'),"
                            " (SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'tmp_stats'),"
                            " (SELECT count(*) FROM pg_rewrite WHERE rulename = 'tmp_rule'),"
                            " to_regclass('tmp_remote') IS NOT NULL, to_regclass('orders') IS NOT NULL,"
                            " (SELECT count(*) FROM pg_operator WHERE oprname = '==='),"
                            " (SELECT count(*) FROM pg_opfamily WHERE opfname = 'tmp_fam')").fetchone() \
            == (1, 1, 1, True, True, 1, 1)
    dump = cli(db, tmp_path, "dump")
    assert dump.returncode == 0, dump.stderr
    assert "tmp_" not in dump.stdout and "===" not in dump.stdout and "keep_coll" in dump.stdout, dump.stdout


def test_explore_marks_the_new_kinds_ignored(db):
    """Explore's pairs: an ignored object that either IR still holds is marked ignored, never
    "dropped"; the paths come from the same filter the plan uses."""
    from pgschema_tui.ir.ignore import filter_schema
    from pgschema_tui.parse import load_sql
    from pgschema_tui.tui.explore_model import IGNORED as IGNORED_GROUP, pair_objects
    from test_plan_helpers import inspect

    run_sql(db, COMMON + LIVE)
    live = inspect(db)
    rules = parse_ignore_file(IGNORE, "x")
    kept, paths = filter_schema(live, rules)
    assert set(paths) == IGNORED
    groups = dict(pair_objects(load_sql(DESIRED), live, paths))
    ignored = {p.key for pairs in groups.values() for p in pairs if p.ignored}
    assert {"tmp_coll", "tmp_stats", "users.tmp_rule", "===(integer, bigint)", "tmp_int_ops USING hash"} <= ignored
    assert all(not p.ignored for p in groups.get("collations", []) if p.key == "keep_coll")
    assert IGNORED_GROUP not in groups
    assert set(kept.collations) == {"keep_coll"}
    assert not any(getattr(kept, c) for c in ("statistics", "rules", "text_search_configurations",
                                               "text_search_dictionaries", "operators", "operator_classes",
                                               "operator_families"))
    assert set(kept.tables) == {"users"}

"""Issue 10, item 1: text search configurations and dictionaries (with their mappings) are
modelled like every other kind, against a real server: created from empty, changed in place
(ALTER MAPPING, ALTER DICTIONARY), dropped, and what stands on them rebuilt when they are
replaced. Dump round trips: testdata/dump/text_search (test_dump_roundtrip.py)."""
from __future__ import annotations

from conftest import run_sql
from converge_helpers import converges, plan_against
from pgschema_tui.parse import load_sql
from pgschema_tui.plan.render_sql import render_sql

from test_plan_helpers import migrate_and_check

SCHEMA = """
CREATE TEXT SEARCH DICTIONARY my_stop (TEMPLATE = pg_catalog.simple, STOPWORDS = english, ACCEPT = false);
COMMENT ON TEXT SEARCH DICTIONARY my_stop IS 'simple, without English stop words';
CREATE TEXT SEARCH DICTIONARY my_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION docs (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION docs ALTER MAPPING FOR asciiword, word WITH my_stop, my_stem;
ALTER TEXT SEARCH CONFIGURATION docs DROP MAPPING FOR email, url;
COMMENT ON TEXT SEARCH CONFIGURATION docs IS 'documents';
CREATE TEXT SEARCH CONFIGURATION plain (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION plain ADD MAPPING FOR asciiword, word WITH simple;
CREATE TABLE doc (id int PRIMARY KEY, body text,
                  tsv tsvector GENERATED ALWAYS AS (to_tsvector('docs', body)) STORED);
CREATE INDEX doc_body_fts ON doc USING gin (to_tsvector('docs'::regconfig, body));
CREATE VIEW doc_words AS SELECT id, to_tsvector('plain'::regconfig, body) AS words FROM doc;
"""


def test_text_search_objects_converge_from_empty(db, second_db):
    converges(db, second_db, SCHEMA)


def test_mapping_and_option_changes_are_altered_in_place(db):
    run_sql(db, SCHEMA)
    changed = (SCHEMA.replace("ACCEPT = false", "ACCEPT = true")
               .replace("DROP MAPPING FOR email, url", "DROP MAPPING FOR email")
               .replace("WITH my_stop, my_stem", "WITH my_stem")
               .replace("ADD MAPPING FOR asciiword, word WITH simple",
                        "ADD MAPPING FOR asciiword, word, numword WITH simple"))
    plan = migrate_and_check(db, load_sql(changed))
    sql = render_sql(plan)
    assert "ALTER TEXT SEARCH DICTIONARY my_stop (accept = 'true');" in sql
    assert "ALTER TEXT SEARCH CONFIGURATION docs ALTER MAPPING FOR asciiword, word WITH my_stem;" in sql
    assert "ALTER TEXT SEARCH CONFIGURATION docs ADD MAPPING FOR url WITH simple;" in sql
    assert "ALTER TEXT SEARCH CONFIGURATION plain ADD MAPPING FOR numword WITH simple;" in sql
    assert "DROP" not in sql.replace("DROP MAPPING", "")  # nothing replaced: the index stays


def test_new_parser_replaces_the_configuration_with_what_stands_on_it(db):
    run_sql(db, "CREATE TABLE doc (id int, body text);"
                "CREATE TEXT SEARCH CONFIGURATION c (COPY = simple);"
                "CREATE INDEX doc_fts ON doc USING gin (to_tsvector('c'::regconfig, body));"
                "CREATE VIEW v AS SELECT to_tsvector('c'::regconfig, body) AS t FROM doc;")
    # a different (same-named) parser cannot be ALTERed in: the config is replaced, the index
    # and view that use it are dropped before and created after
    desired = ("CREATE TABLE doc (id int, body text);"
               "CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, "
               "LEXTYPES = prsd_lextype);"
               "CREATE TEXT SEARCH CONFIGURATION c (PARSER = p);"
               "CREATE INDEX doc_fts ON doc USING gin (to_tsvector('c'::regconfig, body));"
               "CREATE VIEW v AS SELECT to_tsvector('c'::regconfig, body) AS t FROM doc;")
    run_sql(db, "CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, "
                "LEXTYPES = prsd_lextype);")
    desired = desired.replace("CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, "
                              "END = prsd_end, LEXTYPES = prsd_lextype);", "")
    plan = migrate_and_check(db, load_sql(desired))
    sql = render_sql(plan)
    assert sql.index("DROP INDEX") < sql.index("DROP TEXT SEARCH CONFIGURATION c")
    assert sql.index("DROP VIEW v") < sql.index("DROP TEXT SEARCH CONFIGURATION c")
    assert sql.index("CREATE TEXT SEARCH CONFIGURATION c") < sql.index("CREATE INDEX")


def test_dropped_dictionary_goes_after_the_mapping_that_used_it(db):
    run_sql(db, "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple);"
                "CREATE TEXT SEARCH CONFIGURATION c (COPY = simple);"
                "ALTER TEXT SEARCH CONFIGURATION c ALTER MAPPING FOR word WITH d;"
                "CREATE TABLE t (id int);")
    plan = migrate_and_check(db, load_sql("CREATE TEXT SEARCH CONFIGURATION c (COPY = simple);"
                                          "CREATE TABLE t (id int);"))
    assert "DROP TEXT SEARCH DICTIONARY d;" in render_sql(plan)


def test_drop(db):
    run_sql(db, SCHEMA)
    plan = migrate_and_check(db, load_sql("CREATE TABLE doc (id int PRIMARY KEY, body text);"))
    sql = render_sql(plan)
    for statement in ("DROP TEXT SEARCH CONFIGURATION docs;", "DROP TEXT SEARCH CONFIGURATION plain;",
                      "DROP TEXT SEARCH DICTIONARY my_stop;", "DROP TEXT SEARCH DICTIONARY my_stem;"):
        assert statement in sql
    assert sql.index("DROP INDEX") < sql.index("DROP TEXT SEARCH CONFIGURATION docs")


def test_files_planned_against_the_database_they_built_are_empty(db):
    run_sql(db, SCHEMA)
    assert plan_against(db, SCHEMA).is_empty


def test_fingerprint_names_a_configuration_whose_mapping_changed(db):
    """A plan made before someone altered a mapping is stale: apply's fingerprint says which object."""
    from pgschema_tui.plan.fingerprint import changed_objects, fingerprint

    from test_plan_helpers import inspect

    run_sql(db, SCHEMA)
    before = fingerprint(inspect(db))
    run_sql(db, "ALTER TEXT SEARCH CONFIGURATION plain ALTER MAPPING FOR word WITH my_stop;")
    after = fingerprint(inspect(db))
    assert before[0] != after[0]
    assert changed_objects(before[1], after[1]) == ["public.plain"]


def test_explore_tree_lists_the_kinds(db):
    """The reviewer's Explore trees group objects by collection: the new kinds are among them."""
    from pgschema_tui.tui.explore_model import pair_objects

    from test_plan_helpers import inspect

    run_sql(db, SCHEMA)
    grouped = dict(pair_objects(load_sql(SCHEMA.replace("ACCEPT = false", "ACCEPT = true")), inspect(db)))
    states = {p.key: p.state for p in grouped["text_search_dictionaries"]}
    assert states == {"my_stem": "same", "my_stop": "changed"}
    assert {p.key for p in grouped["text_search_configurations"]} == {"docs", "plain"}


def test_pg_dump_output_plans_empty(pg_server, db, tmp_path):
    """pg_dump qualifies configurations in expressions (`'public.docs'::regconfig`, no search_path);
    the catalog prints them bare for the schema's own: the same configuration, nothing to do."""
    import subprocess

    run_sql(db, SCHEMA)
    cmd = [pg_server.tool("pg_dump"), "-h", db.host, "-p", str(db.port), "-U", db.user, "--schema-only", db.db]
    dumped = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    dumped = "\n".join(line for line in dumped.splitlines() if not line.startswith("\\"))  # \restrict
    assert "'public.docs'::regconfig" in dumped
    plan = plan_against(db, dumped)
    assert plan.is_empty, render_sql(plan)


def test_replaced_configuration_takes_the_generated_column_using_it_along(db):
    """A stored generated column computed with the configuration blocks its DROP: the column is
    dropped before and added back after (its values are derived), like for a recreated function."""
    parser = ("CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, "
              "LEXTYPES = prsd_lextype);")
    run_sql(db, parser + "CREATE TEXT SEARCH CONFIGURATION c (COPY = simple);"
                "CREATE TABLE doc (id int, body text, tsv tsvector GENERATED ALWAYS AS (to_tsvector('c', body)) STORED);")
    plan = migrate_and_check(db, load_sql("CREATE TEXT SEARCH CONFIGURATION c (PARSER = p);"
                                          "CREATE TABLE doc (id int, body text, "
                                          "tsv tsvector GENERATED ALWAYS AS (to_tsvector('c', body)) STORED);"))
    sql = render_sql(plan)
    assert sql.index("DROP COLUMN tsv") < sql.index("DROP TEXT SEARCH CONFIGURATION c") < sql.index("ADD COLUMN tsv")


def test_text_search_parsers_and_templates_are_named_as_left_alone(db, tmp_path, capsys):
    from conftest import cli_flags
    from pgschema_tui.cli import main

    run_sql(db, "CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, "
                "LEXTYPES = prsd_lextype); CREATE TEXT SEARCH TEMPLATE tp (LEXIZE = dsimple_lexize);"
                "CREATE TEXT SEARCH CONFIGURATION c (PARSER = p);")
    path = tmp_path / "main.sql"
    path.write_text("CREATE TEXT SEARCH CONFIGURATION c (PARSER = p);\n")
    assert main(["plan", "--detailed-exitcode", "--file", str(path), *cli_flags(db)]) == 0
    err = capsys.readouterr().err
    assert "text search parser p" in err and "text search template tp" in err, err

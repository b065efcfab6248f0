"""An empty or comment-only desired file (a wrong path, an include that was not followed) plans
the drop of every object of the schema: `plan`, `apply --file` and `review --file` refuse it
unless `--allow-drop-all` says so, and say why; nothing is applied."""
from __future__ import annotations

import pytest

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main

LIVE = """
CREATE TYPE mood AS ENUM ('ok', 'meh');
CREATE SEQUENCE counter;
CREATE TABLE notes (id integer, body text);
CREATE VIEW note_ids AS SELECT id FROM notes;
CREATE FUNCTION answer() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
"""

EMPTY_FILES = {"empty": "", "comments": "-- the schema\n/* nothing here yet */\n\n   \n"}


def _objects(db) -> int:
    with db.connect() as c:
        return c.execute("SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE n.nspname = 'public') + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n "
                         "ON n.oid = p.pronamespace WHERE n.nspname = 'public') + (SELECT count(*) FROM pg_type t "
                         "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' "
                         "AND t.typtype = 'e')").fetchone()[0]


@pytest.mark.parametrize("content", EMPTY_FILES.values(), ids=EMPTY_FILES.keys())
@pytest.mark.parametrize("command", ["plan", "apply", "review"])
def test_refuses_to_drop_every_object(db, tmp_path, capsys, command, content):
    run_sql(db, LIVE)
    before = _objects(db)
    schema = tmp_path / "schema.sql"
    schema.write_text(content)
    extra = ["--auto-approve", "--allow-hazards", "data_loss"] if command == "apply" else []
    code = main([command, *cli_flags(db), "--file", str(schema), *extra])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "the desired files define no objects of schema public" in err
    assert "this plan would drop all 5 objects" in err
    assert "--allow-drop-all" in err
    assert "Traceback" not in err
    assert _objects(db) == before


def test_allow_drop_all_plans_and_applies_the_drops(db, tmp_path, capsys):
    run_sql(db, LIVE)
    schema = tmp_path / "schema.sql"
    schema.write_text("-- everything goes\n")
    assert main(["plan", *cli_flags(db), "--file", str(schema), "--allow-drop-all"]) == 0
    assert "DROP VIEW note_ids" in capsys.readouterr().out
    assert main(["apply", *cli_flags(db), "--file", str(schema), "--allow-drop-all", "--auto-approve"]) == 0, \
        capsys.readouterr()
    assert _objects(db) == 0


def test_files_that_define_other_objects_are_a_plan_like_any_other(db, tmp_path, capsys):
    """Only files defining nothing are refused: replacing every object (a function whose
    signature changes, a table renamed) is a plan like any other."""
    run_sql(db, LIVE)
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE other (id integer);\n")
    assert main(["plan", *cli_flags(db), "--file", str(schema)]) == 0
    assert "DROP TABLE notes" in capsys.readouterr().out


def test_an_empty_schema_or_a_kept_object_is_no_reason_to_refuse(db, tmp_path, capsys):
    schema = tmp_path / "schema.sql"
    schema.write_text("")
    assert main(["plan", *cli_flags(db), "--file", str(schema)]) == 0  # nothing to drop
    run_sql(db, LIVE)
    schema.write_text("CREATE TABLE notes (id integer, body text);\n")
    assert main(["plan", *cli_flags(db), "--file", str(schema)]) == 0
    assert "DROP VIEW note_ids" in capsys.readouterr().out

"""`\\i` / `\\ir` includes: relative paths, folders in name order, cycles, escapes, source positions."""
from __future__ import annotations

import pytest

from pgschema_tui.errors import SqlSyntaxError, UserError
from pgschema_tui.parse import load_files
from pgschema_tui.parse.sources import read_chunks
from pgschema_tui.parse.statements import parse_chunks


def write(root, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "main.sql"


def test_relative_includes_and_folders_in_name_order(tmp_path):
    main = write(tmp_path, {
        "main.sql": "\\i types/enum.sql\n\\ir tables/\nCREATE VIEW v AS SELECT id FROM b;\n",
        "types/enum.sql": "CREATE TYPE mood AS ENUM ('ok');\n",
        "tables/b.sql": "\\i ../shared/extra.sql\nCREATE TABLE b (id int, m mood);\n",
        "tables/a.sql": "CREATE TABLE a (id int);\n",
        "tables/nested/c.sql": "CREATE TABLE c (id int);\n",
        "shared/extra.sql": "CREATE TABLE extra (id int);\n",
    })
    statements = parse_chunks(read_chunks(main))
    assert [s.where for s in statements] == [
        "types/enum.sql:1:1", "tables/a.sql:1:1", "shared/extra.sql:1:1", "tables/b.sql:2:1",
        "tables/nested/c.sql:1:1", "main.sql:3:1"]
    schema = load_files(main, "public")
    assert set(schema.tables) == {"a", "b", "c", "extra"}
    assert schema.tables["b"].column("m").type == "mood"


def test_backslash_lines_inside_strings_and_bodies_are_sql(tmp_path):
    main = write(tmp_path, {"main.sql": (
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\i not_a_file.sql\n$$;\n"
        "CREATE TABLE t (note text DEFAULT '\n\\i nope\n');\n\\set x 1\n")})
    schema = load_files(main, "public")
    assert "\\i not_a_file.sql" in schema.functions["f()"].body
    assert set(schema.tables) == {"t"}


def test_include_cycle_is_an_error(tmp_path):
    main = write(tmp_path, {"main.sql": "\\i a.sql\n", "a.sql": "CREATE TABLE a (id int);\n\\i b.sql\n",
                            "b.sql": "\\i a.sql\n"})
    with pytest.raises(UserError, match=r"b.sql:1:1: include cycle: main.sql -> a.sql -> b.sql -> a.sql"):
        load_files(main)


def test_include_escaping_the_root_folder_is_an_error(tmp_path):
    root = tmp_path / "schema"
    root.mkdir()
    (tmp_path / "secret.sql").write_text("CREATE TABLE s (id int);\n")
    main = write(root, {"main.sql": "-- header\n  \\i ../secret.sql\n"})
    with pytest.raises(UserError, match=r"main.sql:2:3: include path '../secret.sql' escapes the root folder"):
        load_files(main)


def test_missing_include_names_the_including_line(tmp_path):
    main = write(tmp_path, {"main.sql": "CREATE TABLE a (id int);\n\\i missing.sql\n"})
    with pytest.raises(UserError, match=r"main.sql:2:1: file not found: missing.sql"):
        load_files(main)


def test_syntax_error_position_through_an_include(tmp_path):
    main = write(tmp_path, {
        "main.sql": "-- top\n\\i sub/tables.sql\n",
        "sub/tables.sql": "CREATE TABLE ok (id int);\n\n-- é comment\nCREATE TABLE bad (id int,, name text);\n",
    })
    with pytest.raises(SqlSyntaxError) as info:
        load_files(main)
    assert str(info.value) == 'sub/tables.sql:4:26: syntax error: at or near ","'
    assert (info.value.file, info.value.line, info.value.column) == ("sub/tables.sql", 4, 26)


def test_syntax_error_at_end_of_file(tmp_path):
    main = write(tmp_path, {"main.sql": "CREATE TABLE t (\n  id int\n"})
    with pytest.raises(SqlSyntaxError, match=r"^main.sql:3:1: syntax error: at end of input$"):
        load_files(main)


def test_fast_parse_builds_the_same_tree():
    from pglast import parse_sql

    from pgschema_tui.parse.statements import parse_sql_fast
    from conftest import TESTDATA

    for path in sorted(TESTDATA.glob("*/*/schema.sql")):
        text = path.read_text()
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("\\"))
        assert parse_sql_fast(text) == parse_sql(text), path
        # The only visible difference: Boolean constants hold 0/1 instead of False/True.
        fast = [repr(s).replace("boolval=0", "boolval=False").replace("boolval=1", "boolval=True")
                for s in parse_sql_fast(text)]
        assert fast == [repr(s) for s in parse_sql(text)], path


def test_copy_data_blocks_are_skipped_like_psql_sends_them(tmp_path):
    """A pg_dump with data: rows after `COPY ... FROM stdin;` up to `\\.` are not SQL (quotes,
    backslashes, even an `\\i` at a row's start); positions after them stay right."""
    main = write(tmp_path, {"main.sql": (
        "CREATE TABLE t (id int, name text);\n"
        "COPY public.t (id, name) FROM stdin;\n1\tO'Brien\n\\i not_an_include.sql\n\\.\n"
        "copy t from stdin;\n\\.\n"
        "CREATE TABLE u (x int);\nCREATE TABLE oops (;\n")})
    with pytest.raises(SqlSyntaxError) as err:
        load_files(main, "public")
    assert str(err.value).startswith("main.sql:9:")
    (tmp_path / "main.sql").write_text((tmp_path / "main.sql").read_text().replace("CREATE TABLE oops (;\n", ""))
    assert set(load_files(main, "public").tables) == {"t", "u"}

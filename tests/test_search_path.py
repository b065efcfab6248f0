"""Names resolved as the server resolves them for the user's session (pg_catalog first, then the
target schema, then the rest of the session's search_path), by plan, apply and inspection alike."""
from __future__ import annotations

from pathlib import Path

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main


def _plan(settings, desired: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["plan", *cli_flags(settings), "--file", str(desired), "--detailed-exitcode", "--no-color", *extra])
    out, err = capsys.readouterr()
    return code, out + err


def _apply(settings, desired: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["apply", *cli_flags(settings), "--file", str(desired), "--auto-approve", *extra])
    out, err = capsys.readouterr()
    return code, out + err


def _column_types(conn, table: str) -> dict[str, str]:
    rows = conn.execute("SELECT a.attname::text, a.atttypid::regtype::text, n.nspname::text FROM pg_attribute a "
                        "JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace n ON n.oid = t.typnamespace "
                        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped", (table,))
    return {name: f"{schema}:{shown}" for name, shown, schema in rows.fetchall()}


TEXT_TABLE = """
CREATE TABLE text (old_id integer PRIMARY KEY, old_text text NOT NULL, old_flags text[]);
CREATE TABLE page (id integer PRIMARY KEY, title text DEFAULT 'x'::text, note varchar(10));
CREATE VIEW titles AS SELECT id, title::text AS t, ARRAY['a'::text] AS a FROM page;
CREATE FUNCTION title_of(p page) RETURNS text LANGUAGE sql AS $$ SELECT p.title $$;
"""


def test_a_table_named_text_leaves_text_the_builtin_type(db, conn, second_db, tmp_path, capsys):
    """MediaWiki's table `text`: `old_text text` is pg_catalog.text for psql, so it must be for
    plan and apply too (not the table's row type), and the catalog queries must still run."""
    desired = tmp_path / "schema.sql"
    desired.write_text(TEXT_TABLE)
    run_sql(db, TEXT_TABLE)  # as psql loads it
    code, out = _plan(db, desired, capsys)
    assert code == 0, out
    code, out = _apply(second_db, desired, capsys)
    assert code == 0, out
    with second_db.connect() as c:
        assert _column_types(c, "text") == {"old_id": "pg_catalog:integer", "old_text": "pg_catalog:text",
                                            "old_flags": "pg_catalog:text[]"}
        assert _column_types(c, "page")["title"] == "pg_catalog:text"
    code, out = _plan(second_db, desired, capsys)
    assert code == 0, out


def test_a_column_of_the_shadowed_row_type_round_trips(db, tmp_path, capsys):
    """The schema's own type `text` is reachable only qualified: the plan qualifies it, the
    re-plan is empty, and the column really has the row type."""
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE text (a integer);\nCREATE TABLE holder (b public.text, c text);\n")
    code, out = _apply(db, desired, capsys)
    assert code == 0, out
    with db.connect() as c:
        assert _column_types(c, "holder") == {"b": "public:public.text", "c": "pg_catalog:text"}
    code, out = _plan(db, desired, capsys)
    assert code == 0, out


CUBE_APP = """
CREATE TABLE pts (id integer PRIMARY KEY, c cube, d {q}cube DEFAULT {q}cube(0), email citext UNIQUE,
                  h hstore DEFAULT ''::hstore);
CREATE FUNCTION tag(h hstore) RETURNS citext LANGUAGE sql AS $$ SELECT (h -> 'tag')::citext $$;
CREATE FUNCTION mid(a cube) RETURNS cube LANGUAGE sql AS $$ SELECT a $$;
CREATE VIEW dims AS SELECT id, cube_dim(c) AS dim, {q}cube_dim(d) AS dim2, c {op} d AS dist,
       h -> 'k' AS k, lower(email) AS e FROM pts;
CREATE INDEX pts_c ON pts USING gist (c);
"""


def _cube_files(tmp_path, schema: str) -> Path:
    desired = tmp_path / "schema.sql"
    desired.write_text(CUBE_APP.format(q=f"{schema}.", op=f"OPERATOR({schema}.<->)"))
    return desired


def _with_cube(settings, ext_schema: str, db_path: str | None) -> None:
    run_sql(settings, f"CREATE SCHEMA IF NOT EXISTS {ext_schema}; CREATE EXTENSION cube SCHEMA {ext_schema};"
                      f"CREATE EXTENSION citext SCHEMA {ext_schema}; CREATE EXTENSION hstore SCHEMA {ext_schema};"
                      "CREATE SCHEMA app;")
    if db_path:
        run_sql(settings, f'ALTER DATABASE "{settings.db}" SET search_path = {db_path}')


def _psql_load(settings, sql: str, path: str) -> None:
    run_sql(settings, f"SET search_path = {path};\n{sql}")


def test_extension_types_in_public_read_as_the_session_reads_them(db, second_db, tmp_path, capsys):
    """cube installed in public, the application in `app`, files written for `app, public` using
    `cube` unqualified (and qualified, as pg_dump writes): plan and apply honour the session's
    search_path (the default `"$user", public`), no ALTER COLUMN ... TYPE cube, no function replaced."""
    desired = _cube_files(tmp_path, "public")
    _with_cube(db, "public", None)
    _psql_load(db, desired.read_text(), "app, public")
    code, out = _plan(db, desired, capsys, "--schema", "app")
    assert code == 0, out
    _with_cube(second_db, "public", None)
    code, out = _apply(second_db, desired, capsys, "--schema", "app")
    assert code == 0, out
    code, out = _plan(second_db, desired, capsys, "--schema", "app")
    assert code == 0, out
    with second_db.connect() as c:
        c.execute("SET search_path = app, public")
        assert _column_types(c, "pts") == {"id": "pg_catalog:integer", "c": "public:cube", "d": "public:cube",
                                           "email": "public:citext", "h": "public:hstore"}


def test_the_database_s_search_path_is_honoured_and_recorded_in_the_plan(db, second_db, tmp_path, capsys):
    """cube in schema `ext`, reached through the database's `search_path = app, ext`: the plan is
    made with that path, the plan file records it, and apply runs with it."""
    desired = _cube_files(tmp_path, "ext")
    _with_cube(db, "ext", "app, ext")
    _psql_load(db, desired.read_text(), "app, ext")
    code, out = _plan(db, desired, capsys, "--schema", "app")
    assert code == 0, out
    _with_cube(second_db, "ext", "app, ext")
    plan_file = tmp_path / "plan.json"
    code, out = _plan(second_db, desired, capsys, "--schema", "app", "--output-json", str(plan_file))
    assert code == 2, out
    import json

    assert json.loads(plan_file.read_text())["search_path"] == ["ext"]
    run_sql(second_db, f'ALTER DATABASE "{second_db.db}" RESET search_path')  # apply must not depend on it
    code = main(["apply", *cli_flags(second_db), "--schema", "app", "--plan", str(plan_file), "--auto-approve"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    code, out = _plan(second_db, desired, capsys, "--schema", "app", "--search-path", "app, ext")
    assert code == 0, out


def test_search_path_option(db, tmp_path, capsys, monkeypatch):
    """`--search-path` (or PGSCHEMA_SEARCH_PATH) sets the path when the session's lacks the
    extension's schema; without it the files' `cube` is unknown to the session."""
    desired = _cube_files(tmp_path, "ext")
    _with_cube(db, "ext", None)
    code, out = _apply(db, desired, capsys, "--schema", "app")  # said at plan time, with file:line
    assert code != 0 and "schema.sql:2:" in out and "type cube does not exist on the search_path" in out, out
    code, out = _apply(db, desired, capsys, "--schema", "app", "--search-path", "app, ext")
    assert code == 0, out
    code, out = _plan(db, desired, capsys, "--schema", "app", "--search-path", "ext")
    assert code == 0, out
    monkeypatch.setenv("PGSCHEMA_SEARCH_PATH", "ext")
    code, out = _plan(db, desired, capsys, "--schema", "app")
    assert code == 0, out


def test_a_type_named_like_a_builtin_is_the_schema_s_own(db, conn, tmp_path, capsys):
    """An enum `public.money` and a domain `public.name`: comments, grants, ALTER and DROP reach
    them, never pg_catalog's `money` / `name` (pg_catalog comes first on the search_path)."""
    desired = tmp_path / "schema.sql"
    desired.write_text(
        "CREATE TYPE public.money AS ENUM ('a', 'b');\nCOMMENT ON TYPE public.money IS 'mine';\n"
        "CREATE DOMAIN public.name AS integer CHECK (VALUE > 0);\nCOMMENT ON DOMAIN public.name IS 'mine too';\n"
        "REVOKE USAGE ON TYPE public.money FROM PUBLIC;\n"
        "CREATE TABLE t (m public.money, n public.name, o money, p name);\n")
    code, out = _apply(db, desired, capsys)
    assert code == 0, out
    rows = conn.execute("SELECT n.nspname::text, t.typname::text, obj_description(t.oid, 'pg_type'), t.typacl::text "
                        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                        "WHERE t.typname IN ('money', 'name') ORDER BY 1, 2").fetchall()
    assert [r[:3] for r in rows] == [("pg_catalog", "money", "monetary amounts, $d,ddd.cc"),
                                     ("pg_catalog", "name", "63-byte type for storing system identifiers"),
                                     ("public", "money", "mine"), ("public", "name", "mine too")]
    assert rows[0][3] is None and not any(e.startswith("=") for e in rows[2][3].strip("{}").split(","))
    assert _column_types(conn, "t") == {"m": "public:public.money", "n": "public:public.name",
                                        "o": "pg_catalog:money", "p": "pg_catalog:name"}
    assert _plan(db, desired, capsys)[0] == 0
    desired.write_text(desired.read_text().replace("('a', 'b')", "('a', 'b', 'c')")
                       .replace("VALUE > 0", "VALUE > 1").replace("'mine'", "'still mine'"))
    code, out = _apply(db, desired, capsys)
    assert code == 0, out
    assert _plan(db, desired, capsys)[0] == 0
    desired.write_text("CREATE TABLE t (o money, p name);\n")
    code, out = _apply(db, desired, capsys, "--allow-hazards", "data_loss")
    assert code == 0, out
    assert conn.execute("SELECT count(*) FROM pg_type WHERE typname IN ('money', 'name')").fetchone()[0] == 2


def test_search_path_settings_are_read_as_the_server_reads_them():
    from pgschema_tui.ddl.search_path import effective_path, setting_text, split_setting

    assert split_setting('"$user", public') == ("$user", "public")
    assert split_setting(' App ,"My ""S""", pg_catalog') == ("app", 'My "S"', "pg_catalog")
    assert split_setting("") == ()
    assert effective_path("app", ("$user", "public", "app", "pg_temp"), "me") == ("app", "me", "public")
    assert setting_text(("app", 'My "S"', "pg_catalog")) == 'app, "My ""S""", pg_catalog'


def test_dump_names_what_the_session_reaches_and_says_so(db, tmp_path, capsys):
    """The dump of `app` written with `app, public`: `cube` bare, a header saying which path it
    is written for, and the plan of the dump against the database is empty."""
    desired = _cube_files(tmp_path, "public")
    _with_cube(db, "public", None)
    _psql_load(db, desired.read_text(), "app, public")
    dumped = tmp_path / "dump.sql"
    assert main(["dump", *cli_flags(db), "--schema", "app", "--file", str(dumped)]) == 0, capsys.readouterr()
    text = dumped.read_text()
    assert "search_path = <this schema>, public reads them" in text
    assert "c cube" in text and "public.cube" not in text
    code, out = _plan(db, dumped, capsys, "--schema", "app")
    assert code == 0, out


def test_dump_reloads_into_a_fresh_database_with_the_extensions_its_path_reaches(db, second_db, tmp_path, capsys):
    """The dump of `app` names public's `cube` bare and says to load it with `app, public`; loaded
    that way into a fresh database it must bring the extensions it relies on (in the schema they
    live in), as it brings those of the dumped schema: MusicBrainz's layout (testdata/realworld)."""
    desired = _cube_files(tmp_path, "public")
    _with_cube(db, "public", None)
    _psql_load(db, desired.read_text(), "app, public")
    dumped = tmp_path / "dump.sql"
    assert main(["dump", *cli_flags(db), "--schema", "app", "--file", str(dumped)]) == 0, capsys.readouterr()
    text = dumped.read_text()
    assert "CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;" in text, text[:1500]
    run_sql(second_db, "CREATE SCHEMA app;")
    _psql_load(second_db, text, "app, public")
    with second_db.connect() as c:
        assert _column_types(c, "app.pts")["c"] == "public:cube"
    code, out = _plan(second_db, dumped, capsys, "--schema", "app")
    assert code == 0, out

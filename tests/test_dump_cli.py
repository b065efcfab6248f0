"""`pgschema-tui dump` end to end: a real database in, SQL out (stdout, --file, --multi-file)."""
from __future__ import annotations

import subprocess
import sys

from conftest import cli_flags, run_sql


def dump_cli(settings, *extra: str) -> subprocess.CompletedProcess:
    args = ["dump", "--host", settings.host, "--port", str(settings.port), "--user", settings.user,
            "--db", settings.db, *extra]
    return subprocess.run([sys.executable, "-m", "pgschema_tui", *args], capture_output=True, text=True,
                          timeout=120)


SOURCE = """
CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (id serial PRIMARY KEY, author_id integer REFERENCES authors (id), title text);
CREATE INDEX books_title_idx ON books (title);
CREATE VIEW book_titles AS SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id;
CREATE FUNCTION book_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM books $$;
"""


def test_dump_to_stdout(db):
    run_sql(db, SOURCE)
    result = dump_cli(db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "-- Name: books; Type: TABLE; Schema: -; Owner: -" in out
    assert "public." not in out  # schema-agnostic
    assert out.index("CREATE TABLE authors") < out.index("FOREIGN KEY (author_id) REFERENCES authors(id)")
    assert out.index("CREATE SEQUENCE books_id_seq") < out.index("CREATE TABLE books")
    assert out.index("CREATE TABLE books") < out.index("ALTER SEQUENCE books_id_seq OWNED BY books.id")


def test_dump_to_file_and_multi_file(db, tmp_path):
    run_sql(db, SOURCE)
    single = tmp_path / "one" / "schema.sql"
    assert dump_cli(db, "--file", str(single)).returncode == 0
    assert "CREATE OR REPLACE VIEW book_titles" in single.read_text()
    main = tmp_path / "many" / "main.sql"
    result = dump_cli(db, "--multi-file", "--file", str(main))
    assert result.returncode == 0, result.stderr
    includes = [ln for ln in main.read_text().splitlines() if ln.startswith("\\i ")]
    assert includes == ["\\i sequences/books_id_seq.sql", "\\i functions/book_count.sql", "\\i tables/authors.sql",
                        "\\i tables/books.sql", "\\i views/book_titles.sql"]
    assert "books_title_idx" in (main.parent / "tables" / "books.sql").read_text()


def test_multi_file_needs_file(db):
    result = dump_cli(db, "--multi-file")
    assert result.returncode == 1
    assert "--multi-file needs --file" in result.stderr


def test_missing_schema_is_one_line(db):
    result = dump_cli(db, "--schema", "nope")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "nope" in result.stderr


def test_extensions_of_the_schema_are_listed(db, tmp_path):
    """An extension installed in the dumped schema is listed in the header, so a reload into a
    fresh database has it and `plan` warns where it is missing; the parser skips the line."""
    run_sql(db, "CREATE EXTENSION pg_trgm; CREATE TABLE s (q text);"
                "CREATE INDEX s_q ON s USING gist (q gist_trgm_ops (siglen = 64));")
    r = dump_cli(db)
    assert r.returncode == 0, r.stderr
    assert "\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n" in r.stdout
    assert r.stdout.index("CREATE EXTENSION") < r.stdout.index("CREATE TABLE s")
    main = tmp_path / "schema" / "main.sql"
    r = dump_cli(db, "--multi-file", "--file", str(main))
    assert r.returncode == 0 and "CREATE EXTENSION IF NOT EXISTS pg_trgm;" in main.read_text()


def test_rules_and_statistics_are_dumped_not_named(db, tmp_path):
    """A rule or statistics object is modelled: dump writes it (no "not dumped" warning about it,
    extension members still left out), and the plan of the dump is empty."""
    run_sql(db, "CREATE EXTENSION citext; CREATE TABLE t (a integer, b integer);"
                "CREATE VIEW v AS SELECT a FROM t;"
                "CREATE RULE v_insert AS ON INSERT TO v DO INSTEAD INSERT INTO t (a) VALUES (NEW.a);"
                "CREATE STATISTICS t_ab ON a, b FROM t;")
    r = dump_cli(db)
    assert r.returncode == 0
    assert "v_insert" not in r.stderr and "t_ab" not in r.stderr
    assert "CREATE RULE v_insert AS ON INSERT TO v DO INSTEAD INSERT INTO t (a) VALUES (new.a);" in r.stdout
    assert "CREATE STATISTICS t_ab ON a, b FROM t;" in r.stdout
    desired = tmp_path / "schema.sql"
    desired.write_text(r.stdout)
    plan = subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", *cli_flags(db), "--file", str(desired)],
                          capture_output=True, text=True, timeout=120)
    assert plan.returncode == 0 and "No changes" in plan.stdout, plan.stdout + plan.stderr


def test_dump_imports_no_parser_nor_graph_library(db):
    """`dump` pays only for what it uses: no pglast (the parser), networkx or Textual at start-up."""
    run_sql(db, SOURCE)
    args = ["dump", "--host", db.host, "--port", str(db.port), "--user", db.user, "--db", db.db]
    code = ("import sys, io, contextlib\nfrom pgschema_tui import cli\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    code = cli.main({args!r})\n"
            "print('HEAVY', code, sorted(m for m in ('pglast', 'networkx', 'textual', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("HEAVY")]
    assert line == ["HEAVY 0 []"], out.stdout + out.stderr

"""Inspection runs its catalog queries ahead on a thread (`InspectContext.send_ahead`) while the
readers work: the IR is the same as with each reader running its own query when it needs it."""
from __future__ import annotations

from conftest import run_sql

from pgschema_tui.inspect import inspect_schema
from pgschema_tui.inspect.context import InspectContext

SOURCE = """
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TABLE authors (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, m mood);
CREATE TABLE books (id serial PRIMARY KEY, author_id integer REFERENCES authors (id), pages posint,
                    title text CHECK (title <> ''));
CREATE INDEX books_title_idx ON books (lower(title));
COMMENT ON TABLE books IS 'all of them';
CREATE VIEW titles AS SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id;
CREATE FUNCTION book_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM books $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER books_touch BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE books ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON books USING (author_id = 1);
GRANT SELECT ON books TO PUBLIC;
"""


def test_queries_run_ahead_give_the_same_schema_as_one_query_at_a_time(db, conn, monkeypatch):
    run_sql(db, SOURCE)
    sent = []
    send_ahead = InspectContext.send_ahead
    monkeypatch.setattr(InspectContext, "send_ahead", lambda self, keys, *more: (sent.extend(keys), send_ahead(self, keys, *more)))
    pipelined = inspect_schema(conn, "public")
    assert len(sent) >= 20, "every reader's query is sent ahead"

    monkeypatch.setattr(InspectContext, "send_ahead", lambda self, keys, *more: None)
    one_by_one = inspect_schema(conn, "public")
    assert pipelined == one_by_one
    assert set(pipelined.tables) == {"authors", "books"} and pipelined.views and pipelined.policies
    # the session is as it was: search_path restored, nested loops back on
    assert conn.execute("SELECT current_setting('enable_nestloop')").fetchone()[0] == "on"


def test_a_failing_query_leaves_the_session_settings_as_they_were(db, conn, monkeypatch):
    """The dependency query runs with nested loops off, and a RESET follows it; when the query
    fails on the thread running the queries ahead, the reader gets the error, the RESET still
    runs (autocommit: no failed transaction), and the session does not keep nested loops off."""
    import psycopg
    import pytest

    from pgschema_tui.inspect import deps

    run_sql(db, SOURCE)
    monkeypatch.setattr(deps, "_DEPENDENCIES", "SELECT 'x', 1 / (%(nsp)s - %(nsp)s), 0, 'y'")
    with pytest.raises(psycopg.errors.DivisionByZero):
        inspect_schema(conn, "public")
    assert conn.execute("SELECT current_setting('enable_nestloop'), current_setting('search_path')").fetchone() \
        == ("on", '"$user", public')


def test_a_failing_query_in_a_transaction_is_the_error_raised(db, conn, monkeypatch):
    """In a transaction, the query failing on the thread is the error the caller sees (not the
    'transaction is aborted' of a statement after it), and the rollback leaves the settings as
    they were."""
    import psycopg
    import pytest

    from pgschema_tui.inspect import deps

    run_sql(db, SOURCE)
    monkeypatch.setattr(deps, "_DEPENDENCIES", "SELECT 'x', 1 / (%(nsp)s - %(nsp)s), 0, 'y'")
    conn.autocommit = False
    try:
        with pytest.raises(psycopg.errors.DivisionByZero):
            inspect_schema(conn, "public")
        conn.rollback()
        assert conn.execute("SELECT current_setting('enable_nestloop'), current_setting('search_path')").fetchone() \
            == ("on", '"$user", public')
    finally:
        conn.rollback()
        conn.autocommit = True


def test_a_query_not_sent_ahead_runs_when_asked(db, conn, monkeypatch):
    """A reader asking for a query that was not sent ahead gets its rows all the same (the
    thread gives the connection back first)."""
    run_sql(db, SOURCE)
    expected = inspect_schema(conn, "public")
    send_ahead = InspectContext.send_ahead
    monkeypatch.setattr(InspectContext, "send_ahead", lambda self, keys, *more: send_ahead(self, keys[: len(keys) // 2], *more))
    assert inspect_schema(conn, "public") == expected


def test_a_second_connection_runs_queries_and_is_closed(db, conn):
    """With `open_connection`, a second connection takes its share of the queries (with the same
    search_path: names print the same), and is closed when inspection ends."""
    run_sql(db, SOURCE + "CREATE SCHEMA other; CREATE TYPE other.t AS (a int); ALTER TABLE books ADD c other.t;")
    expected = inspect_schema(conn, "public", ("other",))
    opened, paths = [], []

    def open_connection():
        second = db.connect()
        close = second.close
        second.close = lambda: (paths.append(second.execute("SHOW search_path").fetchone()[0]), close())
        opened.append(second)
        return second

    assert inspect_schema(conn, "public", ("other",), open_connection) == expected
    assert expected.tables["books"].columns[-1].type == "t"  # reached through the path: bare
    assert len(opened) == 1 and opened[0].closed
    assert paths == ["public, other"]


def test_a_second_connection_that_fails_to_open_is_not_needed(db, conn):
    run_sql(db, SOURCE)
    expected = inspect_schema(conn, "public")

    def open_connection():
        raise OSError("too many connections")

    assert inspect_schema(conn, "public", (), open_connection) == expected

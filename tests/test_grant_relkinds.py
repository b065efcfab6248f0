"""Grants on every kind of relation the tool manages, through dump and plan against a real server.

A partitioned table depends on its own partition-key columns (an internal pg_depend row on
itself), which once made the inspection take it for an implicitly created object and skip its
grants: the dump left them out and every plan granted them again.
"""
from __future__ import annotations

from conftest import cli_flags, run_sql
from pgschema_tui.cli import main

SCHEMA = """
CREATE TABLE m (id int, d date, note text) PARTITION BY RANGE (d);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE l (id int, k text) PARTITION BY LIST (k);
CREATE TABLE l1 PARTITION OF l FOR VALUES IN ('a');
CREATE INDEX m_id ON m (id);
CREATE VIEW v AS SELECT 1 AS a;
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS a;
CREATE SEQUENCE sq;
CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY);
GRANT SELECT, INSERT ON m TO testuser;
GRANT UPDATE (note) ON m TO testuser;
GRANT SELECT ON l TO testuser WITH GRANT OPTION;
GRANT SELECT ON m1 TO testuser;
GRANT SELECT ON v TO testuser;
GRANT SELECT ON mv TO testuser;
GRANT USAGE ON SEQUENCE sq TO testuser;
"""


def test_partitioned_table_grants_dump_and_plan(db, second_db, tmp_path, capsys):
    run_sql(db, SCHEMA)
    dump = tmp_path / "dump.sql"
    assert main(["dump", "--file", str(dump), *cli_flags(db)]) == 0
    text = dump.read_text()
    for grant in ("GRANT INSERT, SELECT ON TABLE m TO testuser;", "GRANT UPDATE (note) ON TABLE m TO testuser;",
                  "GRANT SELECT ON TABLE l TO testuser WITH GRANT OPTION;", "GRANT SELECT ON TABLE m1 TO testuser;",
                  "GRANT SELECT ON TABLE v TO testuser;", "GRANT SELECT ON TABLE mv TO testuser;",
                  "GRANT USAGE ON SEQUENCE sq TO testuser;"):
        assert grant in text, text
    capsys.readouterr()
    # the schema's own SQL, planned against the database it built: nothing to grant again
    desired = tmp_path / "desired.sql"
    desired.write_text(SCHEMA)
    assert main(["plan", "--detailed-exitcode", "--file", str(desired), *cli_flags(db)]) == 0, capsys.readouterr().out
    # the dump loads elsewhere and converges with the grants
    assert main(["apply", "--auto-approve", "--file", str(dump), *cli_flags(second_db)]) == 0
    with second_db.connect() as c:
        acl = c.execute("SELECT relacl::text FROM pg_class WHERE relname = 'm'").fetchone()[0]
    assert "testuser=ar/" in acl
    capsys.readouterr()
    assert main(["plan", "--detailed-exitcode", "--file", str(dump), *cli_flags(second_db)]) == 0, \
        capsys.readouterr().out


def test_grant_on_a_foreign_table_is_dumped_with_it(db, tmp_path, capsys):
    run_sql(db, "CREATE FOREIGN DATA WRAPPER w; CREATE SERVER s FOREIGN DATA WRAPPER w;"
                "CREATE FOREIGN TABLE ft (a int) SERVER s; GRANT SELECT ON ft TO testuser;"
                "GRANT SELECT (a) ON ft TO testuser; CREATE TABLE t (id int);")
    dump = tmp_path / "dump.sql"
    assert main(["dump", "--file", str(dump), *cli_flags(db)]) == 0
    text = dump.read_text()  # foreign tables are managed (issue 10): the table and its grants
    assert "CREATE FOREIGN TABLE ft" in text and "GRANT SELECT ON TABLE ft TO testuser;" in text, text
    assert main(["plan", "--detailed-exitcode", "--file", str(dump), *cli_flags(db)]) == 0, capsys.readouterr()

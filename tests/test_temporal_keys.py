"""PostgreSQL 18 temporal keys (WITHOUT OVERLAPS, PERIOD): parsed like inspection, rendered with the keywords,
and migrated onto a real server (parity itself is covered by testdata/schemas/temporal_keys)."""
from __future__ import annotations

from conftest import requires_pg
from pgschema_tui.ddl.create import constraint_definition, render_create
from pgschema_tui.desired import load_desired
from pgschema_tui.ir import model as ir
from pgschema_tui.parse import load_files
from pgschema_tui.plan.planner import build_plan
from pgschema_tui.plan.render_sql import render_sql

from conftest import TESTDATA
from test_plan_helpers import differences, inspect, run_plan

CASE = TESTDATA / "schemas" / "temporal_keys" / "schema.sql"

OLD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (room_id integer NOT NULL, booked_during tstzrange NOT NULL);
CREATE TABLE bookings (room_id integer NOT NULL, stay tstzrange NOT NULL);
"""

NEW = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (room_id integer NOT NULL, booked_during tstzrange NOT NULL,
                    CONSTRAINT rooms_pkey PRIMARY KEY (room_id, booked_during WITHOUT OVERLAPS));
CREATE TABLE bookings (room_id integer NOT NULL, stay tstzrange NOT NULL,
                       CONSTRAINT bookings_room_fkey FOREIGN KEY (room_id, PERIOD stay)
                           REFERENCES rooms (room_id, PERIOD booked_during));
"""


def test_parser_marks_temporal_keys():
    schema = load_files(CASE, "public")
    temporal = {key for key, con in schema.constraints.items() if con.temporal}
    assert temporal == {"rooms.rooms_pkey", "room_prices.room_prices_pkey", "room_prices.room_prices_price_valid_at_key",
                        "bookings.bookings_room_id_stay_fkey", "Range Only.Range Only_key",
                        "cleanings.cleanings_room_fkey"}
    assert not schema.constraints["bookings.bookings_pkey"].temporal


def test_renderer_emits_keywords():
    pk = ir.Constraint(table="t", name="t_pkey", type="PRIMARY KEY", columns=("id", "Valid At"), temporal=True)
    fk = ir.Constraint(table="u", name="u_fkey", type="FOREIGN KEY", columns=("id", "during"), ref_table="t",
                       ref_columns=("id", "Valid At"), temporal=True)
    assert constraint_definition(pk) == 'PRIMARY KEY (id, "Valid At" WITHOUT OVERLAPS)'
    assert constraint_definition(fk) == 'FOREIGN KEY (id, PERIOD during) REFERENCES t(id, PERIOD "Valid At")'
    plain = ir.Constraint(table="t", name="t_key", type="UNIQUE", columns=("id",))
    assert render_create(plain) == ["ALTER TABLE t ADD CONSTRAINT t_key UNIQUE (id);"]


@requires_pg(18, "WITHOUT OVERLAPS / PERIOD keys are PostgreSQL 18 syntax")
def test_adding_temporal_keys_converges(pg_server, tmp_path):
    old_db, new_db = pg_server.create_database(), pg_server.create_database()
    try:
        for settings, sql in ((old_db, OLD), (new_db, NEW)):
            with settings.connect() as conn:
                conn.execute(sql)
        path = tmp_path / "new.sql"
        path.write_text(NEW)
        desired = load_desired(path, "public")
        fresh = inspect(new_db)
        assert desired.constraints == fresh.constraints
        plan = build_plan(inspect(old_db), desired, online=False)
        text = render_sql(plan)
        assert "WITHOUT OVERLAPS" in text and "PERIOD stay" in text
        with old_db.connect() as conn:
            run_plan(conn, plan)
        migrated = inspect(old_db)
        assert build_plan(migrated, desired, online=False).is_empty
        assert [d for d in differences(migrated, fresh) if not d.startswith("schema comment")] == []
    finally:
        pg_server.drop_database(old_db.db)
        pg_server.drop_database(new_db.db)

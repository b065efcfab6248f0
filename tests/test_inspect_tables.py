"""Tables and columns: types, defaults, identity, generated columns, partitioning, inheritance."""
from __future__ import annotations

from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from conftest import requires_pg
from test_inspect_support import load_case


def test_basic_columns(pg_server, db):
    schema = load_case(pg_server, db, "tables_basic")
    users = schema.tables["users"]
    assert [c.name for c in users.columns] == ["id", "email", "name", "balance", "tags", "created_at",
                                               "active", "score", "flags", "payload"]
    assert users.column("email") == ir.Column("email", "character varying(255)", not_null=True)
    assert users.column("name").collation == '"C"'
    assert users.column("balance").type == "numeric(12,2)"
    assert users.column("balance").default == Expr("0")
    assert users.column("tags").default.text == "'{}'::text[]"
    assert users.column("created_at").default.text == "now()"
    assert users.column("flags").type == "bit(8)"
    assert users.column("id").collation is None and users.column("email").collation is None
    assert not users.unlogged and users.options == ()
    assert schema.tables["cache_entries"].unlogged
    assert schema.tables["tuned"].options == ("fillfactor=70", "autovacuum_enabled=false")  # as written
    assert schema.tables["tuned"].column("note").type == "character(3)"


def test_serial_columns_and_their_sequences(pg_server, db):
    schema = load_case(pg_server, db, "tables_basic")
    table = schema.tables["serial_owner"]
    assert table.column("id").type == "integer" and table.column("id").not_null
    assert table.column("id").default.text == "nextval('serial_owner_id_seq'::regclass)"
    assert "relation:serial_owner_id_seq" in table.depends_on
    seq = schema.sequences["serial_owner_id_seq"]
    assert seq.owned_by == "serial_owner.id"
    assert seq.options == ir.SequenceOptions(data_type="integer")
    assert schema.sequences["serial_owner_big_id_seq"].options == ir.SequenceOptions()


def test_identity_and_generated(pg_server, db):
    orders = load_case(pg_server, db, "identity_generated").tables["orders"]
    assert orders.column("id").identity == ir.Identity(always=True)
    assert orders.column("id").default is None and orders.column("id").not_null
    assert orders.column("ref").identity == ir.Identity(
        always=False, options=ir.SequenceOptions(start=100, increment=10, cache=5))
    assert orders.column("small_id").identity.options == ir.SequenceOptions(min_value=0, max_value=1000, cycle=True)
    total = orders.column("total")
    assert total.generated.text == "((quantity)::numeric * unit_price)" and total.generated_stored
    assert total.default is None and total.identity is None
    assert "upper" in orders.column("label").generated.text


def test_identity_sequences_are_not_sequences(pg_server, db):
    schema = load_case(pg_server, db, "identity_generated")
    assert schema.sequences == {}


@requires_pg(18, "VIRTUAL generated columns are PostgreSQL 18 syntax")
def test_virtual_generated_column(pg_server, db, conn):
    conn.execute("CREATE TABLE v (a integer, b integer GENERATED ALWAYS AS (a * 2) VIRTUAL)")
    from pgschema_tui.inspect import inspect_schema

    column = inspect_schema(conn, "public").tables["v"].column("b")
    assert column.generated == Expr("a * 2") and column.generated_stored is False


def test_partitioning(pg_server, db):
    schema = load_case(pg_server, db, "partitioning")
    parent = schema.tables["measurements"]
    assert parent.partition_by == "RANGE (logdate)"
    assert [c.name for c in parent.columns] == ["city_id", "logdate", "peaktemp"]
    p2024 = schema.tables["measurements_2024"]
    assert p2024.partition_of == "measurements"
    assert p2024.partition_bound == "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
    assert p2024.columns == ()  # inherited from the parent, not repeated
    assert "relation:measurements" in p2024.depends_on
    p2025 = schema.tables["measurements_2025"]
    assert p2025.partition_by == "LIST (city_id)" and p2025.partition_of == "measurements"
    assert schema.tables["measurements_2025_c1"].partition_bound == "FOR VALUES IN (1, 2)"
    assert schema.tables["measurements_default"].partition_bound == "DEFAULT"
    assert schema.tables["events"].partition_by == "HASH (id)"
    assert schema.tables["events_p1"].partition_bound == "FOR VALUES WITH (modulus 2, remainder 1)"
    assert schema.tables["logs"].partition_by == "RANGE (date_trunc('day'::text, at), level)"


def test_inheritance(pg_server, db):
    schema = load_case(pg_server, db, "inheritance")
    assert schema.tables["trucks"].inherits == ("vehicles",)
    assert [c.name for c in schema.tables["trucks"].columns] == ["payload_kg"]
    amphibians = schema.tables["amphibians"]
    assert amphibians.inherits == ("vehicles", "trucks")
    assert {"relation:vehicles", "relation:trucks"} <= amphibians.depends_on
    # the CHECK is declared once, on the parent; children inherit it
    assert [k for k in schema.constraints if k.split(".")[0] in ("vehicles", "trucks", "amphibians")] == [
        "vehicles.vehicles_wheels_check"]


def test_column_type_dependencies(pg_server, db):
    schema = load_case(pg_server, db, "types")
    diary = schema.tables["diary"]
    assert diary.column("current_mood").depends_on == {"type:mood"}
    assert diary.column("history").depends_on == {"type:mood"}  # array of an enum -> the enum
    assert {"type:mood", "type:person", "type:floatrange"} <= diary.depends_on


def test_partition_column_overrides(conn):
    conn.execute("""
        CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL, priority integer DEFAULT 0, notes text)
            PARTITION BY LIST (region);
        CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
        CREATE TABLE orders_us PARTITION OF orders (priority DEFAULT 10, notes NOT NULL) FOR VALUES IN ('us');
    """)
    from pgschema_tui.inspect import inspect_schema

    schema = inspect_schema(conn, "public")
    assert schema.tables["orders_eu"].columns == ()
    assert schema.tables["orders_us"].columns == (
        ir.Column("priority", "integer", default=Expr("10")), ir.Column("notes", "text", not_null=True))

"""Table constraints: PK, UNIQUE (INCLUDE, NULLS NOT DISTINCT, WITH), FK options, CHECK, EXCLUDE."""
from __future__ import annotations

from pgschema_tui.ir.expr import Expr
from conftest import requires_pg
from test_inspect_support import load_case


def test_primary_and_unique(pg_server, db):
    cons = load_case(pg_server, db, "constraints").constraints
    pk = cons["accounts.accounts_pkey"]
    assert (pk.type, pk.columns, pk.include) == ("PRIMARY KEY", ("id",), ())
    code = cons["accounts.accounts_code_key"]
    assert (code.type, code.columns, code.include, code.index_options) == (
        "UNIQUE", ("code",), ("region",), ("fillfactor=80",))
    nnd = cons["accounts.accounts_region_email_key"]
    assert nnd.columns == ("region", "owner_email") and nnd.nulls_not_distinct
    assert cons["pairs.pairs_pkey"].columns == ("a", "b")


def test_foreign_keys(pg_server, db):
    cons = load_case(pg_server, db, "constraints").constraints
    fk = cons["transfers.transfers_from_fkey"]
    assert (fk.type, fk.columns, fk.ref_table, fk.ref_columns) == ("FOREIGN KEY", ("from_id",), "accounts", ("id",))
    assert (fk.on_update, fk.on_delete, fk.match_full, fk.deferrable) == ("CASCADE", "SET NULL", False, False)
    assert "relation:accounts" in fk.depends_on
    to = cons["transfers.transfers_to_fkey"]
    assert (to.on_delete, to.match_full, to.deferrable, to.initially_deferred) == ("RESTRICT", True, True, True)
    parent = cons["transfers.transfers_parent_fkey"]
    assert parent.ref_table == "transfers" and parent.deferrable and not parent.initially_deferred
    multi = cons["pair_refs.pair_refs_pair_fkey"]
    assert multi.columns == ("a", "b") and multi.ref_columns == ("a", "b") and multi.not_valid


def test_checks(pg_server, db):
    cons = load_case(pg_server, db, "constraints").constraints
    check = cons["accounts.accounts_code_check"]
    assert check.type == "CHECK" and check.check.text == "char_length(code) > 2" and check.columns == ()
    positive = cons["transfers.transfers_amount_positive"]
    assert positive.check.text == "amount > (0)::numeric" and positive.no_inherit
    assert positive.check == Expr("amount > 0::numeric")
    distinct = cons["transfers.transfers_distinct_check"]
    assert distinct.not_valid and not distinct.no_inherit and distinct.check.text == "from_id <> to_id"


def test_exclude(pg_server, db):
    excl = load_case(pg_server, db, "constraints").constraints["bookings.bookings_no_overlap"]
    assert excl.type == "EXCLUDE"
    assert excl.exclude.text == "EXCLUDE USING gist (during WITH &&) WHERE ((room > 0))"


def test_not_null_is_a_column_flag_not_a_constraint(pg_server, db):
    schema = load_case(pg_server, db, "constraints")
    assert all(c.type in ("PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK", "EXCLUDE")
               for c in schema.constraints.values())
    assert schema.tables["accounts"].column("code").not_null


def test_constraint_backing_indexes_are_not_indexes(pg_server, db):
    schema = load_case(pg_server, db, "constraints")
    assert schema.indexes == {}


def test_partition_clones_are_skipped(pg_server, db, conn):
    conn.execute("""
        CREATE TABLE p (id integer PRIMARY KEY, ref integer REFERENCES p (id), CHECK (id > 0)) PARTITION BY RANGE (id);
        CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (10);
        CREATE INDEX p_ref_idx ON p (ref);
    """)
    from pgschema_tui.inspect import inspect_schema

    schema = inspect_schema(conn, "public")
    assert {c.table for c in schema.constraints.values()} == {"p"}
    assert list(schema.indexes) == ["p_ref_idx"]


def test_on_delete_set_null_column_list(conn):
    # PostgreSQL 15+; kept out of the shared cases because the SQL parser does not read it yet
    conn.execute("""
        CREATE TABLE tenants_users (tenant_id integer, user_id integer, UNIQUE (tenant_id, user_id));
        CREATE TABLE tenant_tasks (tenant_id integer NOT NULL, "Owner" integer,
            CONSTRAINT tenant_tasks_owner_fkey FOREIGN KEY (tenant_id, "Owner")
            REFERENCES tenants_users (tenant_id, user_id) ON DELETE SET NULL ("Owner"));
    """)
    from pgschema_tui.inspect import inspect_schema

    fk = inspect_schema(conn, "public").constraints["tenant_tasks.tenant_tasks_owner_fkey"]
    assert fk.columns == ("tenant_id", "Owner") and fk.on_delete == 'SET NULL ("Owner")'


@requires_pg(18, "WITHOUT OVERLAPS / PERIOD keys are PostgreSQL 18 syntax")
def test_temporal_keys(conn):
    conn.execute("""
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE rooms (id integer, valid tsrange,
            CONSTRAINT rooms_pkey PRIMARY KEY (id, valid WITHOUT OVERLAPS));
        CREATE TABLE bookings (room_id integer, valid tsrange,
            CONSTRAINT bookings_room_fkey FOREIGN KEY (room_id, PERIOD valid) REFERENCES rooms (id, PERIOD valid));
    """)
    from pgschema_tui.inspect import inspect_schema

    cons = inspect_schema(conn, "public").constraints
    assert cons["rooms.rooms_pkey"].temporal and cons["rooms.rooms_pkey"].columns == ("id", "valid")
    fk = cons["bookings.bookings_room_fkey"]
    assert fk.temporal and fk.columns == ("room_id", "valid") and fk.ref_columns == ("id", "valid")


def test_key_columns_named_in_key_order_inherited_and_in_another_schema(conn):
    """Key columns are named from the columns the table reader read (inherited ones included),
    in the key's order; a referenced table in another schema has its columns named too."""
    from pgschema_tui.inspect import inspect_schema

    conn.execute("""
        CREATE SCHEMA other;
        CREATE TABLE other.codes (region text, code text, label text, PRIMARY KEY (code, region));
        CREATE TABLE base (id integer, tenant integer);
        CREATE TABLE child (note text, PRIMARY KEY (tenant, id) INCLUDE (note)) INHERITS (base);
        CREATE TABLE uses (c text, r text, FOREIGN KEY (r, c) REFERENCES other.codes (region, code));
    """)
    cons = inspect_schema(conn, "public").constraints
    pk = cons["child.child_pkey"]
    assert (pk.columns, pk.include) == (("tenant", "id"), ("note",))
    fk = cons["uses.uses_r_c_fkey"]
    assert (fk.columns, fk.ref_table, fk.ref_columns) == (("r", "c"), "other.codes", ("region", "code"))

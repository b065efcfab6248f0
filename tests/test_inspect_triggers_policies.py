"""Triggers (timing, events, WHEN, transition tables, constraint triggers, enabled state) and RLS policies."""
from __future__ import annotations

from pgschema_tui.ir.expr import Expr
from test_inspect_support import load_case


def test_triggers(pg_server, db):
    schema = load_case(pg_server, db, "triggers")
    trg = {t.name: t for t in schema.triggers.values()}
    touch = trg["stock_touch"]
    assert (touch.timing, touch.events, touch.function, touch.for_each_row) == (
        "BEFORE", ("INSERT", "UPDATE"), "touch", True)
    assert touch.comment == "Keeps updated_at fresh"
    assert touch.depends_on == {"function:touch", "relation:stock"}
    qty = trg["stock_qty_changed"]
    assert qty.update_columns == ("qty",) and qty.arguments == ("qty", "it's")
    assert qty.when.text == "old.qty IS DISTINCT FROM new.qty"
    assert qty.when == Expr("OLD.qty IS DISTINCT FROM NEW.qty")
    assert trg["stock_truncate"].events == ("TRUNCATE",) and not trg["stock_truncate"].for_each_row
    assert trg["stock_bulk"].old_table == "removed" and trg["stock_bulk"].new_table is None
    check = trg["stock_check"]
    assert check.constraint and check.deferrable and check.initially_deferred
    assert trg["stock_disabled"].enabled == "D" and trg["stock_replica"].enabled == "R"
    assert trg["stock_touch"].enabled == "O"
    view_trigger = schema.triggers["stock_view.stock_view_ins"]
    assert view_trigger.timing == "INSTEAD OF" and view_trigger.table == "stock_view"


def test_internal_triggers_are_skipped(pg_server, db):
    # FOREIGN KEY enforcement triggers are internal
    schema = load_case(pg_server, db, "constraints")
    assert schema.triggers == {}


def test_policies(pg_server, db):
    schema = load_case(pg_server, db, "policies_rls")
    notes = schema.tables["notes"]
    assert notes.rls_enabled and notes.rls_forced
    assert schema.tables["open_table"].rls_enabled and not schema.tables["open_table"].rls_forced
    pol = schema.policies
    owner = pol["notes.notes_owner"]
    assert (owner.command, owner.permissive, owner.roles) == ("ALL", True, ("PUBLIC",))
    assert owner.using.text == "(owner_name = current_owner())" and owner.with_check is None
    assert owner.depends_on == {"relation:notes", "function:current_owner"}
    assert pol["notes.notes_read_published"].command == "SELECT"
    insert = pol["notes.notes_insert"]
    assert insert.roles == ("postgres", "testuser") and insert.using is None
    assert insert.with_check.text == "(owner_name = CURRENT_USER)"
    restrictive = pol["notes.notes_no_empty"]
    assert not restrictive.permissive and restrictive.command == "UPDATE"
    assert restrictive.with_check == Expr("body IS NOT NULL")
    assert pol["notes.notes_delete"].roles == ("testuser",)

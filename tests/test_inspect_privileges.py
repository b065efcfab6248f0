"""Grants that differ from the defaults, revoked PUBLIC defaults, column grants, default privileges."""
from __future__ import annotations

from pgschema_tui.ir import model as ir
from test_inspect_support import load_case


def test_object_grants(pg_server, db):
    grants = load_case(pg_server, db, "privileges").grants
    assert grants["TABLE:ledger:testuser"] == ir.Grant("TABLE", "ledger", "testuser", ("INSERT", "SELECT"))
    assert grants["TABLE:ledger:testuser+grant"] == ir.Grant("TABLE", "ledger", "testuser", ("UPDATE",),
                                                             grantable=True)
    assert grants["TABLE:ledger_public:PUBLIC"].privileges == ("SELECT",)
    assert grants["SEQUENCE:ledger_seq:testuser"].privileges == ("SELECT", "USAGE")
    assert grants["FUNCTION:ledger_total():testuser"].privileges == ("EXECUTE",)
    assert grants["TYPE:ledger_kind:testuser"].privileges == ("USAGE",)
    assert grants["DOMAIN:ledger_amount:testuser"].privileges == ("USAGE",)
    assert grants["SCHEMA::testuser"].privileges == ("USAGE",)


def test_column_grants(pg_server, db):
    grants = load_case(pg_server, db, "privileges").grants
    assert grants["TABLE:ledger(id,amount):PUBLIC"] == ir.Grant("TABLE", "ledger", "PUBLIC", ("SELECT",),
                                                                columns=("id", "amount"))
    assert grants["TABLE:ledger(note):PUBLIC"].privileges == ("UPDATE",)


def test_revoked_defaults(pg_server, db):
    grants = load_case(pg_server, db, "privileges").grants
    revoked = {g.key for g in grants.values() if g.revoked_default}
    assert revoked == {"FUNCTION:ledger_total():PUBLIC", "PROCEDURE:ledger_reset():PUBLIC", "TYPE:ledger_kind:PUBLIC"}
    assert grants["FUNCTION:ledger_total():PUBLIC"] == ir.Grant("FUNCTION", "ledger_total()", "PUBLIC", (),
                                                                revoked_default=True)
    # untouched objects and the owner's own privileges record nothing
    assert not any(g.object_name == "ledger_open()" for g in grants.values())
    assert not any(g.grantee == "postgres" for g in grants.values())
    # the public schema's stock privileges (USAGE for PUBLIC) are its default
    assert "SCHEMA::PUBLIC" not in grants


def test_no_grants_without_grant_statements(pg_server, db):
    assert load_case(pg_server, db, "app").grants.keys() == {
        "TABLE:order_summaries:testuser", "TABLE:orders:testuser",
        "FUNCTION:order_total(bigint):PUBLIC", "FUNCTION:order_total(bigint):testuser"}


def test_default_privileges(pg_server, db):
    schema = load_case(pg_server, db, "default_privileges")
    defaults = schema.default_privileges
    assert defaults[":TABLES:testuser"] == ir.DefaultPrivilege(None, "TABLES", "testuser", ("SELECT",))
    assert defaults[":SEQUENCES:testuser+grant"].privileges == ("USAGE",)
    assert defaults[":FUNCTIONS:testuser"].privileges == ("EXECUTE",)
    assert defaults[":TYPES:testuser"].privileges == ("USAGE",)
    assert defaults["testuser:TABLES:PUBLIC"].privileges == ("SELECT", "UPDATE")
    assert len(defaults) == 5
    # the default privileges applied to the table created afterwards
    assert schema.grants["TABLE:made_after:testuser"].privileges == ("SELECT",)

"""Enum, composite and range types, domains and sequences."""
from __future__ import annotations

from pgschema_tui.ir import model as ir
from pgschema_tui.ir.expr import Expr
from test_inspect_support import load_case


def test_enums_and_composites(pg_server, db):
    types = load_case(pg_server, db, "types").types
    assert types["mood"] == ir.EnumType("mood", ("sad", "ok", "happy"), comment="How it feels")
    assert types["empty_enum"].labels == ()
    assert types["address"].attributes == (
        ir.CompositeAttribute("street", "text"), ir.CompositeAttribute("city", "text", '"C"'),
        ir.CompositeAttribute("zip", "character varying(10)"))
    person = types["person"]
    assert [a.type for a in person.attributes] == ["text", "address", "mood[]"]
    assert person.depends_on == {"type:address", "type:mood"}


def test_ranges(pg_server, db):
    schema = load_case(pg_server, db, "types")
    floatrange = schema.types["floatrange"]
    assert floatrange == ir.RangeType("floatrange", "double precision", subtype_diff="float8mi")
    textrange = schema.types["textrange_c"]
    assert textrange.collation == '"C"' and textrange.multirange_name == "textranges_c"
    # the generated multirange type, array types and constructor functions are not objects
    assert set(schema.types) == {"mood", "empty_enum", "address", "person", "floatrange", "textrange_c"}
    assert schema.functions == {}


def test_domains(pg_server, db):
    domains = load_case(pg_server, db, "domains").domains
    assert domains["positive_int"].constraints == (
        ir.DomainConstraint("positive_int_check", Expr("VALUE > 0")),
        ir.DomainConstraint("positive_int_max", Expr("VALUE < 1000000"), not_valid=True))
    email = domains["email"]
    assert email.not_null and email.collation == '"C"' and email.base_type == "text"
    assert [c.name for c in email.constraints] == ["email_format", "email_length"]  # no generated NOT NULL
    code = domains["code"]
    assert code.base_type == "character varying(3)" and code.default.text == "'AAA'::character varying"
    assert code.depends_on == {"function:is_valid_code"}
    small = domains["small_positive"]
    assert small.base_type == "positive_int" and small.not_null
    assert small.depends_on == {"type:positive_int"}
    named_not_null = [c for c in small.constraints if c.check is None]
    assert [c.name for c in named_not_null] == (["small_positive_nn"] if named_not_null else [])


def test_sequences(pg_server, db):
    schema = load_case(pg_server, db, "sequences")
    seqs = schema.sequences
    assert seqs["plain_seq"] == ir.Sequence("plain_seq")
    assert seqs["custom_seq"].options == ir.SequenceOptions(
        data_type="integer", start=1000, increment=5, min_value=10, max_value=100000, cache=20, cycle=True)
    assert seqs["custom_seq"].comment == "Custom numbering"
    assert seqs["countdown_seq"].options == ir.SequenceOptions(increment=-1)
    assert seqs["tickets_id_seq"].owned_by == "tickets.id"
    assert "relation:tickets_id_seq" in schema.tables["tickets"].column("id").depends_on

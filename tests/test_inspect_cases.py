"""Every shared schema case loads with psql and inspects into a stable, well-formed IR."""
from __future__ import annotations

import pytest

from pgschema_tui.inspect import inspect_schema
from pgschema_tui.ir import model as ir
from test_inspect_support import CASES, load_case


@pytest.mark.parametrize("case", CASES)
def test_case_inspects_stably(pg_server, db, case):
    first = load_case(pg_server, db, case)
    with db.connect() as conn:
        search_path = conn.execute("SHOW search_path").fetchone()[0]
        second = inspect_schema(conn, "public")
        assert conn.execute("SHOW search_path").fetchone()[0] == search_path
    assert first == second
    assert list(first.objects()), "a case without objects tests nothing"
    for obj in first.objects():
        assert getattr(first, ir.collection_of(obj))[obj.key] is obj
        own_ref = ir.ref_of(obj)
        if own_ref and not isinstance(obj, (ir.Function, ir.Aggregate)):
            assert own_ref not in obj.depends_on, f"{obj.key} depends on itself"

"""Saved plans carry their attribute diffs: `plan --output-json` writes them, `apply --plan`'s
human plan and `review --plan`'s details show them, and a hand-edited plan cannot put terminal
escapes or newlines into them (the file is untrusted: its digest is no signature)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from test_plan_command import cli
from test_tui_support import screen_text, sync

from conftest import cli_flags, run_sql
from pgschema_tui.plan.model import Plan, PlanFormatError, plan_digest
from pgschema_tui.plan.render_human import render_human

LIVE = """
CREATE TABLE customers (id bigint PRIMARY KEY, email text, total numeric(10,2), created_at timestamptz);
CREATE VIEW big_customers AS SELECT id, email FROM customers WHERE total > 100;
"""

DESIRED = """
CREATE TABLE customers (id bigint PRIMARY KEY, email text, total numeric(14,2),
                        created_at timestamptz DEFAULT now());
CREATE VIEW big_customers AS SELECT id, email, total FROM customers WHERE total > 100;
"""


def _saved(db, tmp_path) -> tuple[dict, object]:
    run_sql(db, LIVE)
    desired = tmp_path / "schema.sql"
    desired.write_text(DESIRED)
    out = tmp_path / "plan.json"
    r = cli(db, "--file", str(desired), "--output-json", str(out))
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text()), out


def test_saved_plan_keeps_the_attribute_diffs_and_apply_shows_them(db, tmp_path):
    doc, path = _saved(db, tmp_path)
    plan = Plan.from_json(doc)
    text = render_human(plan)
    assert "type: numeric(10,2) → numeric(14,2)" in text, text
    assert "default: none → now()" in text, text
    assert "query:" in text and any(ln.strip().startswith("+") and "total" in ln for ln in text.splitlines()), text
    # `apply --plan` prints the saved plan's human rendering before asking
    r = subprocess.run([sys.executable, "-m", "pgschema_tui", "apply", *cli_flags(db), "--plan", str(path)],
                       capture_output=True, text=True, timeout=120, input="no\n")
    assert "type: numeric(10,2) → numeric(14,2)" in r.stdout, r.stdout + r.stderr


@sync
async def test_review_of_a_saved_plan_shows_the_attribute_diffs(db, tmp_path):
    from pgschema_tui.tui.app import ReviewApp
    from pgschema_tui.tui.clock import FixedClock
    from pgschema_tui.tui.session import ReviewSession

    doc, _path = _saved(db, tmp_path)
    session = ReviewSession(Plan.from_json(doc), source="plan.json")  # no IR: what `review --plan` has offline
    app = ReviewApp(session, clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        step = next(r.index for r in session.refs if "TYPE numeric(14,2)" in r.step.sql)
        app.screen.show_step(step, move_cursor=True)
        await pilot.pause()
        text = screen_text(app)
        assert "type: numeric(10,2) → numeric(14,2)" in text, text


def _edited(doc: dict, change) -> dict:
    doc = json.loads(json.dumps(doc))
    change(doc)
    doc["plan_digest"] = plan_digest(doc)  # a digest anyone can recompute: no protection
    return doc


@pytest.mark.parametrize("field,value", [
    ("new", "numeric(14,2)\x1b[2J\x1b[31mrm -rf"),
    ("name", "type\nDROP TABLE customers;"),
    ("old", "x\x9b31m"),  # C1 CSI
])
def test_hand_edited_attribute_with_control_characters_is_refused(db, tmp_path, field, value):
    doc, _path = _saved(db, tmp_path)
    path = next(iter(doc["attributes"]))

    def edit(d):
        d["attributes"][path][0][field] = value

    with pytest.raises(PlanFormatError, match=r"attributes\[.*\]\[0\]\." + field + ": control character"):
        Plan.from_json(_edited(doc, edit))


def test_attribute_field_structure_is_checked(db, tmp_path):
    doc, _path = _saved(db, tmp_path)
    path = next(iter(doc["attributes"]))
    for change, message in (
        (lambda d: d["attributes"][path][0].update(extra=1), "unknown field 'extra'"),
        (lambda d: d["attributes"][path][0].update(new=5), "expected a string"),
        (lambda d: d["attributes"].update({"public.nowhere": [{"name": "x", "old": "a", "new": "b"}]}),
         "not a path of any step"),
        (lambda d: d["attributes"][path].append({"name": "q", "diff": ["* odd"]}), "starts with"),
        (lambda d: d.update(version="1.1.0"), "attributes: not part of plan format 1.1.0"),
    ):
        with pytest.raises(PlanFormatError, match=message):
            Plan.from_json(_edited(doc, change))


def test_plans_of_format_1_1_0_are_still_read(db, tmp_path):
    doc, _path = _saved(db, tmp_path)
    old = _edited(doc, lambda d: (d.pop("attributes"), d.update(version="1.1.0")))
    plan = Plan.from_json(old)
    assert plan.attributes == {} and plan.steps


def test_control_characters_in_live_values_are_written_escaped(db, tmp_path):
    """A default holding an ESC (legitimately, in a string literal) is written escaped, so the plan
    the tool writes is one it reads back."""
    run_sql(db, "CREATE TABLE t (id integer, note text DEFAULT 'a');")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id integer, note text DEFAULT E'\\x1b[31mred');\n")
    out = tmp_path / "plan.json"
    r = cli(db, "--file", str(desired), "--output-json", str(out))
    assert r.returncode == 0, r.stderr
    plan = Plan.from_json(json.loads(out.read_text()))
    text = render_human(plan)
    line = next(ln for ln in text.splitlines() if "default:" in ln)  # the statement itself runs as written
    assert "\x1b" not in line and "\\x1b[31mred" in line, text


def _owner_plan() -> Plan:
    from pgschema_tui.plan.model import Group, Step

    return Plan(schema="public", origin="pgschema", groups=[Group((
        Step(sql='ALTER TABLE public.orders OWNER TO "app\x1b[2Jowner";', type="table", operation="alter",
             path="public.orders"),
        Step(sql="ALTER TABLE public.orders ADD COLUMN note text;", type="table.column", operation="alter",
             path="public.orders.note"),
    ))])


def test_owner_changes_of_a_plan_are_shown_in_the_human_plan():
    """This tool leaves owners alone, but pgschema's plans (apply/review --plan --unverified-plan)
    can change them: the human plan names the new owner, escaped."""
    text = render_human(_owner_plan())
    line = next((ln for ln in text.splitlines() if "owner:" in ln), None)
    assert line is not None, text
    assert line.strip() == "owner: (not read) → app\\x1b[2Jowner", line


@sync
async def test_owner_changes_are_shown_in_review_details():
    from pgschema_tui.tui.app import ReviewApp
    from pgschema_tui.tui.clock import FixedClock
    from pgschema_tui.tui.session import ReviewSession

    session = ReviewSession(_owner_plan(), source="plan.json")
    assert [c.line() for c in session.attributes(session.refs[0])] == ["owner: (not read) → app\\x1b[2Jowner"]
    app = ReviewApp(session, clock=FixedClock())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.screen.show_step(0, move_cursor=True)
        await pilot.pause()
        text = screen_text(app)
        assert "owner: (not read) → app\\x1b[2Jowner" in text, text

"""`plan --output-markdown` for pull-request comments, against a real server: summary, hazards
first with sizes, changes grouped by object with SQL in <details>, the fingerprint; untrusted
names and SQL cannot break the Markdown."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import cli_flags, run_sql


def plan(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pgschema_tui", "plan", *cli_flags(db), "--no-color", *args],
                          capture_output=True, text=True, timeout=180)


LIVE = """
CREATE TABLE users (id integer PRIMARY KEY, email text, legacy text);
INSERT INTO users SELECT g, 'u' || g, 'x' FROM generate_series(1, 500) g;
ANALYZE users;
"""
DESIRED = """
CREATE TABLE users (id integer PRIMARY KEY, email text);
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE "we|ird`<b>x" (id integer);
COMMENT ON TABLE "we|ird`<b>x" IS 'fence ``` inside';
"""


def test_markdown_comment(db, tmp_path):
    run_sql(db, LIVE)
    desired = tmp_path / "schema.sql"
    desired.write_text(DESIRED)
    md_path, json_path = tmp_path / "out" / "plan.md", tmp_path / "plan.json"
    r = plan(db, "--file", str(desired), "--output-markdown", str(md_path), "--output-json", str(json_path),
             "--detailed-exitcode")
    assert r.returncode == 2, r.stderr
    md = md_path.read_text()
    lines = md.splitlines()
    assert lines[0] == "### pgschema-tui plan for schema <code>public</code>"
    assert lines[2] == "**Plan: 2 to add, 0 to change, 1 to drop.**"
    # hazards first, with the table's size
    assert md.index("Hazards") < md.index("#### Changes") < md.index("#### How it runs")
    hazard_rows = [ln for ln in lines if ln.startswith("| ") and "**data_loss**" in ln]
    assert hazard_rows and "<code>public.users</code>" in hazard_rows[0] and "500 rows" in hazard_rows[0], md
    assert "kB" in hazard_rows[0] or "bytes" in hazard_rows[0]
    assert any("**index_build**" in ln for ln in lines)
    # each object's SQL in a collapsible block
    assert md.count("<details><summary>") == md.count("</details>") >= 3
    assert "DROP COLUMN legacy" in md and "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx" in md
    # untrusted name: escaped in summaries, SQL fenced longer than its own backticks
    outside, fence = [], None
    for ln in lines:
        if fence is None and ln.startswith("```"):
            fence = ln[: len(ln) - len(ln.lstrip("`"))]
        elif fence is not None and ln == fence:
            fence = None
        elif fence is None:
            outside.append(ln)
    assert fence is None  # every fence closed
    text = "\n".join(outside)
    assert "we|ird" not in text and "<b>" not in text and "we&#124;ird&#96;&lt;b&gt;x" in text
    assert "````sql" in lines and "COMMENT ON TABLE \"we|ird`<b>x\" IS 'fence ``` inside';" in lines
    fingerprint = json.loads(json_path.read_text())["source_fingerprint"]["hash"]
    assert f"<code>{fingerprint}</code>" in md

    r = plan(db, "--file", str(desired), "--output-markdown", "stdout")
    assert r.returncode == 0 and r.stdout.startswith("### pgschema-tui plan"), r.stderr
    r = plan(db, "--file", str(desired), "--output-markdown", "stdout", "--output-human", "stdout")
    assert r.returncode == 1 and "only one output format can go to stdout" in r.stderr


def test_markdown_of_no_changes(db, tmp_path):
    run_sql(db, "CREATE TABLE t (id integer);")
    desired = tmp_path / "schema.sql"
    desired.write_text("CREATE TABLE t (id integer);\n")
    r = plan(db, "--file", str(desired), "--output-markdown", "stdout")
    assert r.returncode == 0, r.stderr
    assert "**No changes. The schema matches the desired state.**" in r.stdout and "Fingerprint" in r.stdout

"""`\\i file.sql;` with a trailing semicolon (as pgschema's and psql users write it) includes
file.sql, in every include form; a file whose name really ends in `;` still wins."""
from __future__ import annotations

from pgschema_tui.parse.sources import read_chunks


def _write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "main.sql"


def test_trailing_semicolon_after_an_include(tmp_path):
    main = _write(tmp_path, {
        "main.sql": "\\i a.sql;\n\\ir 'b.sql';\n\\i dir/ ;\n\\include c.sql  ;  \n",
        "a.sql": "CREATE TABLE a (id int);\n", "b.sql": "CREATE TABLE b (id int);\n",
        "dir/d.sql": "CREATE TABLE d (id int);\n", "c.sql": "CREATE TABLE c (id int);\n"})
    texts = [c.text.strip() for c in read_chunks(main)]
    assert texts == ["CREATE TABLE a (id int);", "CREATE TABLE b (id int);", "CREATE TABLE d (id int);",
                     "CREATE TABLE c (id int);"]


def test_a_file_named_with_a_semicolon_wins(tmp_path):
    main = _write(tmp_path, {"main.sql": "\\i odd.sql;\n", "odd.sql;": "CREATE TABLE odd (id int);\n",
                             "odd.sql": "CREATE TABLE wrong (id int);\n"})
    assert [c.text.strip() for c in read_chunks(main)] == ["CREATE TABLE odd (id int);"]

"""IR → dump files: `render_dump(schema)` for one file, `write_multi_file` for a folder tree.

A dump is schema-agnostic SQL: same-schema names are unqualified, so `psql` loads it into
whichever schema `search_path` points at. Three kinds of statement cannot be written that way:
`COMMENT ON SCHEMA`, `GRANT/REVOKE ... ON SCHEMA` and `ALTER DEFAULT PRIVILEGES IN SCHEMA`
take a schema name and accept neither `current_schema` nor an omitted name (without `IN
SCHEMA`, default privileges would hold for every schema: another meaning). So they name the
dumped schema, and the header then declares it with `SET pgschema_tui.dumped_schema = 'name'`
(a harmless custom setting for psql). Both desired-state loaders (the parser and
`--plan-db`) read schema-level statements naming that schema as about the target schema, so
`plan --schema other dump.sql` carries the comment, schema grants and default privileges
over to `other` and converges. A plain `psql -f` into another schema still applies those few
statements to the dumped schema: only the tool can re-aim them.
"""
from pgschema_tui.dump.multi import write_multi_file
from pgschema_tui.dump.single import render_dump

__all__ = ["render_dump", "write_multi_file"]

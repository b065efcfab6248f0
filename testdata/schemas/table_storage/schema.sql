-- Column storage (recorded only when not the type's default), compression and access method.
CREATE DOMAIN long_text AS text;

CREATE TABLE documents (
    id integer PRIMARY KEY,
    body text COMPRESSION pglz,
    title character varying(200),
    amount numeric(12, 2),
    raw bytea COMPRESSION default,
    note long_text,
    pages integer,
    tags text[]
) USING heap;

-- STORAGE inside a column definition needs PostgreSQL 16: ALTER works on 14 too.
ALTER TABLE documents ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE documents ALTER COLUMN title SET STORAGE EXTENDED;  -- the default: nothing recorded
ALTER TABLE documents ALTER COLUMN amount SET STORAGE EXTENDED;  -- numeric is MAIN by default
ALTER TABLE documents ALTER COLUMN raw SET STORAGE MAIN, ALTER COLUMN raw SET COMPRESSION pglz;
ALTER TABLE documents ALTER COLUMN note SET STORAGE EXTERNAL;
ALTER TABLE documents ALTER COLUMN pages SET STORAGE PLAIN;
ALTER TABLE documents ALTER COLUMN tags SET STORAGE PLAIN;

CREATE TABLE retyped (
    a character varying(10) COMPRESSION pglz,
    b text
);
ALTER TABLE retyped ALTER COLUMN b SET STORAGE MAIN;
ALTER TABLE retyped ALTER COLUMN a TYPE text;  -- a new type resets storage and compression
ALTER TABLE retyped ADD COLUMN c jsonb COMPRESSION pglz;

CREATE TABLE heap_again (id integer);
ALTER TABLE heap_again SET ACCESS METHOD heap;

CREATE TABLE parent_doc (id integer, body text COMPRESSION pglz);
ALTER TABLE parent_doc ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE TABLE child_doc (body text, extra text) INHERITS (parent_doc);

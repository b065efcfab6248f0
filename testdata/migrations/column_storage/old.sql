CREATE TABLE documents (
    id integer PRIMARY KEY,
    body text,
    summary text COMPRESSION pglz,
    amount numeric,
    code character varying(20),
    raw bytea
);
ALTER TABLE documents ALTER COLUMN summary SET STORAGE EXTERNAL;
ALTER TABLE documents ALTER COLUMN amount SET STORAGE EXTENDED;
ALTER TABLE documents ALTER COLUMN code SET STORAGE MAIN;
CREATE TABLE notes (id integer);

CREATE TABLE documents (
    id integer PRIMARY KEY,
    body text COMPRESSION pglz,
    summary text,
    amount numeric,
    code text COMPRESSION pglz,
    raw bytea,
    extra text COMPRESSION pglz
);
ALTER TABLE documents ALTER COLUMN body SET STORAGE MAIN;
ALTER TABLE documents ALTER COLUMN code SET STORAGE MAIN;
ALTER TABLE documents ALTER COLUMN extra SET STORAGE EXTERNAL;
CREATE TABLE notes (id integer, body text COMPRESSION pglz) USING heap;
ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL;

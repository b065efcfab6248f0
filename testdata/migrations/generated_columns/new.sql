CREATE TABLE c (
    id integer PRIMARY KEY,
    a varchar(100),
    b text GENERATED ALWAYS AS (upper(a)) STORED,
    n integer,
    total integer GENERATED ALWAYS AS (n * 3) STORED,
    frozen text,
    g integer GENERATED ALWAYS AS (w + 1) STORED,
    w integer
);
CREATE INDEX c_b_idx ON c (b);
ALTER TABLE c ADD CONSTRAINT c_b_check CHECK (b <> 'FORBIDDEN');
COMMENT ON COLUMN c.b IS 'a, shouted';
CREATE POLICY c_visible ON c USING (b <> 'HIDDEN');
CREATE VIEW c_upper AS SELECT id, b FROM c;
GRANT SELECT (b) ON c TO PUBLIC;

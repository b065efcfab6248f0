-- A column read by a generated column changes type (the generated column is dropped and
-- added back, with its index, check, policy and comment); an expression changes; a stored
-- generated column becomes plain; a generated column stops reading a dropped column.
CREATE TABLE c (
    id integer PRIMARY KEY,
    a varchar(50),
    b text GENERATED ALWAYS AS (upper(a)) STORED,
    n integer,
    total integer GENERATED ALWAYS AS (n * 2) STORED,
    frozen text GENERATED ALWAYS AS (a || '!') STORED,
    z integer,
    g integer GENERATED ALWAYS AS (z + 1) STORED
);
CREATE INDEX c_b_idx ON c (b);
ALTER TABLE c ADD CONSTRAINT c_b_check CHECK (b <> 'FORBIDDEN');
COMMENT ON COLUMN c.b IS 'a, shouted';
CREATE POLICY c_visible ON c USING (b <> 'HIDDEN');
CREATE VIEW c_upper AS SELECT id, b FROM c;
GRANT SELECT (b) ON c TO PUBLIC;
INSERT INTO c (id, a, n, z) VALUES (1, 'x', 10, 5), (2, 'hello', 20, 6);

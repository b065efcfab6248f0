-- functions whose signature changes (dropped and created again), called by a column default,
-- an index predicate, an expression index and a stored generated column
CREATE FUNCTION gen_code(prefix text) RETURNS text LANGUAGE sql AS $$ SELECT prefix || '1' $$;
CREATE FUNCTION is_ok(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v > 0 $$;
CREATE FUNCTION norm(v integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT abs(v) $$;
CREATE FUNCTION twice(v integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT v * 2 $$;
CREATE TABLE docs (
    id integer PRIMARY KEY,
    n integer,
    code text DEFAULT gen_code('D'),
    d integer GENERATED ALWAYS AS (twice(n)) STORED
);
CREATE INDEX docs_ok_idx ON docs (id) WHERE is_ok(n);
CREATE INDEX docs_norm_idx ON docs (norm(n));
CREATE INDEX docs_d_idx ON docs (d);
INSERT INTO docs (id, n) VALUES (1, 5), (2, -3), (3, NULL);

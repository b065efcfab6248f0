CREATE FUNCTION gen_code(prefix text, width integer DEFAULT 3) RETURNS text LANGUAGE sql
    AS $$ SELECT prefix || lpad('2', width, '0') $$;
CREATE FUNCTION is_ok(v integer, lim integer DEFAULT 0) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v > lim $$;
CREATE FUNCTION norm(v integer, k integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT abs(v) * k $$;
CREATE FUNCTION twice(v integer, k integer DEFAULT 2) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT v * k $$;
CREATE TABLE docs (
    id integer PRIMARY KEY,
    n integer,
    code text DEFAULT gen_code('D'),
    d integer GENERATED ALWAYS AS (twice(n)) STORED
);
CREATE INDEX docs_ok_idx ON docs (id) WHERE is_ok(n);
CREATE INDEX docs_norm_idx ON docs (norm(n));
CREATE INDEX docs_d_idx ON docs (d);

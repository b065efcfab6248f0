-- Views calling VARIADIC and set-returning functions of the schema: the catalog stores a
-- variadic call with its trailing arguments in VARIADIC ARRAY[...] and gives a function in
-- FROM the column names of its result (`f() t(a, b)`).
CREATE FUNCTION cat(sep text, VARIADIC parts text[]) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT array_to_string(parts, sep) $$;

CREATE FUNCTION pairs() RETURNS TABLE(a integer, b integer)
    LANGUAGE sql AS $$ SELECT 1, 2 $$;

CREATE FUNCTION split_pair(IN x integer, OUT lo integer, OUT hi integer) RETURNS SETOF record
    LANGUAGE sql AS $$ SELECT x - 1, x + 1 $$;

CREATE FUNCTION numbers() RETURNS SETOF integer
    LANGUAGE sql AS $$ SELECT 1 $$;

CREATE TABLE t (name text);

CREATE VIEW labels AS SELECT cat('-', name, 'x') AS label FROM t;

CREATE VIEW labels_explicit AS SELECT cat('-', VARIADIC ARRAY[name, 'y']) AS label FROM t;

CREATE VIEW pair_a AS SELECT p.a FROM pairs() p;

CREATE VIEW pair_bare AS SELECT a, b FROM pairs();

CREATE VIEW pair_named AS SELECT q.x FROM pairs() q(x);

CREATE VIEW split_view AS SELECT s.lo, s.hi FROM split_pair(3) s;

CREATE VIEW number_view AS SELECT n FROM numbers() n;

CREATE VIEW series_bare AS SELECT generate_series FROM generate_series(1, 3);
